//! Reading the suite's YAML data files (catalog, tolerance policy, known
//! issues) with one error type that names the file and, from serde-saphyr,
//! the line and column.

use std::path::Path;

use serde::de::DeserializeOwned;

/// A data file that could not be read or is not valid.
#[derive(Debug, thiserror::Error)]
pub enum SpecFileError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid (the message is located where possible).
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl SpecFileError {
    /// An `Invalid` error for `path`.
    pub fn invalid(path: &Path, message: impl Into<String>) -> Self {
        SpecFileError::Invalid {
            path: path.display().to_string(),
            message: message.into(),
        }
    }
}

/// Reads `path` as YAML into `T` (whose serde derive rejects unknown keys).
pub fn load_yaml<T: DeserializeOwned>(path: &Path) -> Result<T, SpecFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| SpecFileError::Io {
        path: path.display().to_string(),
        source,
    })?;
    serde_saphyr::from_str(&text).map_err(|e| SpecFileError::invalid(path, e.to_string()))
}
