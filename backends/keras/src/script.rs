//! The adapter script: embedded in the binary, written out to run.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::KerasError;

/// The Python adapter, compiled into this crate so the binary is self-contained.
pub const ADAPTER_SOURCE: &str = include_str!("../adapter/kconform_adapter.py");

/// The script file the interpreter runs.
pub(crate) enum AdapterScript {
    /// The embedded adapter in a temporary file, deleted when dropped.
    Embedded(tempfile::TempPath),
    /// A script named by [`crate::KerasConfig::adapter_script`].
    Given(PathBuf),
}

impl AdapterScript {
    /// The configured script, or the embedded one written to a temporary file.
    pub(crate) fn prepare(given: Option<&Path>) -> Result<Self, KerasError> {
        if let Some(path) = given {
            return Ok(AdapterScript::Given(path.to_path_buf()));
        }
        let mut file = tempfile::Builder::new()
            .prefix("kconform_adapter_")
            .suffix(".py")
            .tempfile()
            .map_err(KerasError::Script)?;
        file.write_all(ADAPTER_SOURCE.as_bytes())
            .and_then(|()| file.flush())
            .map_err(KerasError::Script)?;
        Ok(AdapterScript::Embedded(file.into_temp_path()))
    }

    /// Where the script is.
    pub(crate) fn path(&self) -> &Path {
        match self {
            AdapterScript::Embedded(p) => p,
            AdapterScript::Given(p) => p,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_script_is_written_and_removed() {
        let script = AdapterScript::prepare(None).unwrap();
        let path = script.path().to_path_buf();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), ADAPTER_SOURCE);
        drop(script);
        assert!(!path.exists());
    }
}
