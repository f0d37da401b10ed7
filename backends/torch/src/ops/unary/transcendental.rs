//! Float functions (`sin`, `exp`, `log`, `erf`, …): Keras-torch converts the
//! input and calls the torch function of the same name, so torch's promotion
//! (integers and bool to float32) and numerics apply; a few ops cast first
//! (Keras 3.15.1 `backend/torch/numpy.py` and `backend/torch/math.py`).

use kconform_api::{DType, OpCall, Value};

use super::arithmetic::ints_to_floatx;
use super::{prepared_unary, TorchFn};
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, tensor, Ctx, R};
use crate::ops::foundation::elementwise::unary;
use crate::raw::{self, Number};

/// `sin(x)`: `torch.sin`.
pub fn sin(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_sin)
}

/// `cos(x)`: `torch.cos`.
pub fn cos(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_cos)
}

/// `tan(x)`: `torch.tan`.
pub fn tan(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_tan)
}

/// `sinh(x)`: `torch.sinh`.
pub fn sinh(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_sinh)
}

/// `cosh(x)`: `torch.cosh`.
pub fn cosh(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_cosh)
}

/// `tanh(x)`: `torch.tanh`.
pub fn tanh(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_tanh)
}

/// `arccosh(x)`: `torch.arccosh`.
pub fn arccosh(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_arccosh)
}

/// `exp(x)`: integers and bool cast to float32, then `torch.exp`.
pub fn exp(ctx: Ctx, call: &OpCall) -> R<Value> {
    prepared_unary(ctx, call, ints_to_floatx, tch::Tensor::f_exp)
}

/// `exp2(x)`: integers and bool cast to float32, then `torch.exp2`.
pub fn exp2(ctx: Ctx, call: &OpCall) -> R<Value> {
    prepared_unary(ctx, call, ints_to_floatx, tch::Tensor::f_exp2)
}

/// `expm1(x)`: integers and bool cast to float32, then `torch.expm1`.
pub fn expm1(ctx: Ctx, call: &OpCall) -> R<Value> {
    prepared_unary(ctx, call, ints_to_floatx, tch::Tensor::f_expm1)
}

/// `log(x)`: `torch.log`.
pub fn log(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_log)
}

/// `log10(x)`: `torch.log10`.
pub fn log10(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_log10)
}

/// `log1p(x)`: `torch.log1p`.
pub fn log1p(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_log1p)
}

/// `log2(x)`: `torch.log2`.
pub fn log2(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_log2)
}

/// `sqrt(x)`: int64 cast to float32 (other integers and bool are promoted to
/// float32 by torch), then `torch.sqrt`.
pub fn sqrt(ctx: Ctx, call: &OpCall) -> R<Value> {
    prepared_unary(
        ctx,
        call,
        |x, d| {
            if d == DType::Int64 {
                cast(x, DType::Float32)
            } else {
                Ok(x)
            }
        },
        tch::Tensor::f_sqrt,
    )
}

/// `rsqrt(x)` (`keras.ops.rsqrt`, `backend/torch/math.py`): `torch.rsqrt`,
/// which accepts integers (float32 result) where JAX's `lax.rsqrt` refuses them.
pub fn rsqrt(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_rsqrt)
}

/// `cbrt(x)`: bool cast to int32 and int64 to float64, then
/// `torch.sign(x) * torch.abs(x) ** (1.0 / 3.0)` (a Python-float exponent:
/// integers give float32, and the cube root of a negative number is exact only
/// as far as `pow` is).
pub fn cbrt(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let x = match dtype(&x)? {
        DType::Bool => cast(x, DType::Int32)?,
        DType::Int64 => cast(x, DType::Float64)?,
        _ => x,
    };
    let magnitude = raw::pow_tensor_scalar(&x.f_abs().py()?, Number::Float(1.0 / 3.0)).py()?;
    output(&x.f_sign().py()?.f_mul(&magnitude).py()?)
}

/// `deg2rad` / `rad2deg`: the torch function, whose int64 result (float32)
/// Keras casts to float64.
fn angle(ctx: Ctx, call: &OpCall, f: TorchFn) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let int64 = dtype(&x)? == DType::Int64;
    let r = f(&x).py()?;
    output(&if int64 { cast(r, DType::Float64)? } else { r })
}

/// `deg2rad(x)`: `torch.deg2rad` (int64 input gives float64).
pub fn deg2rad(ctx: Ctx, call: &OpCall) -> R<Value> {
    angle(ctx, call, tch::Tensor::f_deg2rad)
}

/// `rad2deg(x)`: `torch.rad2deg` (int64 input gives float64).
pub fn rad2deg(ctx: Ctx, call: &OpCall) -> R<Value> {
    angle(ctx, call, tch::Tensor::f_rad2deg)
}

/// `erf(x)` (`backend/torch/math.py`): `torch.erf`, which accepts integers
/// (float32 result) where JAX's `lax.erf` refuses them.
pub fn erf(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_erf)
}

/// `erfc(x)`: `torch.erfc`.
pub fn erfc(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_erfc)
}

/// `erfinv(x)`: `torch.erfinv`.
pub fn erfinv(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_erfinv)
}

/// `sinc(x)`: `torch.sinc`.
pub fn sinc(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_sinc)
}
