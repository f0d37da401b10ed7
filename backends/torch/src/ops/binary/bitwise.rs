//! Bitwise ops: bitwise_and, bitwise_or, bitwise_xor, bitwise_invert,
//! bitwise_not, left_shift, right_shift.
//!
//! Keras-torch converts and calls torch, so uint32 arrays (held as int64)
//! are inverted and shifted as int64, and floats raise torch's
//! `NotImplementedError`.

use kconform_api::{OpCall, Value};

use super::{torch_binary, TorchBinary};
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};
use crate::shim::{wrapped_number, PyScalar};

const X_Y: [&str; 2] = ["x", "y"];

/// `bitwise_and(x, y)`: `torch.bitwise_and`.
pub fn bitwise_and(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X_Y, tch::Tensor::f_bitwise_and_tensor)
}

/// `bitwise_or(x, y)`: `torch.bitwise_or`.
pub fn bitwise_or(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X_Y, tch::Tensor::f_bitwise_or_tensor)
}

/// `bitwise_xor(x, y)`: `torch.bitwise_xor`.
pub fn bitwise_xor(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, X_Y, tch::Tensor::f_bitwise_xor_tensor)
}

/// `bitwise_invert(x)`: `torch.bitwise_not`.
pub fn bitwise_invert(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    output(&tensor(ctx, a.req(0))?.f_bitwise_not().py()?)
}

/// `bitwise_not(x)`: Keras-torch's `bitwise_invert(x)`.
pub fn bitwise_not(ctx: Ctx, call: &OpCall) -> R<Value> {
    bitwise_invert(ctx, call)
}

/// Keras-torch's `bitwise_left_shift`/`bitwise_right_shift` body: `x`
/// converted; `y` passed to torch as is when it is a Python `int` (or
/// `bool`), so torch wraps it (a bool `x` shifted by an int gives int64, and
/// an amount beyond int8 is truncated into `x`'s dtype without error),
/// otherwise converted.
fn shift(ctx: Ctx, call: &OpCall, op: TorchBinary) -> R<Value> {
    let a = bind(call, &X_Y, 2)?;
    let x = tensor(ctx, a.req(0))?;
    let y = match a.req(1) {
        Value::Int(i) => wrapped_number(PyScalar::Int(*i))?,
        Value::Bool(b) => wrapped_number(PyScalar::Bool(*b))?,
        other => tensor(ctx, other)?,
    };
    output(&op(&x, &y).py()?)
}

/// `left_shift(x, y)`: `torch.bitwise_left_shift`.
pub fn left_shift(ctx: Ctx, call: &OpCall) -> R<Value> {
    shift(ctx, call, tch::Tensor::f_bitwise_left_shift)
}

/// `right_shift(x, y)`: `torch.bitwise_right_shift` (arithmetic for signed
/// dtypes).
pub fn right_shift(ctx: Ctx, call: &OpCall) -> R<Value> {
    shift(ctx, call, tch::Tensor::f_bitwise_right_shift)
}
