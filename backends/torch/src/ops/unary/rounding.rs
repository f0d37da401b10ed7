//! Rounding: `floor`, `ceil`, `trunc` and `round` (with `decimals`), as
//! Keras 3.15.1's `backend/torch/numpy.py` does them.

use kconform_api::promote::Operand;
use kconform_api::{BackendError, DType, OpCall, Value};

use super::torch_type_name;
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, result_type, tensor, Ctx, R};

/// The float dtype `floor` and `ceil` return: `floatx()` for int64, else
/// `result_type(dtype, float)` (float32 for the other integers and bool).
fn rounded_dtype(d: DType) -> R<DType> {
    if d == DType::Int64 {
        Ok(DType::Float32)
    } else {
        result_type(&[Operand::Strong(d), Operand::WeakFloat])
    }
}

/// `floor(x)`: cast to the float result dtype, then `torch.floor`.
pub fn floor(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let d = rounded_dtype(dtype(&x)?)?;
    let x = cast(x, d)?;
    output(&x.f_floor().py()?)
}

/// `ceil(x)`: `torch.ceil`, then a cast to the float result dtype. Keras works
/// around torch's gaps first: bool is cast to uint8, and float16 on the CPU
/// to float32.
pub fn ceil(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let ori = dtype(&x)?;
    let x = if ori == DType::Bool {
        cast(x, DType::Uint8)?
    } else if ctx.device == tch::Device::Cpu && ori == DType::Float16 {
        cast(x, DType::Float32)?
    } else {
        x
    };
    output(&cast(x.f_ceil().py()?, rounded_dtype(ori)?)?)
}

/// `trunc(x)`: a bool tensor is returned as is, anything else goes to `torch.trunc`.
pub fn trunc(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    if dtype(&x)? == DType::Bool {
        return output(&x);
    }
    output(&x.f_trunc().py()?)
}

/// `decimals` as `torch.round(x, decimals=decimals)` parses it: a Python
/// `int` (not a `bool`), or PyTorch's "invalid combination" `TypeError`.
fn decimals(v: Option<&Value>) -> R<i64> {
    match v {
        None => Ok(0),
        Some(Value::Int(i)) => Ok(*i),
        Some(other) => Err(BackendError::type_error(format!(
            "round() received an invalid combination of arguments - got (Tensor, decimals={}), \
             but expected one of:\n * (Tensor input, *, Tensor out = None)\n \
             * (Tensor input, *, int decimals, Tensor out = None)\n",
            torch_type_name(other)
        ))),
    }
}

/// `round(x, decimals=0)`: `torch.round(x, decimals=decimals)` (half to even;
/// with `decimals` it scales by `10 ** decimals` in the input dtype). Integer
/// tensors (`"int" in dtype`) go through float32 and are cast back, so large
/// values lose precision; bool reaches `torch.round` and raises.
pub fn round(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "decimals"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let ori = dtype(&x)?;
    if ori.is_integer() {
        let x = cast(x, DType::Float32)?;
        let r = x.f_round_decimals(decimals(a.get(1))?).py()?;
        return output(&cast(r, ori)?);
    }
    output(&x.f_round_decimals(decimals(a.get(1))?).py()?)
}
