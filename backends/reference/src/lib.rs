//! kconform's reference backend: Keras 3 op semantics (as measured on
//! Keras 3.15.1 with the JAX backend on CPU) in plain Rust on `ndarray`.
//!
//! [`ReferenceBackend`] evaluates `keras.ops` calls eagerly. Inputs are
//! converted as `jnp.asarray` converts NumPy arrays (64-bit dtypes narrowed
//! to 32 bits), Python scalars are weak in promotion, and float arithmetic
//! follows XLA:CPU (half floats computed in `float32`, denormals flushed).

#![warn(missing_docs)]

mod args;
mod array;
mod axes;
mod binary;
mod broadcast;
mod convert;
mod creation;
mod dispatch;
mod elem;
mod elementwise;
mod error;
mod indexing;
mod linalg;
mod numpy_cast;
mod ops;
mod power;
mod random;
mod reduce;
mod shape_ops;
mod stats;

use std::panic::{catch_unwind, AssertUnwindSafe};

use kconform_api::{
    infer, Backend, BackendError, BackendInfo, Capabilities, DType, Feature, OpCall, Value,
};

/// The reference backend (stateless; share it freely between threads).
#[derive(Clone, Copy, Debug, Default)]
pub struct ReferenceBackend;

impl ReferenceBackend {
    /// A new backend.
    pub fn new() -> Self {
        ReferenceBackend
    }
}

impl Backend for ReferenceBackend {
    fn info(&self) -> BackendInfo {
        let mut info = BackendInfo::new("reference", "cpu");
        info.versions.insert(
            "kconform-reference".into(),
            env!("CARGO_PKG_VERSION").into(),
        );
        info.versions
            .insert("semantics".into(), "keras 3.15.1 / jax".into());
        info.settings
            .insert("denormals".into(), "flushed (as XLA:CPU)".into());
        info
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            ops: dispatch::ops().map(str::to_string).collect(),
            dtypes: DType::ALL.into_iter().collect(),
            features: [
                Feature::Symbolic,
                Feature::Programs,
                Feature::TracedPrograms,
            ]
            .into_iter()
            .collect(),
            // Bit-exact with Keras on JAX (threefry2x32 keyed by [seed, counter]).
            random_stream: Some("keras-jax".into()),
        }
    }

    fn call(&self, call: &OpCall) -> Result<Value, BackendError> {
        let kernel = dispatch::kernel(&call.op)
            .ok_or_else(|| BackendError::Unsupported(format!("op `{}`", call.op)))?;
        // Kernels never panic by design; a panic would be a bug, reported as such.
        match catch_unwind(AssertUnwindSafe(|| kernel(call))) {
            Ok(result) => result.map_err(BackendError::from),
            Err(_) => Err(BackendError::Internal(format!(
                "kernel `{}` panicked",
                call.op
            ))),
        }
    }

    /// Shape and dtype inference shared by every Rust backend
    /// ([`kconform_api::infer`]); the reference backend adds nothing of its own.
    fn call_symbolic(&self, call: &OpCall) -> Result<Value, BackendError> {
        match catch_unwind(AssertUnwindSafe(|| infer::output_spec(call))) {
            Ok(result) => result,
            Err(_) => Err(BackendError::Internal(format!(
                "inference rule `{}` panicked",
                call.op
            ))),
        }
    }

    /// Programs through the shared interpreter, with Keras-on-JAX's `uint32`
    /// seed state and `jax.jit`'s tracing semantics.
    fn run_program(&self, program: &kconform_api::Program) -> Result<Value, BackendError> {
        kconform_api::program::run(
            program,
            kconform_api::program::SeedDtype::Uint32,
            kconform_api::program::Tracing::Jit,
            &mut |call| self.call(call),
        )
    }
}
