//! `keras.utils.normalize(x, axis=-1, order=2)`, the guide's mapping of
//! `tf.nn.l2_normalize` (not a `keras.ops` function).
//!
//! A NumPy array (every tensor argument here) takes Keras 3.15.1's NumPy
//! path: `norm = np.atleast_1d(np.linalg.norm(x, order, axis))`, zeros
//! replaced by 1, then `x / np.expand_dims(norm, axis or -1)`. The
//! `axis or -1` turns `axis=0` into `-1`, so the norms along axis 0 are
//! broadcast along the last axis (a Keras bug: wrong values for square
//! inputs, a broadcasting error otherwise), and a 1-D input comes back 2-D.
//! NumPy computes `float32` and `float16` inputs in their dtype and
//! everything else (integers, bool, `bfloat16`) in `float64`, without
//! flushing denormals. Anything else (lists, Python scalars) goes to
//! `keras.ops.normalize`.

use half::f16;
use kconform_api::{DType, OpCall, Tensor, TensorData, Value};
use ndarray::ArrayD;

use super::normalization::normalize;
use crate::args::{index, py_repr, Args};
use crate::array::from_vec;
use crate::axes::{canonical_axis, reduce_lanes};
use crate::broadcast::{broadcast_shapes, zip_map};
use crate::error::{shape_repr, OpError, OpResult};

/// The precision NumPy computes in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Precision {
    F16,
    F32,
    F64,
}

impl Precision {
    /// Rounds an exactly computed value into the working dtype.
    fn round(self, x: f64) -> f64 {
        match self {
            Precision::F16 => f64::from(kconform_api::round::f16_from_f64(x)),
            Precision::F32 => f64::from(x as f32),
            Precision::F64 => x,
        }
    }
}

/// The elements of a tensor as `f64` (exact for every dtype).
fn values(t: &Tensor) -> Vec<f64> {
    match t.data() {
        TensorData::Bool(v) => v.iter().map(|&b| f64::from(u8::from(b))).collect(),
        TensorData::Int8(v) => v.iter().map(|&x| f64::from(x)).collect(),
        TensorData::Int16(v) => v.iter().map(|&x| f64::from(x)).collect(),
        TensorData::Int32(v) => v.iter().map(|&x| f64::from(x)).collect(),
        TensorData::Int64(v) => v.iter().map(|&x| x as f64).collect(),
        TensorData::Uint8(v) => v.iter().map(|&x| f64::from(x)).collect(),
        TensorData::Uint16(v) => v.iter().map(|&x| f64::from(x)).collect(),
        TensorData::Uint32(v) => v.iter().map(|&x| f64::from(x)).collect(),
        TensorData::Uint64(v) => v.iter().map(|&x| x as f64).collect(),
        TensorData::Float16(v) => v.iter().map(|&x| f64::from(x)).collect(),
        TensorData::Bfloat16(v) => v.iter().map(|&x| f64::from(x)).collect(),
        TensorData::Float32(v) => v.iter().map(|&x| f64::from(x)).collect(),
        TensorData::Float64(v) => v.clone(),
    }
}

/// NumPy's pairwise summation (`pairwise_sum` in `loops_utils.h`):
/// in order below 8 terms, 8 interleaved partial sums up to 128, halves
/// beyond; every addition rounds in `p`.
fn pairwise(a: &[f64], p: Precision) -> f64 {
    let add = |x: f64, y: f64| p.round(x + y);
    let n = a.len();
    if n < 8 {
        return a.iter().fold(0.0, |acc, &x| add(acc, x));
    }
    if n > 128 {
        let half = n / 2;
        let half = half - half % 8;
        return add(pairwise(&a[..half], p), pairwise(&a[half..], p));
    }
    let mut r = [0.0f64; 8];
    r.copy_from_slice(&a[..8]);
    let blocks = n - n % 8;
    for chunk in a[8..blocks].chunks(8) {
        for (acc, &x) in r.iter_mut().zip(chunk) {
            *acc = add(*acc, x);
        }
    }
    let mut total = add(
        add(add(r[0], r[1]), add(r[2], r[3])),
        add(add(r[4], r[5]), add(r[6], r[7])),
    );
    for &x in &a[blocks..] {
        total = add(total, x);
    }
    total
}

/// NumPy's `add.reduce` of a lane: along the contiguous last axis, the
/// first term plus the pairwise sum of the rest (`float16` accumulating in
/// `float32`); along another axis, one term at a time in the dtype.
fn numpy_sum(lane: &[f64], p: Precision, contiguous: bool) -> f64 {
    let Some((&first, rest)) = lane.split_first() else {
        return 0.0;
    };
    if !contiguous {
        return rest.iter().fold(first, |acc, &x| p.round(acc + x));
    }
    let acc = if p == Precision::F16 {
        Precision::F32
    } else {
        p
    };
    p.round(acc.round(first + pairwise(rest, acc)))
}

