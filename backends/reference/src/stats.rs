//! `mean`, `var` and `std`, computed in `float32` as Keras-JAX does (half
//! floats are upcast, then cast back; integers give `float32`).
//!
//! Sums accumulate exactly and round once; the structure of JAX's
//! computation (sum, divide, subtract the mean, square) keeps its `f32`
//! roundings.

use kconform_api::tensor::Scalar;
use kconform_api::{OpCall, Value};
use ndarray::ArrayView1;

use crate::args::{axes, int_tuple_repr_of, truthy, Args};
use crate::array::with_float_dtype;
use crate::axes::{canonical_axis, reduce_lanes, sorted_unique};
use crate::convert::to_array;
use crate::elem::{flush, Elem, FloatElem, SEQUENTIAL_SUM_MAX};
use crate::elementwise::{float_result_dtype, tensor};
use crate::error::{OpError, OpResult};

/// The reduced axes: an out-of-range axis is an `IndexError` here (JAX sizes
/// the normalizer before validating), duplicates a `ValueError`.
pub(crate) fn stat_axes(axis: Option<&Value>, ndim: usize) -> OpResult<Vec<usize>> {
    let Some(list) = axes(axis)? else {
        return Ok((0..ndim).collect());
    };
    let canon = list
        .iter()
        .map(|&a| {
            canonical_axis(a, ndim).map_err(|_| OpError::Index("tuple index out of range".into()))
        })
        .collect::<OpResult<Vec<_>>>()?;
    sorted_unique(canon, || int_tuple_repr_of(axis))
}

/// The `float32` mean of a lane, as `sum / n` in `f32` (a one-element lane
/// comes back untouched, as XLA copies it through).
pub(crate) fn lane_mean(l: &ArrayView1<'_, f32>) -> f32 {
    if l.len() == 1 {
        return l[0];
    }
    let s = f32::sum_of(l.iter().copied());
    flush(s * recip(l.len()))
}

/// `1 / n` in `f32`: XLA turns the division by the count into a multiplication.
fn recip(n: usize) -> f32 {
    flush(1.0 / n as f32)
}

/// The population variance of a lane in `f32`, in the structure measured on
/// XLA:CPU: the mean as above, the squared deviations accumulated in order
/// with fused multiply-adds (exactly, past [`SEQUENTIAL_SUM_MAX`] terms),
/// then a true division by the count.
pub(crate) fn lane_var(l: &ArrayView1<'_, f32>) -> f32 {
    let m = lane_mean(l);
    let centered = l.iter().map(|&v| flush(flush(v) - m));
    let total = if l.len() <= SEQUENTIAL_SUM_MAX {
        centered.fold(0.0f32, |acc, c| {
            flush((f64::from(c) * f64::from(c) + f64::from(acc)) as f32)
        })
    } else {
        flush(centered.fold(0.0f64, |acc, c| acc + f64::from(c) * f64::from(c)) as f32)
    };
    flush(total / l.len() as f32)
}

/// Reduces `x` (as `float32`) lane by lane with `f`, rounds each result into
/// the float result dtype and, for `std`, takes its square root there.
fn stat(call: &OpCall, f: fn(&ArrayView1<'_, f32>) -> f32, sqrt: bool) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis", "keepdims"], 1)?;
    let x = to_array(args.value(0))?;
    let reduced = stat_axes(args.get(1), x.ndim())?;
    let keepdims = truthy(args.value(2))?;
    let dtype = float_result_dtype(x.dtype())?;
    let a = x.into_typed::<f32>();
    let out = with_float_dtype!(dtype, T => {
        T::wrap(reduce_lanes(&a, &reduced, keepdims, |l| {
            // The final conversion out of `float32` does not flush.
            let v = T::from_scalar(Scalar::Float(f64::from(f(&l))));
            // `jnp.std` takes the square root in the result dtype.
            if sqrt { T::store(v.load().sqrt()) } else { v }
        })?)
    }, _ => return Err(OpError::Internal(format!("non-float result dtype {dtype}"))));
    tensor(out)
}

/// `keras.ops.mean`.
pub fn mean(call: &OpCall) -> OpResult<Value> {
    stat(call, lane_mean, false)
}

/// `keras.ops.var` (population variance, `ddof = 0`).
pub fn var(call: &OpCall) -> OpResult<Value> {
    stat(call, lane_var, false)
}

/// `keras.ops.std` (population standard deviation).
pub fn std(call: &OpCall) -> OpResult<Value> {
    stat(call, lane_var, true)
}
