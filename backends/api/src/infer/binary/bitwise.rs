//! Rules of the bitwise ops: Keras keeps `x`'s shape (no broadcasting) and
//! reads `.dtype` of both operands.

use super::dtype_attr;
use crate::call::OpCall;
use crate::error::BackendError;
use crate::infer::util::{bind, promote, require_spec, spec};
use crate::promote::Operand;
use crate::value::Value;

/// `bitwise_and/or/xor(x, y)`: `x.shape`, `result_type(x.dtype, y.dtype)`.
pub fn bitwise_binary(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "y"], 2)?;
    let none = &Value::None;
    let (x, y) = (args[0].unwrap_or(none), args[1].unwrap_or(none));
    let dtype = promote(&[
        Operand::Strong(dtype_attr(x)?),
        Operand::Strong(dtype_attr(y)?),
    ])?;
    Ok(spec(require_spec(Some(x), "x")?.shape, dtype))
}

/// `bitwise_not/invert(x)`: `x`'s shape and dtype as declared.
pub fn bitwise_unary(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x"], 1)?;
    let x = require_spec(args[0], "x")?;
    Ok(spec(x.shape, x.dtype))
}

/// `left_shift/right_shift(x, y)`: `x.shape`; `x.dtype` when `y` is a Python
/// `int` (or `bool`), else `result_type(x.dtype, y.dtype)`.
pub fn shift(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "y"], 2)?;
    let none = &Value::None;
    let (x, y) = (args[0].unwrap_or(none), args[1].unwrap_or(none));
    let x_dtype = dtype_attr(x)?;
    let dtype = match y {
        Value::Int(_) | Value::Bool(_) => x_dtype,
        _ => promote(&[Operand::Strong(x_dtype), Operand::Strong(dtype_attr(y)?)])?,
    };
    Ok(spec(require_spec(Some(x), "x")?.shape, dtype))
}
