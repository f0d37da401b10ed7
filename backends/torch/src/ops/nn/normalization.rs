//! `batch_normalization` and `normalize`, as Keras 3.15.1 runs them on torch.

use kconform_api::{BackendError, OpCall, Value};

use super::keras_numpy::{axis_dims, extremum_with_number, norm, square, sum};
use super::util::{list_index, py_index, py_number, EPSILON};
use crate::args::{bind, py_repr};
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};
use crate::raw::Number;

/// `batch_normalization(x, mean, variance, axis, offset=None, scale=None,
/// epsilon=1e-3)`: the statistics reshaped to `[1, ..., C at axis, ..., 1]`
/// (`C = mean.shape[0]`), then
/// `x.subtract(mean).mul_(variance.add(epsilon).rsqrt_().mul(scale)).add_(offset)`:
/// the in-place steps keep `x - mean`'s dtype, so integer inputs raise and a
/// float16 `x` with float32 statistics stays float32 only when promotion says so.
pub fn batch_normalization(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(
        call,
        &[
            "x", "mean", "variance", "axis", "offset", "scale", "epsilon",
        ],
        4,
    )?;
    let x = tensor(ctx, a.req(0))?;
    let mean = tensor(ctx, a.req(1))?;
    let variance = tensor(ctx, a.req(2))?;
    let channels = *mean
        .size()
        .first()
        .ok_or_else(|| BackendError::raised("IndexError", "tuple index out of range"))?;
    let mut shape = vec![1i64; x.dim()];
    let at = py_index(list_index(a.req(3), "list")?, shape.len())
        .ok_or_else(|| BackendError::raised("IndexError", "list assignment index out of range"))?;
    shape[at] = channels;
    let mean = mean.f_reshape(shape.as_slice()).py()?;
    let variance = variance.f_reshape(shape.as_slice()).py()?;
    let offset = match a.opt(4) {
        Some(v) => tensor(ctx, v)?.f_reshape(shape.as_slice()).py()?,
        None => mean.f_zeros_like().py()?,
    };
    let scale = match a.opt(5) {
        Some(v) => tensor(ctx, v)?.f_reshape(shape.as_slice()).py()?,
        None => variance.f_ones_like().py()?,
    };
    let epsilon = py_number(a.get(6).unwrap_or(&Value::Float(1e-3)))?;
    let factor = variance
        .f_add(&epsilon)
        .py()?
        .f_rsqrt_()
        .py()?
        .f_mul(&scale)
        .py()?;
    let out = x
        .f_sub(&mean)
        .py()?
        .f_mul_(&factor)
        .py()?
        .f_add_(&offset)
        .py()?;
    output(&out)
}

/// `normalize(x, axis=-1, order=2, epsilon=None)` (Keras's `_normalize`,
/// backend-independent, on the torch backend's numpy functions): order 2 is
/// `x * minimum(rsqrt(sum(square(x), axis)), 1 / epsilon)` (so integer
/// inputs give float32), any other order `x / maximum(norm(x, order, axis),
/// epsilon)`; a 0-d `x` is made 1-d first.
pub fn normalize(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis", "order", "epsilon"], 1)?;
    let order = match a.get(2) {
        None => 2,
        Some(Value::Int(i)) if *i >= 1 => *i,
        Some(Value::Bool(true)) => 1,
        Some(other) => {
            return Err(BackendError::value_error(format!(
                "Argument `order` must be an int >= 1. Received: order={}",
                py_repr(other)
            )))
        }
    };
    let mut x = tensor(ctx, a.req(0))?;
    if x.dim() == 0 {
        x = x.f_unsqueeze(0).py()?;
    }
    let axis = match a.get(1) {
        None => Some(vec![-1]),
        v => axis_dims(v)?,
    };
    let epsilon = a.opt(3).cloned().unwrap_or(Value::Float(EPSILON));
    if order == 2 {
        let square_sum = sum(&square(&x)?, axis.as_deref(), true)?;
        let inv_norm = square_sum.f_rsqrt().py()?;
        let eps = match epsilon {
            Value::Float(f) => f,
            Value::Int(i) => i as f64,
            ref other => {
                return Err(BackendError::Unsupported(format!(
                    "`epsilon` as a {}",
                    other.kind()
                )))
            }
        };
        if eps == 0.0 {
            return Err(BackendError::raised(
                "ZeroDivisionError",
                "float division by zero",
            ));
        }
        let inv_norm = extremum_with_number(ctx, &inv_norm, &Value::Float(1.0 / eps), false)?;
        return output(&x.f_mul(&inv_norm).py()?);
    }
    let norm = norm(&x, Number::Int(order), axis.as_deref(), true)?;
    let denom = extremum_with_number(ctx, &norm, &epsilon, true)?;
    output(&x.f_div(&denom).py()?)
}
