//! libtorch's C API (torch-sys) called directly where tch 0.24 cannot be used
//! safely.
//!
//! tch frees a `Scalar` argument when the call's statement ends, *before* it
//! reads the op's error, and `Scalar::drop` unwraps libtorch's error slot: an
//! op taking a `Scalar` that fails therefore panics instead of returning `Err`.
//! Kernels avoid `Scalar` arguments (0-d tensors instead); `arange`, which has
//! only `Scalar` overloads, goes through here: call, read the error, then free;
//! so does `linalg_norm`, whose numeric `ord` is a `Scalar`.

use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_void};

use tch::{Device, Kind, TchError};

extern "C" {
    fn free(p: *mut c_void);
}

/// A number passed to libtorch as a `c10::Scalar`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer (`int64_t`).
    Int(i64),
    /// A float (`double`).
    Float(f64),
}

/// libtorch's `ScalarType` code of a kind (c10/core/ScalarType.h).
fn scalar_type(kind: Kind) -> c_int {
    match kind {
        Kind::Uint8 => 0,
        Kind::Int8 => 1,
        Kind::Int16 => 2,
        Kind::Int => 3,
        Kind::Int64 => 4,
        Kind::Half => 5,
        Kind::Float => 6,
        Kind::Double => 7,
        Kind::ComplexHalf => 8,
        Kind::ComplexFloat => 9,
        Kind::ComplexDouble => 10,
        Kind::Bool => 11,
        Kind::QInt8 => 12,
        Kind::QUInt8 => 13,
        Kind::QInt32 => 14,
        Kind::BFloat16 => 15,
        Kind::Float8e5m2 => 23,
        Kind::Float8e4m3fn => 24,
        Kind::Float8e5m2fnuz => 25,
        Kind::Float8e4m3fnuz => 26,
    }
}

/// tch's device code (`Device::c_int`, not public).
fn device_code(device: Device) -> c_int {
    match device {
        Device::Cpu => -1,
        Device::Cuda(n) => c_int::try_from(n).unwrap_or(c_int::MAX),
        Device::Mps => -2,
        Device::Vulkan => -3,
    }
}

/// Takes libtorch's pending error of this thread, if any.
fn last_error() -> Option<String> {
    // SAFETY: returns null or a strdup'd C string that we own and free.
    unsafe {
        let p = torch_sys::get_and_reset_last_err();
        if p.is_null() {
            return None;
        }
        let s = CStr::from_ptr(p as *const c_char)
            .to_string_lossy()
            .into_owned();
        free(p.cast());
        Some(s)
    }
}

fn scalar(n: Number) -> *mut torch_sys::C_scalar {
    // SAFETY: plain constructors; they cannot fail short of allocation failure.
    unsafe {
        match n {
            Number::Int(i) => torch_sys::ats_int(i),
            Number::Float(f) => torch_sys::ats_float(f),
        }
    }
}

/// Runs a libtorch C call that takes `Scalar` arguments and returns one
/// tensor: makes the scalars, calls `f(scalars, out)`, reads the error, and
/// only then frees the scalars.
fn with_scalars(
    numbers: &[Number],
    f: impl FnOnce(&[*mut torch_sys::C_scalar], *mut *mut torch_sys::C_tensor),
) -> Result<tch::Tensor, TchError> {
    if let Some(stale) = last_error() {
        return Err(TchError::Torch(format!("stale libtorch error: {stale}")));
    }
    let scalars: Vec<_> = numbers.iter().map(|&n| scalar(n)).collect();
    let mut out = [std::ptr::null_mut(); 1];
    f(&scalars, out.as_mut_ptr());
    let error = last_error();
    for s in scalars {
        // SAFETY: each scalar was created above and is freed once.
        unsafe { torch_sys::ats_free(s) };
    }
    let _ = last_error(); // ats_free cannot fail, but leave the slot clean.
    match (error, out[0].is_null()) {
        (Some(e), _) => Err(TchError::Torch(e)),
        (None, true) => Err(TchError::Torch("libtorch returned no tensor".into())),
        // SAFETY: a fresh tensor handle owned from here on by the tch::Tensor.
        (None, false) => Ok(unsafe { tch::Tensor::from_ptr(out[0]) }),
    }
}

/// `torch.arange(start, end, step, dtype=kind, device=device)`.
pub fn arange(
    start: Number,
    end: Number,
    step: Number,
    kind: Kind,
    device: Device,
) -> Result<tch::Tensor, TchError> {
    with_scalars(&[start, end, step], |s, out| {
        // SAFETY: valid scalars and an out slot for one tensor; errors are
        // caught by libtch's PROTECT and left in the thread's error slot.
        unsafe {
            torch_sys::c_generated::atg_arange_start_step(
                out,
                s[0],
                s[1],
                s[2],
                scalar_type(kind),
                device_code(device),
            )
        }
    })
}

/// `torch.linalg.norm(x, ord=ord, dim=dim, keepdim=keepdim)` for a numeric `ord`.
pub fn linalg_norm(
    x: &tch::Tensor,
    ord: Number,
    dim: Option<&[i64]>,
    keepdim: bool,
) -> Result<tch::Tensor, TchError> {
    let (dim_data, dim_len) = match dim {
        Some(d) => (d.as_ptr(), d.len()),
        None => (std::ptr::null(), 0),
    };
    let dim_len = c_int::try_from(dim_len).map_err(|e| TchError::Torch(e.to_string()))?;
    with_scalars(&[ord], |s, out| {
        // SAFETY: a live tensor, a valid scalar, a dim slice (or null for
        // None) that outlives the call, and an out slot for one tensor;
        // errors are left in the thread's error slot.
        unsafe {
            torch_sys::c_generated::atg_linalg_norm(
                out,
                x.as_ptr() as *mut torch_sys::C_tensor,
                s[0],
                dim_data,
                dim_len,
                c_int::from(keepdim),
                -1,
            )
        }
    })
}
