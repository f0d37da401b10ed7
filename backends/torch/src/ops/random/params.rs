//! Reading the arguments of the `keras.random` ops the way Keras-torch hands
//! them to torch.

use kconform_api::python::py_type_name;
use kconform_api::{BackendError, DType, Value};

use crate::keras::{dtype_arg, R};
use crate::shim::PyScalar;

/// A `shape` argument: a tuple or list of Python ints. A bare int is not a
/// sequence, and each Keras-torch op fails on it in its own way:
/// `int_shape_error` is the `TypeError` message it raises. (Other entries,
/// even `bool`s, fail torch's "tuple of ints" parsing with messages that
/// depend on the op and the entry: not reproduced.)
pub fn shape_arg(v: &Value, int_shape_error: &str) -> R<Vec<i64>> {
    match v {
        Value::Tuple(items) | Value::List(items) => items
            .iter()
            .map(|i| match i {
                Value::Int(d) => Ok(*d),
                other => Err(BackendError::Unsupported(format!(
                    "a shape entry given as a {}",
                    other.kind()
                ))),
            })
            .collect(),
        Value::Int(_) => Err(BackendError::type_error(int_shape_error)),
        other => Err(BackendError::Unsupported(format!(
            "a shape given as a {}",
            other.kind()
        ))),
    }
}

/// `torch.broadcast_to(x, shape)`'s `TypeError` for an int `shape` (gamma,
/// binomial and beta).
pub const BROADCAST_TO_INT_SIZE: &str =
    "broadcast_to(): argument 'size' (position 2) must be tuple of ints, not int";

/// A Python number argument as `f64` (the value torch receives).
pub fn number(v: &Value, what: &str) -> R<f64> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        other => Err(BackendError::Unsupported(format!(
            "`{what}` given as a {}",
            other.kind()
        ))),
    }
}

/// A Python number as PyTorch passes it to a tensor op.
pub fn py_scalar(v: &Value, what: &str) -> R<PyScalar> {
    match v {
        Value::Int(i) => Ok(PyScalar::Int(*i)),
        Value::Float(f) => Ok(PyScalar::Float(*f)),
        Value::Bool(b) => Ok(PyScalar::Bool(*b)),
        other => Err(BackendError::Unsupported(format!(
            "`{what}` given as a {}",
            other.kind()
        ))),
    }
}

/// `dtype or floatx()`.
pub fn float_dtype(v: Option<&Value>) -> R<DType> {
    v.map(dtype_arg)
        .transpose()
        .map(|d| d.unwrap_or(DType::Float32))
}

/// The class name PyTorch's argument parser prints for a value it rejects
/// (`must be Tensor, not numpy.ndarray`).
pub fn torch_arg_type(v: &Value) -> &'static str {
    match v {
        Value::Tensor(_) => "numpy.ndarray",
        other => py_type_name(other),
    }
}

/// Python's `seq[:stop]` bound (and `seq[stop:]`'s start) on a sequence of
/// `len` items: negative counts from the end, both clamped to `0..=len`.
pub fn py_slice_index(stop: i64, len: usize) -> usize {
    let len = len as i64;
    let i = if stop < 0 { stop + len } else { stop };
    i.clamp(0, len) as usize
}
