//! Backend names on the command line: `reference`, `keras:jax`, `keras:torch`, `keras:numpy`.

use anyhow::{bail, Context, Result};
use kconform_api::Backend;

/// The backends `--backend` accepts, for help and errors.
pub const KNOWN: &str = "reference, keras:jax, keras:torch, keras:numpy";

/// True when `name` is a real-Keras backend (one that can record goldens).
pub fn is_keras(name: &str) -> bool {
    name.starts_with("keras:")
}

/// Builds the backend called `name`.
pub fn open(name: &str) -> Result<Box<dyn Backend>> {
    match name {
        "reference" => Ok(Box::new(kconform_reference::ReferenceBackend::new())),
        _ if is_keras(name) => {
            let keras_backend = &name["keras:".len()..];
            if !["jax", "torch", "numpy"].contains(&keras_backend) {
                bail!("unknown Keras backend `{keras_backend}` in `{name}` (expected jax, torch or numpy)");
            }
            let config = kconform_keras::KerasConfig::from_env(keras_backend)
                .with_context(|| format!("cannot configure `{name}`"))?;
            let backend = kconform_keras::KerasBackend::launch(config).with_context(|| format!("cannot start `{name}`"))?;
            Ok(Box::new(backend))
        }
        other => bail!("unknown backend `{other}` (known: {KNOWN})"),
    }
}
