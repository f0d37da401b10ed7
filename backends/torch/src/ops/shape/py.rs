//! Python's own semantics on argument values (`len`, truthiness, `== 0`,
//! slicing), where Keras-torch's code applies them before torch sees a value.

use kconform_api::{BackendError, Value};

use crate::args::py_type_name;
use crate::keras::R;

/// Python's `len(v)`, or its `TypeError` for a value without one.
pub(super) fn py_len(v: &Value) -> R<usize> {
    match v {
        Value::List(items) | Value::Tuple(items) => Ok(items.len()),
        Value::Str(s) => Ok(s.chars().count()),
        Value::Dict(d) => Ok(d.len()),
        Value::Tensor(t) if t.rank() > 0 => Ok(t.shape()[0]),
        Value::Tensor(_) => Err(BackendError::type_error("len() of unsized object")),
        other => Err(BackendError::type_error(format!(
            "object of type '{}' has no len()",
            py_type_name(other)
        ))),
    }
}

/// The elements of a list, tuple or 1-D integer array as Python values (an
/// array's elements become ints, as NumPy integers stand for them).
pub(super) fn py_items(v: &Value) -> R<Vec<Value>> {
    match v {
        Value::List(items) | Value::Tuple(items) => Ok(items.clone()),
        Value::Tensor(t) if t.rank() == 1 && t.dtype().is_integer() => Ok(t
            .to_f64_vec()
            .into_iter()
            .map(|f| Value::Int(f as i64))
            .collect()),
        other => Err(BackendError::Unsupported(format!(
            "a {} as a sequence of ints",
            other.kind()
        ))),
    }
}

/// Python's `v == 0` for a Python number (anything else is unequal).
pub(super) fn py_is_zero(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::Float(f) => *f == 0.0,
        Value::Tensor(t) if t.len() == 1 => t.to_f64_vec()[0] == 0.0,
        _ => false,
    }
}

/// The end of the Python slice `[:stop]` of a sequence of length `len`.
pub(super) fn slice_end(len: usize, stop: i64) -> usize {
    let n = len as i64;
    let end = if stop < 0 {
        (n + stop).max(0)
    } else {
        stop.min(n)
    };
    end as usize
}