/// `np.linalg.norm(lane, order)` of one lane (a vector norm).
fn vector_norm(lane: &[f64], order: f64, p: Precision, contiguous: bool) -> f64 {
    let abs: Vec<f64> = lane.iter().map(|x| x.abs()).collect();
    if order == f64::INFINITY {
        return abs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    }
    if order == f64::NEG_INFINITY {
        return abs.iter().copied().fold(f64::INFINITY, f64::min);
    }
    if order == 0.0 {
        return lane.iter().filter(|&&x| x != 0.0).count() as f64;
    }
    if order == 1.0 {
        return numpy_sum(&abs, p, contiguous);
    }
    if order == 2.0 {
        let squares: Vec<f64> = lane.iter().map(|&x| p.round(x * x)).collect();
        return p.round(numpy_sum(&squares, p, contiguous).sqrt());
    }
    let powered: Vec<f64> = abs.iter().map(|&x| p.round(x.powf(order))).collect();
    p.round(numpy_sum(&powered, p, contiguous).powf(p.round(1.0 / order)))
}

/// `keras.utils.normalize`.
pub fn utils_normalize(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis", "order"], 1)?;
    let Value::Tensor(t) = args.value(0) else {
        let mut forwarded = OpCall::new("normalize", vec![args.value(0).clone()]);
        for (i, name) in [(1, "axis"), (2, "order")] {
            if let Some(v) = args.given(i) {
                forwarded = forwarded.kwarg(name, v.clone());
            }
        }
        return normalize(&forwarded);
    };
    let order = match args.get(2) {
        None => 2.0,
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        Some(other) => {
            return Err(OpError::Unsupported(format!("order={}", py_repr(other))));
        }
    };
    let precision = match t.dtype() {
        DType::Float32 => Precision::F32,
        DType::Float16 => Precision::F16,
        _ => Precision::F64,
    };
    let ndim = t.shape().len();
    let given_axis = match args.given(1) {
        None => Some(-1),
        Some(Value::None) => None,
        Some(v) => Some(index(v)?),
    };
    let axis = match given_axis {
        Some(a) => axis_error(a, ndim)?,
        None if ndim == 1 => 0,
        None => return Err(OpError::Unsupported("a matrix norm (axis=None)".into())),
    };
    let x = from_vec(t.shape(), values(t))?;
    let norm = reduce_lanes(&x, &[axis], false, |lane| {
        let lane: Vec<f64> = lane.iter().copied().collect();
        match vector_norm(&lane, order, precision, axis + 1 == ndim) {
            0.0 => 1.0,
            n => n,
        }
    })?;
    let norm = if norm.ndim() == 0 {
        norm.insert_axis(ndarray::Axis(0))
    } else {
        norm
    };
    // `axis or -1`: 0 (and None) become -1.
    let expand_at = match given_axis {
        Some(0) | None => -1,
        Some(a) => a,
    };
    let expand_at = axis_error(expand_at, norm.ndim() + 1)?;
    let norm = norm.insert_axis(ndarray::Axis(expand_at));
    let shape = broadcast_shapes(x.shape(), norm.shape()).ok_or_else(|| {
        OpError::Value(format!(
            "operands could not be broadcast together with shapes {} {} ",
            shape_repr(x.shape()).replace(", ", ","),
            shape_repr(norm.shape()).replace(", ", ",")
        ))
    })?;
    let out: ArrayD<f64> = zip_map(&x, &norm, &shape, |a, b| precision.round(a / b))?;
    let data: Vec<f64> = out.iter().copied().collect();
    let data = match precision {
        Precision::F16 => TensorData::Float16(data.iter().map(|&v| f16::from_f64(v)).collect()),
        Precision::F32 => TensorData::Float32(data.iter().map(|&v| v as f32).collect()),
        Precision::F64 => TensorData::Float64(data),
    };
    let tensor =
        Tensor::new(out.shape().to_vec(), data).map_err(|e| OpError::Internal(e.to_string()))?;
    Ok(Value::Tensor(tensor))
}

/// `axis` made non-negative for rank `ndim`, or NumPy's `AxisError` (JAX's
/// message, another type).
fn axis_error(axis: i64, ndim: usize) -> OpResult<usize> {
    canonical_axis(axis, ndim).map_err(|e| match e {
        OpError::Value(m) => OpError::Axis(m),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_sum_matches_numpy_order() {
        let lane: Vec<f64> = (0..11).map(f64::from).collect();
        assert_eq!(numpy_sum(&lane, Precision::F64, true), 55.0);
        assert_eq!(vector_norm(&[3.0, 4.0], 2.0, Precision::F32, true), 5.0);
    }
}
