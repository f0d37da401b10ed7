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
//!
//! A directory holds one such file per topic: every `*.yaml` in it is read,
//! in name order, as if concatenated.

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
    /// Reads and validates a file (version 1, non-empty reasons), or every
    /// `*.yaml` file of a directory, in name order.
    pub fn load(path: &Path) -> Result<Self, ExpectationsError> {
        if !path.is_dir() {
            return Self::load_file(path);
        }
        let read =
            std::fs::read_dir(path).map_err(|source| crate::spec_file::SpecFileError::Io {
                path: path.display().to_string(),
                source,
            })?;
        let mut files = Vec::new();
        for entry in read {
            let entry = entry.map_err(|source| crate::spec_file::SpecFileError::Io {
                path: path.display().to_string(),
                source,
            })?;
            let p = entry.path();
            if p.extension().is_some_and(|e| e == "yaml") {
                files.push(p);
            }
        }
        if files.is_empty() {
            return Err(ExpectationsError::invalid(
                path,
                "directory holds no *.yaml file",
            ));
        }
        files.sort();
        let mut entries = Vec::new();
        for f in files {
            entries.extend(Self::load_file(&f)?.entries);
        }
        Ok(Expectations { entries })
    }

    fn load_file(path: &Path) -> Result<Self, ExpectationsError> {
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
    use super::{glob_match, Expectations};
    use crate::outcome::Status;

    const ONE: &str =
        "version: 1\nentries:\n  - trial: \"a::*\"\n    status: fail\n    reason: r1\n";
    const TWO: &str =
        "version: 1\nentries:\n  - trial: \"b::x\"\n    status: error\n    reason: r2\n";

    #[test]
    fn a_directory_reads_every_yaml_file() {
        let dir = std::env::temp_dir().join(format!("kconform-expect-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("one.yaml"), ONE).unwrap();
        std::fs::write(dir.join("two.yaml"), TWO).unwrap();
        std::fs::write(dir.join("notes.txt"), "ignored").unwrap();
        let e = Expectations::load(&dir).unwrap();
        assert_eq!(e.lookup("a::q").map(|k| k.status), Some(Status::Fail));
        assert_eq!(e.lookup("b::x").map(|k| k.reason), Some("r2".to_string()));
        assert!(e.lookup("c").is_none());
        std::fs::write(dir.join("bad.yaml"), "version: 2\nentries: []\n").unwrap();
        let err = Expectations::load(&dir).unwrap_err().to_string();
        assert!(
            err.contains("bad.yaml") && err.contains("version 2"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

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
