//! Errors configuring or starting the adapter.

use std::path::PathBuf;
use std::time::Duration;

use kconform_api::BackendError;

/// Why the Keras backend could not be configured or its adapter started.
#[derive(Debug, thiserror::Error)]
pub enum KerasError {
    /// `KCONFORM_KERAS_PYTHON` is not set.
    #[error(
        "KCONFORM_KERAS_PYTHON is not set: run `bash scripts/setup-oracle.sh` and set \
         KCONFORM_KERAS_PYTHON to the python path it prints on its last line"
    )]
    PythonNotSet,
    /// `KCONFORM_KERAS_PYTHON` names something that is not an executable file.
    #[error(
        "KCONFORM_KERAS_PYTHON={} is not an executable file: run `bash scripts/setup-oracle.sh` \
         and set KCONFORM_KERAS_PYTHON to the python path it prints on its last line",
        path.display()
    )]
    PythonNotExecutable {
        /// The path given.
        path: PathBuf,
    },
    /// A configuration field is out of range.
    #[error("invalid keras backend configuration: {0}")]
    InvalidConfig(String),
    /// The embedded adapter script could not be written to a temporary file.
    #[error("cannot write the adapter script to a temporary file: {0}")]
    Script(#[source] std::io::Error),
    /// The interpreter could not be started.
    #[error("cannot start `{} {}`: {source}", python.display(), script.display())]
    Spawn {
        /// The interpreter.
        python: PathBuf,
        /// The adapter script.
        script: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// No handshake arrived in time; the process was killed.
    #[error("the adapter sent no handshake within {timeout:?}; stderr tail:\n{stderr}")]
    StartupTimeout {
        /// The time allowed.
        timeout: Duration,
        /// The end of the adapter's stderr.
        stderr: String,
    },
    /// The adapter exited (or closed stdout) before its handshake.
    #[error("the adapter exited before its handshake: {0}")]
    Exited(String),
    /// The handshake line was not a valid protocol-1 handshake for this backend.
    #[error("bad adapter handshake: {0}")]
    Handshake(String),
}

impl From<KerasError> for BackendError {
    fn from(e: KerasError) -> Self {
        match e {
            KerasError::StartupTimeout { timeout, .. } => BackendError::Timeout(timeout),
            KerasError::Exited(_) => BackendError::Crashed(e.to_string()),
            KerasError::Handshake(_) => BackendError::Protocol(e.to_string()),
            _ => BackendError::Internal(e.to_string()),
        }
    }
}
