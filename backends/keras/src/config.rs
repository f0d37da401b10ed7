//! How to start the adapter: which Python, which Keras backend, which limits.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::KerasError;

/// Environment variable holding the oracle venv's Python interpreter.
pub const PYTHON_ENV: &str = "KCONFORM_KERAS_PYTHON";

/// The variable naming the oracle python for one Keras backend, e.g.
/// `KCONFORM_KERAS_TORCH_PYTHON`; it takes precedence over [`PYTHON_ENV`].
pub fn backend_python_env(keras_backend: &str) -> String {
    format!(
        "KCONFORM_KERAS_{}_PYTHON",
        keras_backend.to_ascii_uppercase()
    )
}

/// Optional environment variable overriding [`KerasConfig::timeout`], in seconds.
pub const TIMEOUT_ENV: &str = "KCONFORM_KERAS_TIMEOUT_S";

/// Settings for one [`crate::KerasBackend`].
#[derive(Clone, Debug, PartialEq)]
pub struct KerasConfig {
    /// The Python interpreter that has Keras installed (the oracle venv).
    /// A bare name such as `python3` is looked up on `PATH`.
    pub python: PathBuf,
    /// The Keras backend the adapter selects: `jax`, `torch`, `numpy`, ….
    pub keras_backend: String,
    /// Longest wait for the answer to one request; the adapter is killed and
    /// the call fails with `BackendError::Timeout` past it.
    pub timeout: Duration,
    /// Longest wait for the handshake after starting the adapter.
    pub startup_timeout: Duration,
    /// A script to run instead of the embedded adapter (test doubles).
    pub adapter_script: Option<PathBuf>,
    /// Extra environment variables for the adapter process.
    pub env: Vec<(String, String)>,
    /// Longest response line accepted, in bytes; a longer one is a protocol error.
    pub max_line_bytes: usize,
    /// How many bytes of the adapter's stderr are kept for crash reports.
    pub stderr_tail_bytes: usize,
    /// Copy the adapter's stderr to this process's stderr as it arrives.
    pub forward_stderr: bool,
    /// After this many consecutive failed launches, calls fail at once with
    /// the last launch error instead of trying again.
    pub max_launch_failures: u32,
}

impl KerasConfig {
    /// A configuration with default limits: 120 s per request, 180 s to start.
    pub fn new(python: impl Into<PathBuf>, keras_backend: impl Into<String>) -> Self {
        KerasConfig {
            python: python.into(),
            keras_backend: keras_backend.into(),
            timeout: Duration::from_secs(120),
            startup_timeout: Duration::from_secs(180),
            adapter_script: None,
            env: Vec::new(),
            max_line_bytes: 1 << 30,
            stderr_tail_bytes: 64 * 1024,
            forward_stderr: false,
            max_launch_failures: 3,
        }
    }

    /// The configuration for `keras_backend` with the interpreter named by
    /// `KCONFORM_KERAS_PYTHON` (and the timeout by `KCONFORM_KERAS_TIMEOUT_S`
    /// when set). Fails with a message pointing at `scripts/setup-oracle.sh`
    /// when the variable is unset or does not name an executable file.
    pub fn from_env(keras_backend: &str) -> Result<Self, KerasError> {
        // A per-backend interpreter (KCONFORM_KERAS_TORCH_PYTHON: the torch
        // oracle lives in its own venv) wins over the shared one.
        let specific = backend_python_env(keras_backend);
        let python = match std::env::var_os(&specific).filter(|p| !p.is_empty()) {
            Some(p) => PathBuf::from(p),
            None => match std::env::var_os(PYTHON_ENV) {
                Some(p) if !p.is_empty() => PathBuf::from(p),
                _ => return Err(KerasError::PythonNotSet),
            },
        };
        if !is_executable_file(&python) {
            return Err(KerasError::PythonNotExecutable { path: python });
        }
        let mut config = KerasConfig::new(python, keras_backend);
        if let Some(raw) = std::env::var_os(TIMEOUT_ENV) {
            let text = raw.to_string_lossy();
            let secs: f64 = text
                .trim()
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite() && *s > 0.0)
                .ok_or_else(|| {
                    KerasError::InvalidConfig(format!(
                        "{TIMEOUT_ENV}={text} is not a positive number of seconds"
                    ))
                })?;
            config.timeout = Duration::from_secs_f64(secs);
        }
        config.validate()?;
        Ok(config)
    }

    /// The backend id used in reports: `keras-<backend>`.
    pub fn backend_id(&self) -> String {
        format!("keras-{}", self.keras_backend)
    }

    /// Checks the fields that would otherwise fail late or oddly.
    pub fn validate(&self) -> Result<(), KerasError> {
        let name_ok = !self.keras_backend.is_empty()
            && self
                .keras_backend
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok {
            return Err(KerasError::InvalidConfig(format!(
                "keras backend `{}` must be a lowercase name such as jax, torch or numpy",
                self.keras_backend
            )));
        }
        if self.timeout.is_zero() || self.startup_timeout.is_zero() {
            return Err(KerasError::InvalidConfig(
                "timeouts must be longer than zero".to_string(),
            ));
        }
        Ok(())
    }
}

#[cfg(unix)]
fn is_executable_file(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_odd_backend_names_and_zero_timeouts() {
        assert!(KerasConfig::new("python3", "jax").validate().is_ok());
        assert!(KerasConfig::new("python3", "Jax!").validate().is_err());
        assert!(KerasConfig::new("python3", "").validate().is_err());
        let mut c = KerasConfig::new("python3", "jax");
        c.timeout = Duration::ZERO;
        assert!(c.validate().is_err());
    }

    #[test]
    fn backend_id_names_the_keras_backend() {
        assert_eq!(KerasConfig::new("p", "torch").backend_id(), "keras-torch");
    }

    #[test]
    fn executable_check() {
        assert!(!is_executable_file(Path::new("/definitely/not/here")));
        assert!(!is_executable_file(Path::new("/")));
    }
}
