//! `keras.ops.sparsemax` and `keras.ops.glu`: the two activations that work
//! on whole slices along one integer axis.

use kconform_api::{OpCall, Value};
use ndarray::{Axis, Slice, Zip};

use super::float::{floating, require_float_for_logistic};
use super::lanes::map_lanes;
use super::smooth::{bind_x, logistic};
use crate::args::{index, py_type_name};
use crate::array::with_float_dtype;
use crate::axes::canonical_axis;
use crate::binary::true_div;
use crate::elem::{flush, Elem, FloatElem};
use crate::elementwise::tensor;
use crate::error::{OpError, OpResult};

/// The order `jnp.sort` puts floats in: `-0.0` equals `0.0` (so does a
/// denormal, read as zero), NaN last.
fn sort_key(v: f32) -> (bool, f32) {
    let v = flush(v);
    (v.is_nan(), if v == 0.0 { 0.0 } else { v })
}

/// Keras's sparsemax of one lane, op by op as Keras writes it:
/// sort descending, cumulative sums, the support `sorted - (cumsum - 1) / r > 0`,
/// `tau = (sum(where(support, cumsum, 0)) - 1) / k` and `max(x - tau, 0)`.
///
/// Keras sums every cumulative sum in the support where the published
/// algorithm takes only the `k`-th one, so its result only sums to 1 when
/// the support has one element; this reproduces Keras.
fn sparsemax_lane<T: FloatElem>(lane: &[T], reciprocal: bool) -> Vec<T> {
    let mut negated: Vec<T> = lane.iter().map(|v| T::store(-v.load())).collect();
    negated.sort_by(|a, b| {
        sort_key(a.load())
            .partial_cmp(&sort_key(b.load()))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let sorted: Vec<T> = negated.iter().map(|v| T::store(-v.load())).collect();
    let cumsum: Vec<T> = sorted
        .iter()
        .scan(T::zero(), |acc, &v| {
            *acc = acc.add(v);
            Some(*acc)
        })
        .collect();
    let support: Vec<bool> = sorted
        .iter()
        .zip(&cumsum)
        .enumerate()
        .map(|(i, (&s, &c))| {
            let r = T::from_scalar(kconform_api::tensor::Scalar::Int(i as i128 + 1));
            let ratio = true_div(T::store(c.load() - 1.0), r, reciprocal);
            T::store(s.load() - ratio.load()).load() > 0.0
        })
        .collect();
    let k = support.iter().filter(|&&s| s).count();
    let safe = cumsum
        .iter()
        .zip(&support)
        .map(|(&c, &s)| if s { c } else { T::zero() });
    let numerator = T::store(T::sum_of(safe).load() - 1.0);
    let tau = true_div(
        numerator,
        T::from_scalar(kconform_api::tensor::Scalar::Int(k as i128)),
        false,
    );
    lane.iter()
        .map(|&v| v.sub(tau).xla_max(T::zero()))
        .collect()
}

/// An integer axis as `jnp.sort` and `x.shape[axis]` read it.
fn int_axis(v: &Value, ndim: usize) -> OpResult<usize> {
    match v {
        Value::None => Err(OpError::Type(
            "tuple indices must be integers or slices, not NoneType".into(),
        )),
        other => canonical_axis(index(other)?, ndim),
    }
}

/// `keras.ops.sparsemax(x, axis=-1)`; integers become `float32`.
pub fn sparsemax(call: &OpCall) -> OpResult<Value> {
    let (x, args) = bind_x(call, &["x", "axis"])?;
    let x = floating(x);
    let axis = int_axis(args.given(1).unwrap_or(&Value::Int(-1)), x.ndim())?;
    // `r` has shape `[1, …, n, …, 1]`: the division by it is broadcast unless
    // every other axis has length one.
    let reciprocal = x
        .shape()
        .iter()
        .enumerate()
        .any(|(i, &d)| i != axis && d != 1);
    let d = x.dtype();
    tensor(with_float_dtype!(d, T => {
        let a = x.into_typed::<T>();
        T::wrap(map_lanes(&a, &[axis], |l| sparsemax_lane(l, reciprocal))?)
    }, _ => return Err(OpError::Internal(format!("sparsemax on {d}")))))
}

/// `keras.ops.glu(x, axis=-1)`: `a * sigmoid(b)` for the two halves of `x`
/// along `axis` (`jax.nn.glu` asserts the length is even).
pub fn glu(call: &OpCall) -> OpResult<Value> {
    let (x, args) = bind_x(call, &["x", "axis"])?;
    let axis = match args.given(1).unwrap_or(&Value::Int(-1)) {
        v @ (Value::Int(_) | Value::Bool(_)) => index(v)?,
        other => {
            return Err(OpError::Type(format!(
                "tuple indices must be integers or slices, not {}",
                py_type_name(other)
            )))
        }
    };
    let axis = canonical_axis(axis, x.ndim())
        .map_err(|_| OpError::Index("tuple index out of range".into()))?;
    let n = x.shape()[axis];
    if n % 2 != 0 {
        return Err(OpError::Assertion(
            "axis size must be divisible by 2".into(),
        ));
    }
    require_float_for_logistic(&x)?;
    let d = x.dtype();
    tensor(with_float_dtype!(d, T => {
        let a = x.into_typed::<T>();
        let first = a.slice_axis(Axis(axis), Slice::from(0..n / 2));
        let second = a.slice_axis(Axis(axis), Slice::from(n / 2..n));
        T::wrap(Zip::from(&first).and(&second).map_collect(|&p: &T, &q: &T| {
            T::store(p.load() * logistic::<T>(q.load()))
        }))
    }, _ => return Err(OpError::Internal(format!("glu on {d}")))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keras_sums_the_whole_support() {
        // Keras 3.15.1: sparsemax([0.5, 0.4, -1]) == [0.3, 0.2, 0] (not [0.55, 0.45, 0]).
        let out = sparsemax_lane(&[0.5f32, 0.4, -1.0], false);
        assert_eq!(out, vec![0.3, 0.200_000_02, 0.0]);
    }
}
