//! Binary arithmetic: add, subtract, multiply, divide, power, arctan2.

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};

use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, result_type, tensor, Ctx, R};
use crate::shim::{wrapped_number, PyScalar};

fn operands(ctx: Ctx, call: &OpCall) -> R<(tch::Tensor, tch::Tensor)> {
    let a = bind(call, &["x1", "x2"], 2)?;
    Ok((tensor(ctx, a.req(0))?, tensor(ctx, a.req(1))?))
}

/// `add(x1, x2)`: both converted (Python scalars become 0-d int32/float32/bool
/// tensors), then `torch.add`, so torch's promotion applies.
pub fn add(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (x1, x2) = operands(ctx, call)?;
    output(&x1.f_add(&x2).py()?)
}

/// `multiply(x1, x2)`: `torch.multiply` on the converted operands.
pub fn multiply(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (x1, x2) = operands(ctx, call)?;
    output(&x1.f_mul(&x2).py()?)
}

/// `subtract(x1, x2)`: a bool operand is first cast to the other's dtype
/// (two bools stay bool, which torch refuses), then `torch.subtract`.
pub fn subtract(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (mut x1, mut x2) = operands(ctx, call)?;
    if dtype(&x1)? == DType::Bool {
        x1 = cast(x1, dtype(&x2)?)?;
    }
    if dtype(&x2)? == DType::Bool {
        x2 = cast(x2, dtype(&x1)?)?;
    }
    output(&x1.f_sub(&x2).py()?)
}

/// A `divide` operand: Python `int`/`float`/`bool` pass to torch untouched
/// (as PyTorch's wrapped numbers), anything else is converted.
pub fn divide_operand(ctx: Ctx, v: &Value) -> R<tch::Tensor> {
    let scalar = match v {
        Value::Bool(b) => PyScalar::Bool(*b),
        Value::Int(i) => PyScalar::Int(*i),
        Value::Float(f) => PyScalar::Float(*f),
        other => return tensor(ctx, other),
    };
    Ok(wrapped_number(scalar)?)
}

/// `divide(x1, x2)`: `torch.divide` (true division; integers give float32).
pub fn divide(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x1", "x2"], 2)?;
    let x1 = divide_operand(ctx, a.req(0))?;
    let x2 = divide_operand(ctx, a.req(1))?;
    output(&x1.f_div(&x2).py()?)
}

/// `power(x1, x2)`: `torch.pow` of two tensors (an integer base to a negative
/// integer tensor exponent gives 0 or ±1, no error).
pub fn power(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (x1, x2) = operands(ctx, call)?;
    output(&x1.f_pow(&x2).py()?)
}

/// `arctan2(x1, x2)`: result dtype `result_type(x1.dtype, x2.dtype, float)`;
/// float16 is computed in float32 on the CPU.
pub fn arctan2(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (x1, x2) = operands(ctx, call)?;
    let result = result_type(&[
        Operand::Strong(dtype(&x1)?),
        Operand::Strong(dtype(&x2)?),
        Operand::WeakFloat,
    ])?;
    let compute = if ctx.device == tch::Device::Cpu && result == DType::Float16 {
        DType::Float32
    } else {
        result
    };
    let (x1, x2) = (cast(x1, compute)?, cast(x2, compute)?);
    output(&cast(x1.f_arctan2(&x2).py()?, result)?)
}
