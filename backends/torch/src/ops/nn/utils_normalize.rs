//! `keras.utils.normalize(x, axis=-1, order=2)`: NumPy code for NumPy
//! arrays in Keras 3.15.1 (the same on every backend), `keras.ops.normalize`
//! for anything else.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::normalization::normalize;
use super::util::py_float;
use crate::args::bind;
use crate::convert::to_tch;
use crate::error::TorchResult;
use crate::keras::{cast, output, Ctx, R};

/// NumPy's `AxisError` for `axis` on an array of `ndim` dimensions, or the
/// axis counted from the front.
fn normalize_axis(axis: i64, ndim: usize) -> R<i64> {
    let n = ndim as i64;
    if !(-n..n).contains(&axis) {
        return Err(BackendError::raised(
            "AxisError",
            format!("axis {axis} is out of bounds for array of dimension {ndim}"),
        ));
    }
    Ok(if axis < 0 { axis + n } else { axis })
}

/// A shape as NumPy prints it in broadcasting errors: `(2,3)`.
fn numpy_shape(shape: &[i64]) -> String {
    match shape {
        [d] => format!("({d},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// NumPy's broadcasting check of two shapes.
fn check_broadcast(a: &[i64], b: &[i64]) -> R<()> {
    let n = a.len().max(b.len());
    let dim = |s: &[i64], i: usize| (i + s.len()).checked_sub(n).map_or(1, |j| s[j]);
    if (0..n).all(|i| {
        let (x, y) = (dim(a, i), dim(b, i));
        x == y || x == 1 || y == 1
    }) {
        return Ok(());
    }
    Err(BackendError::value_error(format!(
        "operands could not be broadcast together with shapes {} {} ",
        numpy_shape(a),
        numpy_shape(b)
    )))
}

/// `np.linalg.norm(x, ord, axis)` of a vector axis, in `x`'s (inexact) dtype.
fn vector_norm(x: &tch::Tensor, ord: f64, axis: i64) -> R<tch::Tensor> {
    let dims = [axis];
    let abs = || x.f_abs().py();
    if ord == f64::INFINITY {
        return abs()?.f_amax(dims.as_slice(), false).py();
    }
    if ord == f64::NEG_INFINITY {
        return abs()?.f_amin(dims.as_slice(), false).py();
    }
    let sum = |t: tch::Tensor| t.f_sum_dim_intlist(dims.as_slice(), false, None).py();
    if ord == 0.0 {
        let zero = x.f_zeros_like().py()?;
        return sum(x.f_ne_tensor(&zero).py()?.f_to_kind(x.kind()).py()?);
    }
    if ord == 1.0 {
        return sum(abs()?);
    }
    if ord == 2.0 {
        return sum(x.f_mul(x).py()?)?.f_sqrt().py();
    }
    let powered = sum(abs()?.f_pow(&py_float(ord)?).py()?)?;
    let reciprocal = py_float(1.0 / ord)?.f_to_kind(x.kind()).py()?;
    powered.f_pow(&reciprocal).py()
}

/// The NumPy path for an array `t`: `norm = np.atleast_1d(np.linalg.norm(x,
/// order, axis))` (float16/32/64 computed in their dtype, everything else in
/// float64), zero norms set to 1, then `x / np.expand_dims(norm, axis or
/// -1)`: `axis=0` becomes -1 (a Keras bug), and a 1-D input comes back 2-D.
fn numpy_normalize(ctx: Ctx, t: &kconform_api::Tensor, axis: i64, order: f64) -> R<Value> {
    let work = match t.dtype() {
        d @ (DType::Float16 | DType::Float32 | DType::Float64) => d,
        _ => DType::Float64,
    };
    let x = cast(to_tch(t, ctx.device)?, work)?;
    let at = normalize_axis(axis, x.dim())?;
    let mut norm = vector_norm(&x, order, at)?;
    if norm.dim() == 0 {
        norm = norm.f_reshape([1]).py()?;
    }
    let zero = norm.f_zeros_like().py()?;
    let one = norm.f_ones_like().py()?;
    let norm = one
        .f_where_self(&norm.f_eq_tensor(&zero).py()?, &norm)
        .py()?;
    let expand_at = if axis == 0 { -1 } else { axis };
    let expand_at = normalize_axis(expand_at, norm.dim() + 1)?;
    let norm = norm.f_unsqueeze(expand_at).py()?;
    check_broadcast(&x.size(), &norm.size())?;
    output(&x.f_div(&norm).py()?)
}

/// `keras.utils.normalize(x, axis=-1, order=2)`.
pub fn utils_normalize(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis", "order"], 1)?;
    let axis = a.get(1).cloned().unwrap_or(Value::Int(-1));
    let order = a.get(2).cloned().unwrap_or(Value::Int(2));
    match a.req(0) {
        Value::Tensor(t) => {
            let axis = match axis {
                Value::Int(i) => i,
                Value::Bool(b) => i64::from(b),
                other => {
                    return Err(BackendError::Unsupported(format!(
                        "utils.normalize with axis={} (only an int)",
                        other.kind()
                    )))
                }
            };
            let order = match order {
                Value::Int(i) => i as f64,
                Value::Float(f) => f,
                other => {
                    return Err(BackendError::Unsupported(format!(
                        "utils.normalize with order={}",
                        other.kind()
                    )))
                }
            };
            numpy_normalize(ctx, t, axis, order)
        }
        other => normalize(
            ctx,
            &OpCall::new("normalize", vec![other.clone()])
                .kwarg("axis", axis)
                .kwarg("order", order),
        ),
    }
}
