//! The real-Keras backend of kconform.
//!
//! [`KerasBackend`] implements [`kconform_api::Backend`] by running Keras in a
//! Python child process, the *adapter* (`adapter/kconform_adapter.py`, embedded
//! in this crate, written to a temporary file for each launch and removed once
//! the adapter has sent its handshake). The two speak JSON
//! lines as spec/protocol.md defines: one handshake line, then one response
//! line per request line.
//!
//! ```no_run
//! use kconform_api::{Backend, OpCall, Tensor, Value};
//! use kconform_keras::KerasBackend;
//!
//! // Reads KCONFORM_KERAS_PYTHON (see scripts/setup-oracle.sh) and starts the adapter.
//! let keras = KerasBackend::from_env("jax")?;
//! let out = keras.call(&OpCall::new("absolute", vec![Value::Tensor(Tensor::scalar_f32(-1.5))]));
//! # Ok::<(), kconform_keras::KerasError>(())
//! ```

mod backend;
mod config;
mod error;
mod messages;
mod process;
pub mod protocol;
mod script;
mod stderr_tail;

pub use backend::KerasBackend;
pub use config::{backend_python_env, KerasConfig, PYTHON_ENV, TIMEOUT_ENV};
pub use error::KerasError;
pub use messages::{Handshake, PROTOCOL_VERSION};
pub use script::ADAPTER_SOURCE;
