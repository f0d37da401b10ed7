//! Float functions (`sin`, `exp`, `log`, `erf`, …): the input is cast to the
//! float result dtype, the function is evaluated exactly in `f64` and rounded
//! once. Where `jnp` or XLA composes several operations (`log2`, `log10`,
//! `exp2`, `sinh`, `cosh`, `deg2rad`, `sinc`), each intermediate result is
//! rounded into the dtype as XLA rounds it.

use kconform_api::{OpCall, Value};

use super::rejected_dtype;
use std::f64::consts::{LN_2, LOG10_E, PI};

use crate::elem::flush;
use crate::elementwise::{float_unary, float_unary_steps, unary_input};
use crate::error::OpResult;
use crate::random::xla_math;

/// `true` for a nonzero `float32` subnormal.
fn subnormal(x: f64) -> bool {
    x != 0.0 && x.abs() < f64::from(f32::MIN_POSITIVE)
}

/// Rejects integer and bool inputs the way `jax.lax` primitives do.
fn float_only(call: &OpCall, primitive: &str, accepted: &str) -> OpResult<()> {
    let x = unary_input(call)?;
    if x.dtype().is_float() {
        Ok(())
    } else {
        Err(rejected_dtype(primitive, x.dtype(), accepted))
    }
}

/// `keras.ops.sin` (tiny inputs, subnormals included, come back unchanged).
pub fn sin(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::sin, false)
}

/// `keras.ops.cos`.
pub fn cos(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::cos, true)
}

/// `keras.ops.tan` (tiny inputs, subnormals included, come back unchanged).
pub fn tan(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::tan, false)
}

/// Rounds an intermediate result to `float32` (flushed): XLA evaluates
/// `sinh` and `cosh` of half floats in `float32`.
fn to_f32(v: f64) -> f64 {
    f64::from(flush(v as f32))
}

/// `e^(x + log(1/2))`, XLA's overflow-avoiding half of `e^x`, with
/// `x + log(1/2)` rounded to `float32` (up to ~30 ulp off near overflow).
fn half_exp(x: f64) -> f64 {
    to_f32(to_f32(x + to_f32(-LN_2)).exp())
}

/// `keras.ops.sinh`: XLA computes `e^(x + log(1/2)) - e^(-x + log(1/2))`
/// for `|x| >= 1` and an accurate formula below.
pub fn sinh(call: &OpCall) -> OpResult<Value> {
    float_unary(
        call,
        |x| {
            if x.abs() < 1.0 {
                x.sinh()
            } else {
                half_exp(x) - half_exp(-x)
            }
        },
        true,
    )
}

/// `keras.ops.cosh`: XLA computes `e^(x + log(1/2)) + e^(-x + log(1/2))`.
pub fn cosh(call: &OpCall) -> OpResult<Value> {
    float_unary(call, |x| half_exp(x) + half_exp(-x), true)
}

/// Where XLA:CPU clamps the argument of its `float32` `tanh` approximation,
/// which returns exactly `±1` from there on (`tanh(8)` is 1, not 0.99999976).
const TANH_SATURATION: f64 = 7.905_311_107_635_498;

/// `keras.ops.tanh` (tiny inputs, subnormals included, come back unchanged).
pub fn tanh(call: &OpCall) -> OpResult<Value> {
    float_unary(
        call,
        |x| {
            if x.abs() >= TANH_SATURATION {
                1.0f64.copysign(x)
            } else {
                x.tanh()
            }
        },
        false,
    )
}

/// `keras.ops.arccosh`.
pub fn arccosh(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::acosh, true)
}

/// `keras.ops.exp`.
pub fn exp(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::exp, true)
}

/// `keras.ops.exp2`: JAX lowers `exp2(x)` to `exp(log(2) * x)` in the input
/// dtype, so `exp2(-126)` lands just below the normal range and flushes to 0.
pub fn exp2(call: &OpCall) -> OpResult<Value> {
    float_unary_steps(call, |x, r| r(r(LN_2) * x).exp(), true)
}

