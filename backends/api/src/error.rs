//! What a backend answers when a call does not produce a result.

use std::time::Duration;

/// Why a backend call produced no value.
///
/// The split matters to reports: [`BackendError::Unsupported`] is "not
/// implemented", [`BackendError::Raised`] is Keras-level behavior (an expected
/// error case may demand exactly this), and the rest are failures of the backend
/// itself.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BackendError {
    /// The backend does not implement this op, dtype or argument form.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The call raised an error the way Keras does, with the Python exception
    /// type (e.g. `ValueError`) and its message.
    #[error("{kind}: {message}")]
    Raised {
        /// Python exception type name, e.g. `ValueError`.
        kind: String,
        /// The exception message.
        message: String,
    },
    /// An out-of-process backend died or closed its pipe.
    #[error("backend crashed: {0}")]
    Crashed(String),
    /// The backend gave no answer within the time allowed.
    #[error("backend timed out after {0:?}")]
    Timeout(Duration),
    /// The backend answered something the protocol does not allow.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// Any other internal failure of the backend.
    #[error("internal backend error: {0}")]
    Internal(String),
}

impl BackendError {
    /// Shorthand for a Keras-style raised error.
    pub fn raised(kind: impl Into<String>, message: impl Into<String>) -> Self {
        BackendError::Raised {
            kind: kind.into(),
            message: message.into(),
        }
    }

    /// Shorthand for a `ValueError`.
    pub fn value_error(message: impl Into<String>) -> Self {
        Self::raised("ValueError", message)
    }

    /// Shorthand for a `TypeError`.
    pub fn type_error(message: impl Into<String>) -> Self {
        Self::raised("TypeError", message)
    }
}
