//! Safe wrappers around `csrc/shim.cpp`: what libtorch offers and tch 0.24 does not expose.

use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_int, c_void};

use tch::TchError;

use crate::error::TorchError;

extern "C" {
    fn kconform_set_allow_tf32(allow: bool) -> bool;
    fn kconform_allow_tf32_cublas() -> c_int;
    fn kconform_allow_tf32_cudnn() -> c_int;
    fn kconform_wrapped_number(kind: c_int, i: i64, f: f64) -> *mut c_void;
    fn kconform_quiet_warnings();
    fn kconform_call_op(
        name: *const c_char,
        overload: *const c_char,
        args: *const RawArg,
        nargs: c_int,
        error: *mut *mut c_char,
    ) -> *mut c_void;
    fn free(p: *mut c_void);
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

/// One argument of [`call_op`], as PyTorch's Python bindings hand it to ATen.
#[derive(Clone, Copy, Debug)]
pub enum OpArg<'a> {
    /// A `bool` (also a `Scalar`)
    Bool(bool),
    /// An `int` (also a `Scalar`)
    Int(i64),
    /// A `float` (also a `Scalar`)
    Float(f64),
    /// A tensor
    Tensor(&'a tch::Tensor),
}

/// `KconformArg` of `csrc/shim.cpp`.
#[repr(C)]
struct RawArg {
    tag: i32,
    i: i64,
    f: f64,
    p: *const c_void,
}

/// Calls the ATen operator `name` (`"aten::leaky_relu"`) of overload
/// `overload` (`""` for the default one) through libtorch's dispatcher, with
/// `args` as its leading arguments and the schema's defaults for the rest;
/// returns its first output. For the `Scalar` arguments tch leaves out, and
/// for `Scalar`-taking ops whose tch wrappers panic on error (see `raw.rs`):
/// a libtorch error comes back as `TchError::Torch`, as from tch.
pub fn call_op(name: &str, overload: &str, args: &[OpArg<'_>]) -> Result<tch::Tensor, TchError> {
    let bad = |what: &str| TchError::Torch(format!("kconform_call_op: {what}"));
    let name_c = CString::new(name).map_err(|_| bad("NUL in the op name"))?;
    let overload_c = CString::new(overload).map_err(|_| bad("NUL in the overload name"))?;
    let raw: Vec<RawArg> = args
        .iter()
        .map(|a| {
            let (tag, i, f, p): (i32, i64, f64, *const c_void) = match *a {
                OpArg::Bool(b) => (1, i64::from(b), 0.0, std::ptr::null()),
                OpArg::Int(i) => (2, i, 0.0, std::ptr::null()),
                OpArg::Float(f) => (3, 0, f, std::ptr::null()),
                OpArg::Tensor(t) => (4, 0, 0.0, t.as_ptr().cast()),
            };
            RawArg { tag, i, f, p }
        })
        .collect();
    let nargs = c_int::try_from(raw.len()).map_err(|_| bad("too many arguments"))?;
    let mut error: *mut c_char = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call (the tensors outlive
    // it); the C++ side catches every exception, and returns either a
    // fresh heap `at::Tensor*` or null with a malloc'd message in `error`.
    let ptr = unsafe {
        kconform_call_op(
            name_c.as_ptr(),
            overload_c.as_ptr(),
            raw.as_ptr(),
            nargs,
            &mut error,
        )
    };
    if !error.is_null() {
        // SAFETY: a NUL-terminated string from strdup, freed once here.
        let message = unsafe { CStr::from_ptr(error) }
            .to_string_lossy()
            .into_owned();
        unsafe { free(error.cast()) };
        return Err(TchError::Torch(message));
    }
    if ptr.is_null() {
        return Err(bad("no tensor returned"));
    }
    // SAFETY: non-null, freshly allocated, owned from here on by the tch::Tensor.
    Ok(unsafe { tch::Tensor::from_ptr(ptr.cast()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_op_passes_scalars_and_returns_errors() {
        let x = tch::Tensor::from_slice(&[-2.0f32, 3.0]);
        let y = call_op(
            "aten::leaky_relu",
            "",
            &[OpArg::Tensor(&x), OpArg::Float(0.5)],
        )
        .unwrap();
        assert_eq!(Vec::<f32>::try_from(&y).unwrap(), vec![-1.0, 3.0]);
        let ints = tch::Tensor::from_slice(&[1i32]);
        let e = call_op("aten::elu", "", &[OpArg::Tensor(&ints), OpArg::Int(1)]).unwrap_err();
        assert!(e.to_string().contains("not implemented for 'Int'"), "{e}");
        assert!(call_op("aten::no_such_op", "", &[]).is_err());
        assert!(call_op("aten::relu", "", &[OpArg::Tensor(&x), OpArg::Int(1)]).is_err());
    }
}
