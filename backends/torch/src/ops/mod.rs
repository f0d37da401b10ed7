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

use kconform_api::{DType, OpCall, Value};

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
