//! Small pieces of Python and PyTorch behavior the `nn` kernels share.

use kconform_api::{BackendError, Value};

use crate::args::py_type_name;
use crate::keras::R;
use crate::shim::{wrapped_number, PyScalar};

/// `keras.backend.epsilon()`.
pub const EPSILON: f64 = 1e-7;

/// `str(torch.Size(shape))`: `torch.Size([2, 3])`.
pub fn torch_size(shape: &[i64]) -> String {
    let dims: Vec<String> = shape.iter().map(i64::to_string).collect();
    format!("torch.Size([{}])", dims.join(", "))
}

/// A Python number passed to a torch op: the 0-d "wrapped number" tensor
/// PyTorch makes of it (weak in type promotion).
pub fn py_number(v: &Value) -> R<tch::Tensor> {
    let s = match v {
        Value::Bool(b) => PyScalar::Bool(*b),
        Value::Int(i) => PyScalar::Int(*i),
        Value::Float(f) => PyScalar::Float(*f),
        other => {
            return Err(BackendError::Unsupported(format!(
                "a {} where a Python number is expected",
                other.kind()
            )))
        }
    };
    Ok(wrapped_number(s)?)
}

/// A Python float passed to a torch op (see [`py_number`]).
pub fn py_float(f: f64) -> R<tch::Tensor> {
    Ok(wrapped_number(PyScalar::Float(f))?)
}

/// Python's `seq[i]` position in a sequence of `len` items (negative counts
/// from the end), or `None` when out of range.
pub fn py_index(i: i64, len: usize) -> Option<usize> {
    let j = if i < 0 { i + len as i64 } else { i };
    usize::try_from(j).ok().filter(|&j| j < len)
}

/// A Python `int` argument used as a list index (`TypeError` otherwise).
pub fn list_index(v: &Value, what: &str) -> R<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        other => Err(BackendError::type_error(format!(
            "{what} indices must be integers or slices, not {}",
            py_type_name(other)
        ))),
    }
}

/// Python truthiness of a flag argument (`if from_logits:`); absent is false.
pub fn truthy(v: Option<&Value>) -> R<bool> {
    v.map_or(Ok(false), crate::args::truthy)
}
