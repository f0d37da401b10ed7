//! Float binary functions: `hypot`, `heaviside`, `logaddexp`, `logaddexp2`,
//! evaluated step by step as `jnp` writes them (each step rounded into the
//! dtype, as XLA:CPU computes half floats).

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};

use super::lanes::{float_map, prepare};
use crate::binary::{binary_inputs, promote};
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{shape_repr, OpError, OpResult};

/// `promote_args_inexact`: the promotion, integers and `bool` as `float32`.
fn inexact(ops: &[Operand]) -> OpResult<DType> {
    let d = promote(ops)?;
    Ok(if d.is_float() { d } else { DType::Float32 })
}

/// `keras.ops.hypot` (`jnp.hypot`: `max * sqrt(1 + (min / max)²)`, `inf`
/// whenever either side is infinite, even against NaN).
pub fn hypot(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = inexact(&[a.operand, b.operand])?;
    let (x, y, shape) = prepare("or", a.array, b.array, dtype)?;
    tensor(float_map(x, y, &shape, |p, q, round| {
        let (p, q) = (p.abs(), q.abs());
        if p == f32::INFINITY || q == f32::INFINITY {
            return f32::INFINITY;
        }
        let (hi, lo) = (Elem::xla_max(p, q), Elem::xla_min(p, q));
        if hi == 0.0 {
            return hi;
        }
        let ratio = round(lo / hi);
        round(hi * round(round(1.0 + round(ratio * ratio)).sqrt()))
    })?)
}

/// `keras.ops.heaviside`: 0 below zero, 1 above, NaN kept, `x2` at zero.
pub fn heaviside(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = inexact(&[a.operand, b.operand])?;
    let (sa, sb) = (a.array.shape().to_vec(), b.array.shape().to_vec());
    let (x, y, shape) = prepare("select", a.array, b.array, dtype).map_err(|_| {
        OpError::Value(format!(
            "Incompatible shapes for broadcasting: shapes=[{}, {}, {}]",
            shape_repr(&sa),
            shape_repr(&sa),
            shape_repr(&sb)
        ))
    })?;
    tensor(float_map(x, y, &shape, |p, q, _| {
        if p < 0.0 {
            0.0
        } else if p > 0.0 {
            1.0
        } else if p.is_nan() {
            p
        } else {
            q
        }
    })?)
}

/// `logaddexp` in base `e` (`two == false`) or 2: Keras casts both sides to
/// `result_type(x1.dtype, x2.dtype, float)` (a Python float counts as a
/// strong `float32`), then `max + log1p(exp(-|x1 - x2|))`, or `x1 + x2`
/// where the difference is NaN.
fn log_add_exp(call: &OpCall, two: bool) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = promote(&[
        Operand::Strong(a.array.dtype()),
        Operand::Strong(b.array.dtype()),
        Operand::WeakFloat,
    ])?;
    let (x, y, shape) = prepare("max", a.array, b.array, dtype)?;
    tensor(float_map(x, y, &shape, |p, q, round| {
        let delta = round(p - q);
        if delta.is_nan() {
            return round(p + q);
        }
        let hi = Elem::xla_max(p, q);
        let tail = -delta.abs();
        let term = if two {
            let inv_ln2 = round(std::f64::consts::LOG2_E as f32);
            let e = round(f64::from(tail).exp2() as f32);
            round(inv_ln2 * round(f64::from(e).ln_1p() as f32))
        } else {
            let e = round(f64::from(tail).exp() as f32);
            round(f64::from(e).ln_1p() as f32)
        };
        round(hi + term)
    })?)
}

/// `keras.ops.logaddexp`.
pub fn logaddexp(call: &OpCall) -> OpResult<Value> {
    log_add_exp(call, false)
}

/// `keras.ops.logaddexp2`.
pub fn logaddexp2(call: &OpCall) -> OpResult<Value> {
    log_add_exp(call, true)
}
