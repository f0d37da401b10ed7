//! Smooth activations that are one `torch.nn.functional` call on `x`
//! (`sigmoid`, `silu`, `softplus`, `log_sigmoid`, `selu`, `gelu`) or a short
//! Python expression of torch calls (`softsign`, `tanh_shrink`).

use kconform_api::{OpCall, Value};

use super::py_number;
use crate::args::{bind, truthy};
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};
use crate::ops::foundation::elementwise::unary;
use crate::shim::PyScalar;

/// `sigmoid(x)`: `tnn.sigmoid` (`input.sigmoid()`; ints and bools give float32).
pub fn sigmoid(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_sigmoid)
}

/// `silu(x)` (and `swish`): `tnn.silu`, which refuses integer and bool tensors.
pub fn silu(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_silu)
}

/// `softplus(x)`: `tnn.softplus` with torch's defaults `beta=1, threshold=20`
/// (`x` itself above 20).
pub fn softplus(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_softplus)
}

/// `log_sigmoid(x)`: `tnn.logsigmoid`.
pub fn log_sigmoid(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_log_sigmoid)
}

/// `selu(x)`: `tnn.selu` (`torch.selu`).
pub fn selu(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_selu)
}

/// `gelu(x, approximate=True)`: `tnn.gelu(x, approximate="tanh")` when
/// `approximate` is truthy (Python truthiness: any non-empty value), else
/// the exact `tnn.gelu(x)`.
pub fn gelu(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "approximate"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let approximate = a.get(1).map_or(Ok(true), truthy)?;
    let mode = if approximate { "tanh" } else { "none" };
    output(&x.f_gelu(mode).py()?)
}

/// `softsign(x)`: `tnn.softsign`, the Python expression `x / (x.abs() + 1)`
/// (the `1` a wrapped number, so the sum keeps `x`'s dtype; the division is
/// true division).
pub fn softsign(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let one = py_number(PyScalar::Int(1))?;
    let denominator = x.f_abs().py()?.f_add(&one).py()?;
    output(&x.f_div(&denominator).py()?)
}

/// `tanh_shrink(x)`: `tnn.tanhshrink`, the Python expression `x - x.tanh()`.
pub fn tanh_shrink(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    output(&x.f_sub(&x.f_tanh().py()?).py()?)
}
