//! Tests and replacements of special values: `logical_not`, `signbit`,
//! `isneginf`, `isposinf`, `nan_to_num` (Keras 3.15.1 `backend/torch/numpy.py`).

use kconform_api::{BackendError, OpCall, Value};

use super::torch_type_name;
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};
use crate::ops::foundation::elementwise::unary;

/// `logical_not(x)`: `torch.logical_not`.
pub fn logical_not(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_logical_not)
}

/// `signbit(x)`: `torch.signbit`.
pub fn signbit(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_signbit)
}

/// `isneginf(x)`: `torch.isneginf`.
pub fn isneginf(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_isneginf)
}

/// `isposinf(x)`: `torch.isposinf`.
pub fn isposinf(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_isposinf)
}

/// A `float?` argument of `torch.nan_to_num` as PyTorch's argument parser
/// reads it: `None`, or a Python `float`, `int` or `bool`.
fn optional_float(name: &str, v: Option<&Value>) -> R<Option<f64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Float(f)) => Ok(Some(*f)),
        Some(Value::Int(i)) => Ok(Some(*i as f64)),
        Some(Value::Bool(b)) => Ok(Some(f64::from(u8::from(*b)))),
        Some(other) => Err(BackendError::type_error(format!(
            "nan_to_num(): argument '{name}' must be float, not {}",
            torch_type_name(other)
        ))),
    }
}

/// `nan_to_num(x, nan=0.0, posinf=None, neginf=None)`:
/// `torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)`. The
/// replacements are cast to `x`'s dtype (`None` means 0 for `nan` and the
/// dtype's finite extremes for the infinities); integer and bool tensors come
/// back unchanged once the arguments have been parsed.
pub fn nan_to_num(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "nan", "posinf", "neginf"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let nan = match a.get(1) {
        None => Some(0.0),
        given => optional_float("nan", given)?,
    };
    let posinf = optional_float("posinf", a.get(2))?;
    let neginf = optional_float("neginf", a.get(3))?;
    output(&x.f_nan_to_num(nan, posinf, neginf).py()?)
}
