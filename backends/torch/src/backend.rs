//! [`TorchBackend`]: the [`kconform_api::Backend`] implementation.

use std::collections::BTreeMap;

use kconform_api::{
    infer, Backend, BackendError, BackendInfo, Capabilities, DType, Feature, OpCall, Value,
};

use crate::device::TorchDevice;
use crate::dispatch::{kernel, ops};
use crate::error::TorchError;
use crate::keras::Ctx;
use crate::shim;

/// The libtorch version this crate was built against (`2.11.0+cu130` for the PyPI wheel).
pub const LIBTORCH_VERSION: &str = env!("KCONFORM_LIBTORCH_VERSION");

/// Keras ops on libtorch (through tch), with Keras 3.15.1's torch-backend semantics.
///
/// Holds no tensors: every call converts its arguments, runs, and converts back,
/// so the backend is `Send + Sync` and calls may run in parallel.
#[derive(Debug)]
pub struct TorchBackend {
    device: TorchDevice,
    allow_tf32: bool,
}

impl TorchBackend {
    /// A backend on `device`, with TF32 off (as Keras's own test setup has it).
    /// Fails with [`TorchError::NoCuda`] when a CUDA device is asked for that
    /// libtorch cannot see.
    pub fn new(device: TorchDevice) -> Result<Self, TorchError> {
        Self::with_tf32(device, false)
    }

    /// Like [`TorchBackend::new`], choosing whether cuBLAS/cuDNN may use TF32.
    /// The switch is libtorch-global: it applies to the whole process.
    pub fn with_tf32(device: TorchDevice, allow_tf32: bool) -> Result<Self, TorchError> {
        device.check_available()?;
        if let TorchDevice::Cuda(_) = device {
            shim::set_allow_tf32(allow_tf32)?;
        }
        Ok(TorchBackend { device, allow_tf32 })
    }

    /// The device computed on.
    pub fn device(&self) -> TorchDevice {
        self.device
    }

    fn ctx(&self) -> Ctx {
        Ctx {
            device: self.device.tch(),
        }
    }
}

fn on_off(b: bool) -> String {
    if b { "on" } else { "off" }.to_string()
}

impl Backend for TorchBackend {
    fn info(&self) -> BackendInfo {
        let mut info = BackendInfo::new("torch", self.device.to_string());
        info.versions = BTreeMap::from([
            ("libtorch".to_string(), LIBTORCH_VERSION.to_string()),
            ("tch".to_string(), "0.24.0".to_string()),
            (
                "kconform-torch".to_string(),
                env!("CARGO_PKG_VERSION").to_string(),
            ),
            (
                "keras-semantics".to_string(),
                "3.15.1 (torch backend)".to_string(),
            ),
        ]);
        info.settings.insert("floatx".into(), "float32".into());
        info.settings.insert(
            "intra_op_threads".into(),
            tch::get_num_threads().to_string(),
        );
        if let TorchDevice::Cuda(_) = self.device {
            let (cublas, cudnn) = shim::allow_tf32().unwrap_or((self.allow_tf32, self.allow_tf32));
            info.settings.insert("tf32".into(), on_off(cublas || cudnn));
            info.settings.insert("tf32_cublas".into(), on_off(cublas));
            info.settings.insert("tf32_cudnn".into(), on_off(cudnn));
        }
        info
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            ops: ops().map(str::to_string).collect(),
            // Keras-torch's convert_to_tensor rejects uint64 (not in TORCH_DTYPES).
            dtypes: DType::ALL
                .into_iter()
                .filter(|&d| d != DType::Uint64)
                .collect(),
            features: [Feature::Symbolic, Feature::Programs].into_iter().collect(),
            random_stream: Some(kconform_api::backend::keras_stream_family(
                "torch",
                &self.device.to_string(),
            )),
        }
    }

    fn call(&self, call: &OpCall) -> Result<Value, BackendError> {
        let k = kernel(&call.op)
            .ok_or_else(|| BackendError::Unsupported(format!("op `{}`", call.op)))?;
        shim::quiet_warnings();
        k(self.ctx(), call)
    }

    /// Keras computes symbolic outputs with each op's `compute_output_spec`,
    /// the same on every backend, so torch shares the API crate's rules.
    fn call_symbolic(&self, call: &OpCall) -> Result<Value, BackendError> {
        infer::output_spec_on(call, infer::KerasBackend::Torch)
    }

    /// Programs through the shared interpreter with Keras-torch's `int32`
    /// seed state. No tracing (Keras-torch compiles with torch.compile,
    /// which kconform does not model), so traced programs are unsupported.
    fn run_program(&self, program: &kconform_api::Program) -> Result<Value, BackendError> {
        kconform_api::program::run(
            program,
            kconform_api::program::SeedDtype::Int32,
            kconform_api::program::Tracing::None,
            &mut |call| self.call(call),
        )
    }
}
