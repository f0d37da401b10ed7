//! One-tensor elementwise ops, `clip` and `conjugate`.

use kconform_api::{BackendError, DType, OpCall, Value};

use crate::args::{bind, py_type_name};
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, tensor, Ctx, R};

/// `name(x)`: `x` converted to a tensor, then the one torch function `f`.
pub fn unary(
    ctx: Ctx,
    call: &OpCall,
    f: fn(&tch::Tensor) -> Result<tch::Tensor, tch::TchError>,
) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    output(&f(&x).py()?)
}

/// `absolute(x)`: `torch.abs`, except that a bool tensor is returned as is.
pub fn absolute(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    if dtype(&x)? == DType::Bool {
        return output(&x);
    }
    output(&x.f_abs().py()?)
}

/// `arccos(x)`: `torch.arccos` (ints and bools promote to float32).
pub fn arccos(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_arccos)
}

/// `arcsin(x)`: `torch.arcsin`.
pub fn arcsin(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_arcsin)
}

/// `arcsinh(x)`: `torch.arcsinh`.
pub fn arcsinh(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_arcsinh)
}

/// `arctan(x)`: `torch.arctan`.
pub fn arctan(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_arctan)
}

/// `arctanh(x)`: `torch.arctanh`.
pub fn arctanh(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_arctanh)
}

/// `isfinite(x)`: `torch.isfinite`.
pub fn isfinite(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_isfinite)
}

/// `isinf(x)`: `torch.isinf`.
pub fn isinf(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_isinf)
}

/// `isnan(x)`: `torch.isnan`.
pub fn isnan(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_isnan)
}

/// `clip(x, x_min, x_max)`: every argument converted to a tensor, then
/// `torch.clip(x, min=x_min, max=x_max)`, so torch promotes across all three
/// (0-d bounds do not widen a dimensioned `x`). float16 on the CPU goes
/// through float32; bool `x` is clipped as int32.
pub fn clip(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "x_min", "x_max"], 3)?;
    let x = tensor(ctx, a.req(0))?;
    let lo = tensor(ctx, a.req(1))?;
    let hi = tensor(ctx, a.req(2))?;
    let ori = dtype(&x)?;
    if ctx.device == tch::Device::Cpu && ori == DType::Float16 {
        let x = cast(x, DType::Float32)?;
        return output(&cast(
            x.f_clamp_tensor(Some(&lo), Some(&hi)).py()?,
            DType::Float16,
        )?);
    }
    let x = if ori == DType::Bool {
        cast(x, DType::Int32)?
    } else {
        x
    };
    output(&x.f_clamp_tensor(Some(&lo), Some(&hi)).py()?)
}

/// `conjugate(x)`: Keras-torch calls `torch.from_numpy(x)` (so only NumPy
/// arrays are accepted, bfloat16 ones are not, and uint16/32/64 keep their
/// dtype), then `torch.conj(x).resolve_conj()`, the identity on real tensors.
/// The result is therefore the input array itself, computed host-side (tch
/// cannot hold torch's uint16/32/64).
pub fn conjugate(_ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    match a.req(0) {
        Value::Tensor(t) if t.dtype() == DType::Bfloat16 => Err(BackendError::type_error(
            "can't convert np.ndarray of type ml_dtypes.bfloat16. The only supported types are: float64, float32, \
             float16, complex64, complex128, int64, int32, int16, int8, uint64, uint32, uint16, uint8, and bool.",
        )),
        Value::Tensor(t) => Ok(Value::Tensor(t.clone())),
        other => Err(BackendError::type_error(format!("expected np.ndarray (got {})", py_type_name(other)))),
    }
}
