//! Activations whose torch function takes `Scalar` parameters: `leaky_relu`,
//! `elu`, `celu`, `soft_shrink`, `hard_shrink` and `threshold`.
//!
//! tch 0.24 leaves these parameters out of its wrappers (only the defaults
//! are reachable), so the ATen operators are called through the dispatcher
//! ([`call_op`]) with the Python values Keras passes on, after the checks
//! PyTorch's argument parser makes on a `Number` parameter.

use kconform_api::{OpCall, Value};

use super::parser::number;
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};
use crate::shim::{call_op, OpArg};

/// `keras_op(x, param=default)` calling `aten::<aten>(x, param)`; `function`
/// and `position` are how torch's parser names the parameter.
fn with_one_number(
    ctx: Ctx,
    call: &OpCall,
    param: (&str, f64),
    aten: &str,
    torch_param: (&str, Option<usize>),
) -> R<Value> {
    let a = bind(call, &["x", param.0], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let value = match a.get(1) {
        Some(v) => number(v, aten, torch_param.0, torch_param.1)?,
        None => OpArg::Float(param.1),
    };
    let name = format!("aten::{aten}");
    output(&call_op(&name, "", &[OpArg::Tensor(&x), value]).py()?)
}

/// `leaky_relu(x, negative_slope=0.2)`: `tnn.leaky_relu(x, negative_slope)`
/// (float tensors only).
pub fn leaky_relu(ctx: Ctx, call: &OpCall) -> R<Value> {
    with_one_number(
        ctx,
        call,
        ("negative_slope", 0.2),
        "leaky_relu",
        ("negative_slope", Some(2)),
    )
}

/// `elu(x, alpha=1.0)`: `tnn.elu(x, alpha)` (float tensors only).
pub fn elu(ctx: Ctx, call: &OpCall) -> R<Value> {
    with_one_number(ctx, call, ("alpha", 1.0), "elu", ("alpha", Some(2)))
}

/// `celu(x, alpha=1.0)`: `tnn.celu(x, alpha=alpha)`, i.e. `torch.celu`, which
/// raises for `alpha == 0` (a `ZeroDivisionError` message in a RuntimeError).
pub fn celu(ctx: Ctx, call: &OpCall) -> R<Value> {
    with_one_number(ctx, call, ("alpha", 1.0), "celu", ("alpha", Some(2)))
}

/// `soft_shrink(x, threshold=0.5)`: `tnn.softshrink(x, lambd=threshold)`
/// (NaN stays NaN; negative thresholds are refused by torch).
pub fn soft_shrink(ctx: Ctx, call: &OpCall) -> R<Value> {
    with_one_number(ctx, call, ("threshold", 0.5), "softshrink", ("lambd", None))
}

/// `hard_shrink(x, threshold=0.5)`: `tnn.hardshrink(x, lambd=threshold)`.
pub fn hard_shrink(ctx: Ctx, call: &OpCall) -> R<Value> {
    with_one_number(ctx, call, ("threshold", 0.5), "hardshrink", ("lambd", None))
}

/// `threshold(x, threshold, default_value)`:
/// `tnn.threshold(x, threshold=threshold, value=default_value)`, in `x`'s own
/// dtype (both numbers are cast to it).
pub fn threshold(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "threshold", "default_value"], 3)?;
    let x = tensor(ctx, a.req(0))?;
    let t = number(a.req(1), "threshold", "threshold", Some(2))?;
    let value = number(a.req(2), "threshold", "value", Some(3))?;
    output(&call_op("aten::threshold", "", &[OpArg::Tensor(&x), t, value]).py()?)
}