/// `keras.ops.expm1` (tiny inputs, subnormals included, come back unchanged).
pub fn expm1(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::exp_m1, false)
}

/// `keras.ops.log`. XLA:CPU's `log` sees subnormal inputs unflushed: a
/// positive one gives `-103.972076` (the log of `2**-150`) whatever its
/// value, a negative one NaN.
pub fn log(call: &OpCall) -> OpResult<Value> {
    float_unary(
        call,
        |x| match x {
            x if subnormal(x) && x > 0.0 => f64::from(-103.972_08_f32),
            x if subnormal(x) => f64::NAN,
            x => x.ln(),
        },
        false,
    )
}

/// `keras.ops.log1p`.
pub fn log1p(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::ln_1p, true)
}

/// `keras.ops.log2`: `jnp.log2` is `log(x) / log(2)` in the input dtype.
pub fn log2(call: &OpCall) -> OpResult<Value> {
    float_unary_steps(call, |x, r| r(x.ln()) / r(LN_2), true)
}

/// `keras.ops.log10`: `jnp.log10` is `log(x) * (1 / log(10))` in the input dtype.
pub fn log10(call: &OpCall) -> OpResult<Value> {
    float_unary_steps(call, |x, r| r(x.ln()) * r(LOG10_E), true)
}

/// `keras.ops.sqrt` (`sqrt(-0.0)` is `-0.0`).
pub fn sqrt(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::sqrt, true)
}

/// `keras.ops.rsqrt`: floats only (`jax.lax.rsqrt`); `rsqrt(-0.0)` is `-inf`.
pub fn rsqrt(call: &OpCall) -> OpResult<Value> {
    float_only(call, "rsqrt", "floating, complexfloating")?;
    float_unary(call, |x| 1.0 / x.sqrt(), true)
}

/// The value XLA:CPU's `cbrt` returns for every nonzero `float32` subnormal
/// (of either sign), measured on JAX: its bit manipulation assumes a normal input.
const CBRT_OF_SUBNORMAL: f32 = -5.595_173_5e-16;

/// `keras.ops.cbrt`.
pub fn cbrt(call: &OpCall) -> OpResult<Value> {
    float_unary(
        call,
        |x| {
            if subnormal(x) {
                f64::from(CBRT_OF_SUBNORMAL)
            } else {
                x.cbrt()
            }
        },
        false,
    )
}

/// `keras.ops.deg2rad`: `x * (pi / 180)` with the constant in the input dtype.
pub fn deg2rad(call: &OpCall) -> OpResult<Value> {
    float_unary_steps(call, |x, r| x * r(PI / 180.0), true)
}

/// `keras.ops.rad2deg`: `x * (180 / pi)` with the constant in the input dtype.
pub fn rad2deg(call: &OpCall) -> OpResult<Value> {
    float_unary_steps(call, |x, r| x * r(180.0 / PI), true)
}

/// `keras.ops.erf`: floats only (`jax.lax.erf`).
pub fn erf(call: &OpCall) -> OpResult<Value> {
    float_only(call, "erf", "floating")?;
    float_unary(call, libm::erf, true)
}

/// `keras.ops.erfc`.
pub fn erfc(call: &OpCall) -> OpResult<Value> {
    float_unary(call, libm::erfc, true)
}

/// `keras.ops.erfinv`: XLA's `float32` approximation, bit for bit.
pub fn erfinv(call: &OpCall) -> OpResult<Value> {
    float_unary(call, |x| f64::from(xla_math::erf_inv(x as f32)), true)
}

/// `keras.ops.sinc`: `sin(pi * x) / (pi * x)` with `pi * x` rounded in the
/// input dtype, and 1 where `x == 0` (subnormals included, being flushed).
pub fn sinc(call: &OpCall) -> OpResult<Value> {
    float_unary_steps(
        call,
        |x, r| {
            if x == 0.0 {
                return 1.0;
            }
            let pi_x = r(r(PI) * x);
            r(pi_x.sin()) / pi_x
        },
        true,
    )
}
