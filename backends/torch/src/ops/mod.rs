//! The ops, one Keras function each, grouped by family. Every kernel follows
//! `keras/src/ops/numpy.py` (argument handling) and
//! `keras/src/backend/torch/numpy.py` (the torch calls) of Keras 3.15.1 line by
//! line, so that torch's own dtype promotion and numerics apply as they do under
//! Keras.

pub mod activations;
pub mod binary;
pub mod foundation;
pub mod linalg;
pub mod nn;
pub mod random;
pub mod shape;
pub mod spectral;
pub mod unary;
pub mod updates;

use kconform_api::{BackendError, DType, OpCall, Value};

use crate::args::py_type_name;

use crate::keras::{Ctx, R};

/// A kernel: runs one `keras.ops` call.
pub type Kernel = fn(Ctx, &OpCall) -> R<Value>;

/// Keras's `"int" in dtype or dtype == "bool"` test (unsigned included).
pub fn is_int_or_bool(d: DType) -> bool {
    d.is_integer() || d == DType::Bool
}

/// `str(x.shape)` of a torch tensor, as Keras error messages print it on the
/// torch backend: `torch.Size([2, 3])`.
pub fn torch_size(x: &tch::Tensor) -> String {
    let dims: Vec<String> = x.size().iter().map(i64::to_string).collect();
    format!("torch.Size([{}])", dims.join(", "))
}

/// An `int` argument of a torch function, as PyTorch's argument parser reads
/// it: a Python `int` only (a `bool` or `float` raises TypeError, which names
/// the position when the argument was passed positionally).
pub fn torch_int(v: &Value, function: &str, param: &str, position: Option<usize>) -> R<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        other => {
            let at = position.map_or(String::new(), |p| format!(" (position {p})"));
            Err(BackendError::type_error(format!(
                "{function}(): argument '{param}'{at} must be int, not {}",
                py_type_name(other)
            )))
        }
    }
}
