//! The `spectral` group of ops (as in the reference backend's `ops::spectral`), on
//! libtorch with Keras 3.15.1's torch-backend semantics
//! (`keras/src/backend/torch/math.py`): FFTs of `(real, imag)` pairs through
//! `torch.fft`, and short-time Fourier transforms through `torch.stft` /
//! `torch.istft` or Keras-torch's own overlap-add.

mod fft;
mod istft;
mod stft;

use kconform_api::{BackendError, Value};

use super::Kernel;
use crate::args::py_type_name;
use crate::keras::R;

/// This group's ops, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[
    ("fft", fft::fft),
    ("fft2", fft::fft2),
    ("ifft2", fft::ifft2),
    ("irfft", fft::irfft),
    ("istft", istft::istft),
    ("rfft", fft::rfft),
    ("stft", stft::stft),
];

/// `any_symbolic_tensors(x)` of the ops that pass `x` itself (not `(x,)`):
/// `for items in (x or ()): for v in items: ...` takes the truth value of `x`
/// (NumPy refuses it for an array of other than one element) and, when it
/// is true, iterates `x` (a 0-d array or a Python number cannot be).
fn truth_value_of(x: &Value) -> R<()> {
    let truthy =
        match x {
            Value::Tensor(t) if t.len() > 1 => {
                return Err(BackendError::value_error(
                    "The truth value of an array with more than one element is ambiguous. Use \
                 a.any() or a.all()",
                ))
            }
            Value::Tensor(t) if t.is_empty() => return Err(BackendError::value_error(
                "The truth value of an empty array is ambiguous. Use `array.size > 0` to check \
                 that an array is not empty.",
            )),
            Value::Tensor(t) => t.to_f64_vec().first().is_some_and(|&v| v != 0.0),
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            _ => false,
        };
    match x {
        Value::Tensor(t) if truthy && t.rank() == 0 => {
            Err(BackendError::type_error("iteration over a 0-d array"))
        }
        Value::Bool(_) | Value::Int(_) | Value::Float(_) if truthy => Err(
            BackendError::type_error(format!("'{}' object is not iterable", py_type_name(x))),
        ),
        _ => Ok(()),
    }
}

/// Keras's `sequence_stride` check in `ops.stft` / `ops.istft`: a positive
/// `int`, where `True` is one (though torch's `hop_length`, which Keras-torch
/// hands it to, refuses a `bool`).
fn sequence_stride(v: &Value) -> R<i64> {
    match v {
        Value::Int(i) if *i > 0 => Ok(*i),
        Value::Bool(true) => Ok(1),
        other => Err(BackendError::value_error(format!(
            "`sequence_stride` must be a positive integer. Received: sequence_stride={}",
            crate::args::py_repr(other)
        ))),
    }
}
