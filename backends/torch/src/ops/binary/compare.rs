//! Comparisons and logical ops: equal, not_equal, greater, greater_equal,
//! less, less_equal, isclose, logical_and, logical_or, logical_xor.
//!
//! Each converts both operands and calls the torch function, so torch
//! compares in its promoted dtype: a float32 denormal is not zero, float64
//! keeps its precision, and a uint32 array (held as int64) keeps its value.

use kconform_api::promote::Operand;
use kconform_api::{BackendError, OpCall, Value};

use super::torch_binary;
use crate::args::{bind, py_type_name};
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, result_type, tensor, Ctx, R};

const X1_X2: [&str; 2] = ["x1", "x2"];

/// `equal(x1, x2)`: `torch.eq`.
pub fn equal(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X1_X2, tch::Tensor::f_eq_tensor)
}

/// `not_equal(x1, x2)`: `torch.not_equal`.
pub fn not_equal(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X1_X2, tch::Tensor::f_ne_tensor)
}

/// `greater(x1, x2)`: `torch.greater`.
pub fn greater(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X1_X2, tch::Tensor::f_gt_tensor)
}

/// `greater_equal(x1, x2)`: `torch.greater_equal`.
pub fn greater_equal(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X1_X2, tch::Tensor::f_ge_tensor)
}

/// `less(x1, x2)`: `torch.less`.
pub fn less(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X1_X2, tch::Tensor::f_lt_tensor)
}

/// `less_equal(x1, x2)`: `torch.less_equal`.
pub fn less_equal(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X1_X2, tch::Tensor::f_le_tensor)
}

/// `logical_and(x1, x2)`: `torch.logical_and` (a float32 denormal is true).
pub fn logical_and(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X1_X2, tch::Tensor::f_logical_and)
}

/// `logical_or(x1, x2)`: `torch.logical_or`.
pub fn logical_or(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X1_X2, tch::Tensor::f_logical_or)
}

/// `logical_xor(x1, x2)`: `torch.logical_xor`.
pub fn logical_xor(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X1_X2, tch::Tensor::f_logical_xor)
}

/// A `float` argument of `torch.isclose` (`rtol`, `atol`): a Python int or
/// bool passes, anything else raises the parser's `TypeError`.
fn float_arg(v: Option<&Value>, default: f64, name: &str) -> R<f64> {
    match v {
        None => Ok(default),
        Some(Value::Float(f)) => Ok(*f),
        Some(Value::Int(i)) => Ok(*i as f64),
        Some(Value::Bool(b)) => Ok(f64::from(u8::from(*b))),
        Some(other) => Err(BackendError::type_error(format!(
            "isclose(): argument '{name}' must be float, not {}",
            py_type_name(other)
        ))),
    }
}

/// `isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False)`: both cast to
/// their `result_type` (so int64 narrows to int32); for a float result
/// `torch.isclose`, otherwise `torch.eq` (the tolerances then unused).
pub fn isclose(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x1", "x2", "rtol", "atol", "equal_nan"], 2)?;
    let x1 = tensor(ctx, a.req(0))?;
    let x2 = tensor(ctx, a.req(1))?;
    let d = result_type(&[Operand::Strong(dtype(&x1)?), Operand::Strong(dtype(&x2)?)])?;
    let (x1, x2) = (cast(x1, d)?, cast(x2, d)?);
    if !d.is_float() {
        return output(&x1.f_eq_tensor(&x2).py()?);
    }
    let rtol = float_arg(a.get(2), 1e-5, "rtol")?;
    let atol = float_arg(a.get(3), 1e-8, "atol")?;
    let equal_nan = match a.get(4) {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(BackendError::type_error(format!(
                "isclose(): argument 'equal_nan' must be bool, not {}",
                py_type_name(other)
            )))
        }
    };
    output(&x1.f_isclose(&x2, rtol, atol, equal_nan).py()?)
}
