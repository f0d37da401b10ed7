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

/// An `int` keyword argument of a torch function, as PyTorch's argument
/// parser reads it (a `bool` is refused there as well).
fn torch_int(v: &Value, function: &str, param: &str) -> R<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(BackendError::type_error(format!(
            "{function}(): argument '{param}' must be int, not {}",
            py_type_name(other)
        ))),
    }
}

/// `any_symbolic_tensors(x)` of the ops that pass `x` itself (not `(x,)`):
/// its `args or ()` takes the truth value of an array, which NumPy refuses
/// for more than one element.
fn truth_value_of(x: &Value) -> R<()> {
    match x {
        Value::Tensor(t) if t.len() > 1 => Err(BackendError::value_error(
            "The truth value of an array with more than one element is ambiguous. Use a.any() \
             or a.all()",
        )),
        _ => Ok(()),
    }
}

/// Keras's `sequence_stride` check in `ops.stft` / `ops.istft`: a positive
/// `int` (a `bool` is one).
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
