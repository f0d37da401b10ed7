//! Binary float functions: heaviside, hypot, logaddexp, logaddexp2.

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};

use super::{converted_pair, TorchBinary};
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, result_type, Ctx, R};

const X1_X2: [&str; 2] = ["x1", "x2"];

/// Keras-torch's `heaviside`/`hypot` body: both converted and cast to their
/// `result_type`, with integers up to 32 bits (uint32 included) made floatx
/// and int64 float64. That `result_type` already narrows int64 to int32 and
/// float64 to float32, and leaves bool as bool (which `hypot` then refuses).
fn integers_to_float(ctx: Ctx, call: &OpCall, op: TorchBinary) -> R<Value> {
    let (x1, x2) = converted_pair(ctx, call, X1_X2)?;
    let d = match result_type(&[Operand::Strong(dtype(&x1)?), Operand::Strong(dtype(&x2)?)])? {
        DType::Int8
        | DType::Int16
        | DType::Int32
        | DType::Uint8
        | DType::Uint16
        | DType::Uint32 => DType::Float32,
        DType::Int64 => DType::Float64,
        other => other,
    };
    output(&op(&cast(x1, d)?, &cast(x2, d)?).py()?)
}

/// `heaviside(x1, x2)`: `torch.heaviside` (a float32 denormal counts as
/// positive; NaN in `x1` gives `x2`'s value as torch computes it).
pub fn heaviside(ctx: Ctx, call: &OpCall) -> R<Value> {
    integers_to_float(ctx, call, tch::Tensor::f_heaviside)
}

/// `hypot(x1, x2)`: `torch.hypot`.
pub fn hypot(ctx: Ctx, call: &OpCall) -> R<Value> {
    integers_to_float(ctx, call, tch::Tensor::f_hypot)
}

/// `result_type(x1.dtype, x2.dtype, float)` of two converted operands.
fn float_result(x1: &tch::Tensor, x2: &tch::Tensor) -> R<DType> {
    result_type(&[
        Operand::Strong(dtype(x1)?),
        Operand::Strong(dtype(x2)?),
        Operand::WeakFloat,
    ])
}

/// `logaddexp(x1, x2)`: both cast to `result_type(x1, x2, float)` and
/// `torch.logaddexp`; float16 is computed in float32 on the CPU and cast back.
pub fn logaddexp(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (x1, x2) = converted_pair(ctx, call, X1_X2)?;
    let d = float_result(&x1, &x2)?;
    let compute = if ctx.device == tch::Device::Cpu && d == DType::Float16 {
        DType::Float32
    } else {
        d
    };
    let (x1, x2) = (cast(x1, compute)?, cast(x2, compute)?);
    output(&cast(x1.f_logaddexp(&x2).py()?, d)?)
}

/// `logaddexp2(x1, x2)`: both cast to `result_type(x1, x2, float)`, then
/// `torch.logaddexp2`.
pub fn logaddexp2(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (x1, x2) = converted_pair(ctx, call, X1_X2)?;
    let d = float_result(&x1, &x2)?;
    output(&cast(x1, d)?.f_logaddexp2(&cast(x2, d)?).py()?)
}
