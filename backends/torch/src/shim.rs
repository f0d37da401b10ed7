//! Safe wrappers around `csrc/shim.cpp`: what libtorch offers and tch 0.24 does not expose.

use std::os::raw::{c_int, c_void};

use crate::error::TorchError;

extern "C" {
    fn kconform_set_allow_tf32(allow: bool) -> bool;
    fn kconform_allow_tf32_cublas() -> c_int;
    fn kconform_allow_tf32_cudnn() -> c_int;
    fn kconform_wrapped_number(kind: c_int, i: i64, f: f64) -> *mut c_void;
    fn kconform_quiet_warnings();
}

/// Silences libtorch's `TORCH_WARN` output on the calling thread (Python turns
/// these into `UserWarning`s; here they would only clutter test output).
pub fn quiet_warnings() {
    // SAFETY: sets a thread-local pointer to a static handler; noexcept.
    unsafe { kconform_quiet_warnings() }
}

/// Allows or forbids TF32 in cuBLAS matmuls and cuDNN convolutions (process-wide).
pub fn set_allow_tf32(allow: bool) -> Result<(), TorchError> {
    // SAFETY: no arguments beyond a bool; the C++ side catches every exception.
    if unsafe { kconform_set_allow_tf32(allow) } {
        Ok(())
    } else {
        Err(TorchError::Setting("allow_tf32"))
    }
}

/// Whether cuBLAS and cuDNN may use TF32, as libtorch reports it (`None` if it threw).
pub fn allow_tf32() -> Option<(bool, bool)> {
    // SAFETY: plain getters; the C++ side catches every exception.
    let (cublas, cudnn) = unsafe { (kconform_allow_tf32_cublas(), kconform_allow_tf32_cudnn()) };
    (cublas >= 0 && cudnn >= 0).then_some((cublas == 1, cudnn == 1))
}

/// A Python scalar as PyTorch passes it to an op.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PyScalar {
    /// `bool`
    Bool(bool),
    /// `int`
    Int(i64),
    /// `float`
    Float(f64),
}

/// The 0-d "wrapped number" tensor PyTorch makes of a Python scalar argument
/// (`bool`, `int64` or `float64`, excluded from tensor-style dtype promotion).
pub fn wrapped_number(s: PyScalar) -> Result<tch::Tensor, TorchError> {
    let (kind, i, f) = match s {
        PyScalar::Bool(b) => (0, i64::from(b), 0.0),
        PyScalar::Int(i) => (1, i, 0.0),
        PyScalar::Float(f) => (2, 0, f),
    };
    // SAFETY: the shim returns a heap `at::Tensor*` (tch's C tensor handle),
    // owned from here on by the returned tch::Tensor, or null on failure.
    let ptr = unsafe { kconform_wrapped_number(kind, i, f) };
    if ptr.is_null() {
        return Err(TorchError::Setting("wrapped_number"));
    }
    // SAFETY: non-null, freshly allocated, not aliased.
    Ok(unsafe { tch::Tensor::from_ptr(ptr.cast()) })
}
