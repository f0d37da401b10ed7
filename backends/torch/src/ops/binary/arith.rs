//! Binary arithmetic: divide_no_nan, floor_divide, fmod, mod, maximum,
//! minimum, gcd, lcm.

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};

use super::{converted_pair, operand_of, raw_operand, scalar_zero, torch_binary, TorchBinary};
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{cast, convert, dtype, output, result_type, Ctx, R};
use crate::ops::foundation::arith::divide_operand;
use crate::pylist::leaf;

/// `divide_no_nan(x1, x2)`: both converted to `result_type(x1, x2, float)`
/// (read off the unconverted arguments, so a uint32 array counts as uint32),
/// then `torch.where(x2 == 0, 0, x1 / where(x2 == 0, 1, x2))`. A float32
/// denormal divisor is not zero to torch, so it divides.
pub fn divide_no_nan(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x1", "x2"], 2)?;
    let (v1, v2) = (a.req(0), a.req(1));
    let d = result_type(&[raw_operand(v1)?, raw_operand(v2)?, Operand::WeakFloat])?;
    let x1 = convert(ctx, v1, Some(d))?;
    let x2 = convert(ctx, v2, Some(d))?;
    let is_zero = x2.f_eq_tensor(&scalar_zero(&x2)?).py()?;
    let safe_x2 = x2.f_ones_like().py()?.f_where_self(&is_zero, &x2).py()?;
    let quotient = x1.f_div(&safe_x2).py()?;
    output(
        &scalar_zero(&quotient)?
            .f_where_self(&is_zero, &quotient)
            .py()?,
    )
}

/// `floor_divide(x1, x2)`: Python numbers go to `torch.floor_divide` as is,
/// other arguments converted; the result is cast to `result_type` of the two
/// (Python numbers weak), so 64-bit results narrow and bool / bool, which
/// torch refuses, raises.
pub fn floor_divide(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x1", "x2"], 2)?;
    let (v1, v2) = (a.req(0), a.req(1));
    let x1 = divide_operand(ctx, v1)?;
    let x2 = divide_operand(ctx, v2)?;
    let d = result_type(&[operand_of(v1, &x1)?, operand_of(v2, &x2)?])?;
    output(&cast(x1.f_floor_divide(&x2).py()?, d)?)
}

/// Keras-torch's `fmod`/`mod` body: both converted, cast to int32 when their
/// `result_type` is bool, then the torch op with torch's promotion (float64
/// stays float64; uint32 arrays, held as int64, give int64).
fn remainder_like(ctx: Ctx, call: &OpCall, op: TorchBinary) -> R<Value> {
    let (x1, x2) = converted_pair(ctx, call, ["x1", "x2"])?;
    let d = result_type(&[Operand::Strong(dtype(&x1)?), Operand::Strong(dtype(&x2)?)])?;
    let (x1, x2) = if d == DType::Bool {
        (cast(x1, DType::Int32)?, cast(x2, DType::Int32)?)
    } else {
        (x1, x2)
    };
    output(&op(&x1, &x2).py()?)
}

/// `fmod(x1, x2)`: `torch.fmod` (C's truncated remainder; an integer zero
/// divisor raises torch's `RuntimeError: ZeroDivisionError`).
pub fn fmod(ctx: Ctx, call: &OpCall) -> R<Value> {
    remainder_like(ctx, call, tch::Tensor::f_fmod_tensor)
}

/// `mod(x1, x2)`: `torch.remainder` (Python's floored remainder).
pub fn mod_(ctx: Ctx, call: &OpCall) -> R<Value> {
    remainder_like(ctx, call, tch::Tensor::f_remainder_tensor)
}

/// Keras-torch's `maximum`/`minimum` body: non-numbers converted, the dtype
/// is `result_type` of the two (Python numbers weak, so `int8` with `300`
/// stays int8 and the conversion of 300 overflows), both converted to it.
fn extremum(ctx: Ctx, call: &OpCall, op: TorchBinary) -> R<Value> {
    let a = bind(call, &["x1", "x2"], 2)?;
    let (v1, v2) = (a.req(0), a.req(1));
    let x1 = divide_operand(ctx, v1)?;
    let x2 = divide_operand(ctx, v2)?;
    let d = result_type(&[operand_of(v1, &x1)?, operand_of(v2, &x2)?])?;
    let retyped = |v: &Value, x: tch::Tensor| match leaf(v) {
        Some(_) => convert(ctx, v, Some(d)),
        None => cast(x, d),
    };
    let x1 = retyped(v1, x1)?;
    let x2 = retyped(v2, x2)?;
    output(&op(&x1, &x2).py()?)
}

/// `maximum(x1, x2)`: `torch.maximum` (NaN propagates; `max(-0.0, 0.0)` is
/// whichever torch's kernel picks).
pub fn maximum(ctx: Ctx, call: &OpCall) -> R<Value> {
    extremum(ctx, call, tch::Tensor::f_maximum)
}

/// `minimum(x1, x2)`: `torch.minimum`.
pub fn minimum(ctx: Ctx, call: &OpCall) -> R<Value> {
    extremum(ctx, call, tch::Tensor::f_minimum)
}

/// `gcd(x1, x2)`: `torch.gcd` on the converted operands (floats and bools
/// raise torch's `NotImplementedError`).
pub fn gcd(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, ["x1", "x2"], tch::Tensor::f_gcd)
}

/// `lcm(x1, x2)`: `torch.lcm` on the converted operands.
pub fn lcm(ctx: Ctx, call: &OpCall) -> R<Value> {
    torch_binary(ctx, call, ["x1", "x2"], tch::Tensor::f_lcm)
}
