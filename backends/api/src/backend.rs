//! The one trait a backend implements.

use std::collections::{BTreeMap, BTreeSet};

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::program::Program;
use crate::value::Value;

/// Optional abilities beyond eager op calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feature {
    /// [`Backend::call_symbolic`]: shape and dtype inference without values.
    Symbolic,
    /// [`Backend::run_program`]: programs with state (`SeedGenerator`,
    /// the global generator, `set_random_seed`), run eagerly.
    Programs,
    /// [`Backend::run_program`] on programs with a traced body.
    TracedPrograms,
}

/// Who a backend is, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendInfo {
    /// Stable id used in trial names and reports, e.g. `reference`, `keras-jax`.
    /// Only `[a-z0-9_-]`.
    pub id: String,
    /// The device it computes on, e.g. `cpu`.
    pub device: String,
    /// Versions of what it runs on (`keras`, `jax`, `numpy`, the crate itself…).
    pub versions: BTreeMap<String, String>,
    /// Numeric settings that change results, e.g. `tf32: off`. Recorded in reports.
    pub settings: BTreeMap<String, String>,
}

impl BackendInfo {
    /// Info with an id and device and nothing else.
    pub fn new(id: impl Into<String>, device: impl Into<String>) -> Self {
        BackendInfo {
            id: id.into(),
            device: device.into(),
            versions: BTreeMap::new(),
            settings: BTreeMap::new(),
        }
    }
}

/// What a backend claims to support. The harness reports a case whose op or
/// dtypes fall outside these as *unsupported*, apart from *wrong*.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// `keras.ops` names the backend implements.
    pub ops: BTreeSet<String>,
    /// Dtypes the backend can hold and compute in.
    pub dtypes: BTreeSet<DType>,
    /// Optional features.
    pub features: BTreeSet<Feature>,
    /// The random-number stream family the backend's seeded `keras.random`
    /// ops follow, e.g. `keras-jax` (threefry2x32 keyed by `[seed, counter]`)
    /// or `keras-torch-cpu` (torch's CPU generator seeded per call). Cases that
    /// pin exact streams run only on backends of their family; `None` means
    /// no exact stream is claimed.
    pub random_stream: Option<String>,
}

/// The random stream family of real Keras on `keras_backend` running on
/// `device`: `keras-jax` (threefry gives the same bits on every device),
/// `keras-torch-cpu` / `keras-torch-cuda` (torch's CPU and CUDA generators
/// differ), `keras-<backend>` otherwise.
pub fn keras_stream_family(keras_backend: &str, device: &str) -> String {
    match keras_backend {
        "torch" => {
            let kind = device.split(':').next().unwrap_or(device);
            format!("keras-torch-{kind}")
        }
        other => format!("keras-{other}"),
    }
}

impl Capabilities {
    /// True when `op` is implemented.
    pub fn supports_op(&self, op: &str) -> bool {
        self.ops.contains(op)
    }

    /// True when `dtype` is supported.
    pub fn supports_dtype(&self, dtype: DType) -> bool {
        self.dtypes.contains(&dtype)
    }

    /// True when the optional `feature` is available.
    pub fn has(&self, feature: Feature) -> bool {
        self.features.contains(&feature)
    }
}

/// A Keras backend under test.
///
/// Implementations must be shareable between the harness's worker threads;
/// a backend with one external process behind it serializes calls itself.
pub trait Backend: Send + Sync {
    /// Identity, device, versions and numeric settings.
    fn info(&self) -> BackendInfo;

    /// The ops, dtypes and features this backend supports.
    fn capabilities(&self) -> Capabilities;

    /// Runs `keras.ops.<op>(*args, **kwargs)` eagerly and returns its result:
    /// a tensor, a Python scalar, or a tuple/list of them, as Keras returns.
    fn call(&self, call: &OpCall) -> Result<Value, BackendError>;

    /// Runs the op on symbolic inputs ([`Value::Spec`]) and returns the result's
    /// shape and dtype as [`Value::Spec`] leaves, never values.
    fn call_symbolic(&self, call: &OpCall) -> Result<Value, BackendError> {
        Err(BackendError::Unsupported(format!(
            "symbolic calls (op `{}`)",
            call.op
        )))
    }

    /// Runs a [`Program`] and returns the tuple of its unbound steps' results
    /// (see [`crate::program`]). A Rust backend gets this by calling
    /// [`crate::program::run`] with its `call`. Default: unsupported.
    fn run_program(&self, program: &Program) -> Result<Value, BackendError> {
        let _ = program;
        Err(BackendError::Unsupported("programs".into()))
    }
}

impl<B: Backend + ?Sized> Backend for Box<B> {
    fn info(&self) -> BackendInfo {
        (**self).info()
    }
    fn capabilities(&self) -> Capabilities {
        (**self).capabilities()
    }
    fn call(&self, call: &OpCall) -> Result<Value, BackendError> {
        (**self).call(call)
    }
    fn call_symbolic(&self, call: &OpCall) -> Result<Value, BackendError> {
        (**self).call_symbolic(call)
    }
    fn run_program(&self, program: &Program) -> Result<Value, BackendError> {
        (**self).run_program(program)
    }
}

impl<B: Backend + ?Sized> Backend for std::sync::Arc<B> {
    fn info(&self) -> BackendInfo {
        (**self).info()
    }
    fn capabilities(&self) -> Capabilities {
        (**self).capabilities()
    }
    fn call(&self, call: &OpCall) -> Result<Value, BackendError> {
        (**self).call(call)
    }
    fn call_symbolic(&self, call: &OpCall) -> Result<Value, BackendError> {
        (**self).call_symbolic(call)
    }
    fn run_program(&self, program: &Program) -> Result<Value, BackendError> {
        (**self).run_program(program)
    }
}
