//! One-tensor elementwise rules: the output has the input's shape.

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{float_dtype, same_shape};
use crate::value::Value;

/// `absolute`, `conjugate`: the input's dtype (`int64` included; nothing is
/// narrowed symbolically).
pub fn same_dtype(call: &OpCall) -> Result<Value, BackendError> {
    same_shape(call, &["x"], 1, Ok)
}

/// `arccos`, `arcsin`, `arcsinh`, `arctan`, `arctanh`: `floatx()` for
/// `int64`, else `result_type(x.dtype, float)`.
pub fn float_unary(call: &OpCall) -> Result<Value, BackendError> {
    same_shape(call, &["x"], 1, float_dtype)
}

/// `isfinite`, `isinf`, `isnan`: `bool`.
pub fn classify(call: &OpCall) -> Result<Value, BackendError> {
    same_shape(call, &["x"], 1, |_| Ok(DType::Bool))
}

/// `clip(x, x_min, x_max)`: the input's dtype, `bool` giving `int32` (the
/// bounds take no part in the symbolic dtype).
pub fn clip(call: &OpCall) -> Result<Value, BackendError> {
    same_shape(call, &["x", "x_min", "x_max"], 3, |d| {
        Ok(if d == DType::Bool { DType::Int32 } else { d })
    })
}
