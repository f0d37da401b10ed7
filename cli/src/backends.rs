//! Backend names on the command line: `reference`, `keras:jax`, `keras:torch`, `keras:numpy`,
//! and with the `torch` feature `torch` (= `torch:cpu`), `torch:cuda` (= `torch:cuda:0`), `torch:cuda:N`.

use anyhow::{bail, Context, Result};
use kconform_api::Backend;

/// The backends `--backend` accepts, for help and errors.
#[cfg(feature = "torch")]
pub const KNOWN: &str =
    "reference, keras:jax, keras:torch, keras:numpy, torch, torch:cpu, torch:cuda, torch:cuda:N";
/// The backends `--backend` accepts, for help and errors.
#[cfg(not(feature = "torch"))]
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
            let backend = kconform_keras::KerasBackend::launch(config)
                .with_context(|| format!("cannot start `{name}`"))?;
            Ok(Box::new(backend))
        }
        _ if name == "torch" || name.starts_with("torch:") => open_torch(name),
        other => bail!("unknown backend `{other}` (known: {KNOWN})"),
    }
}

/// Builds the libtorch backend `torch[:cpu|:cuda[:N]]`.
#[cfg(feature = "torch")]
fn open_torch(name: &str) -> Result<Box<dyn Backend>> {
    let device = match name.strip_prefix("torch:") {
        None => kconform_torch::TorchDevice::Cpu,
        Some(device) => device
            .parse()
            .with_context(|| format!("bad torch device in `{name}`"))?,
    };
    let backend = kconform_torch::TorchBackend::new(device)
        .with_context(|| format!("cannot start `{name}`"))?;
    Ok(Box::new(backend))
}

/// Without the `torch` feature there is no libtorch backend to build.
#[cfg(not(feature = "torch"))]
fn open_torch(name: &str) -> Result<Box<dyn Backend>> {
    bail!("`{name}` needs kconform built with `--features torch` (and LIBTORCH set; see backends/torch/README.md)")
}
