//! Known-issue files: trials a backend is known to fail, each with a reason.
//!
//! ```yaml
//! version: 1
//! entries:
//!   - trial: "ops::std::f16_*::torch"   # `*` matches any run of characters
//!     status: fail                      # fail | error | unsupported | skipped
//!     reason: "torch computes float16 std in float16"
//! ```
//! A matched trial that ends with another status (an unexpected pass included)
//! fails the run, so entries never outlive their bug.

use std::path::Path;

use serde::Deserialize;

use crate::outcome::{Known, Status};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    trial: String,
    status: Status,
    reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    entries: Vec<Entry>,
}

/// A loaded expectations file.
#[derive(Debug, Clone, Default)]
pub struct Expectations {
    entries: Vec<Entry>,
}

/// Errors reading an expectations file.
pub type ExpectationsError = crate::spec_file::SpecFileError;

fn glob_match(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(tail) = text.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len())
                .filter(|&i| tail.is_char_boundary(i))
                .any(|i| glob_match(rest, &tail[i..]))
        }
    }
}

impl Expectations {
    /// Reads and validates a file (version 1, non-empty reasons).
    pub fn load(path: &Path) -> Result<Self, ExpectationsError> {
        let file: File = crate::spec_file::load_yaml(path)?;
        if file.version != 1 {
            return Err(ExpectationsError::invalid(
                path,
                format!("version {} is not supported (expected 1)", file.version),
            ));
        }
        if let Some(e) = file.entries.iter().find(|e| e.reason.trim().is_empty()) {
            return Err(ExpectationsError::invalid(
                path,
                format!("entry `{}` has no reason", e.trial),
            ));
        }
        Ok(Expectations {
            entries: file.entries,
        })
    }

    /// The entry matching a trial id, if any (first match wins).
    pub fn lookup(&self, trial: &str) -> Option<Known> {
        self.entries
            .iter()
            .find(|e| glob_match(&e.trial, trial))
            .map(|e| Known {
                status: e.status,
                reason: e.reason.clone(),
            })
    }

    /// Patterns that match none of `trials` (stale entries).
    pub fn unmatched<'a>(&'a self, trials: &[&str]) -> Vec<&'a str> {
        self.entries
            .iter()
            .filter(|e| !trials.iter().any(|t| glob_match(&e.trial, t)))
            .map(|e| e.trial.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        assert!(glob_match("ops::std::*::torch", "ops::std::f16_a::torch"));
        assert!(!glob_match(
            "ops::std::*::torch",
            "ops::std::f16_a::reference"
        ));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("a*b*c", "aXbYc"));
        assert!(!glob_match("a*b*c", "aXbY"));
    }
}
