//! What one trial (a case on a backend) came to.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::differ::TensorMetrics;

/// A trial's raw result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Matched its expectation.
    Pass,
    /// Ran, and the result differs from what Keras does.
    Fail,
    /// Could not be judged: load error, missing golden, backend crash or timeout.
    Error,
    /// The backend does not implement the op, dtype or feature.
    Unsupported,
    /// Not run (filtered by the expectations file, or interrupted).
    Skipped,
}

impl Status {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Unsupported => "unsupported",
            Status::Skipped => "skipped",
        }
    }
}

/// A known issue from an expectations file that matched this trial.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Known {
    /// The status the entry expects.
    pub status: Status,
    /// Why.
    pub reason: String,
}

/// Everything reported about one trial.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrialRecord {
    /// Full trial name, e.g. `ops::absolute::f32_specials::reference`.
    pub id: String,
    /// The case part, e.g. `ops::absolute::f32_specials`.
    pub case: String,
    /// Backend id.
    pub backend: String,
    /// `keras.ops` name.
    pub op: String,
    /// Behavior id.
    pub behavior: String,
    /// `golden`, `golden_spec`, `value`, `error`, `spec`, `distribution` or `load`.
    pub expectation: String,
    /// The kind of case: `correctness`, `static_shape`, `dynamic_shape`,
    /// `dtype` (empty when the case did not load).
    pub kind: String,
    /// The result.
    pub status: Status,
    /// Why it did not pass (readable diff or error), if it did not.
    pub message: Option<String>,
    /// Numeric measurements of each compared tensor.
    pub metrics: Vec<TensorMetrics>,
    /// A matching known-issue entry.
    pub known: Option<Known>,
    /// Wall time of the trial (kept out of the deterministic report body).
    #[serde(skip)]
    pub duration: Duration,
    /// What the backend returned, kept for cross-backend comparison.
    #[serde(skip)]
    pub output: Option<kconform_api::Value>,
    /// The Python exception the backend raised instead (type, message), kept
    /// for cross-backend comparison.
    #[serde(skip)]
    pub raised: Option<(String, String)>,
}

impl TrialRecord {
    /// True when this trial should fail the run: a fail or error nobody
    /// expected, or a known issue whose status did not happen (a stale entry
    /// hides nothing: an unexpected pass fails too).
    pub fn is_unexpected(&self) -> bool {
        match &self.known {
            Some(k) => k.status != self.status,
            None => matches!(self.status, Status::Fail | Status::Error),
        }
    }

    /// The message libtest prints for an unexpected result.
    pub fn failure_text(&self) -> String {
        let mut s = format!("{} [{}]", self.status.name(), self.expectation);
        if let Some(k) = &self.known {
            s.push_str(&format!(
                " (expected {} per expectations file: {})",
                k.status.name(),
                k.reason
            ));
        }
        if let Some(m) = &self.message {
            s.push('\n');
            s.push_str(m);
        }
        s
    }
}
