//! Elementwise application of one op to two broadcast arrays of one dtype,
//! by kind of lane: integers as `i64` (wrapped back into the dtype), floats
//! as flushed `f32` with a rounding function that rounds each intermediate
//! result into the dtype (XLA:CPU computes half floats op by op in `f32`).

use kconform_api::tensor::Scalar;
use kconform_api::DType;
use ndarray::ArrayD;

use crate::array::{with_array, with_float_dtype, with_int_dtype, Array};
use crate::broadcast::{broadcast_or_raise, zip_map};
use crate::elem::{flush, Elem, FloatElem, IntElem};
use crate::error::{OpError, OpResult};

/// Rounds an `f32` intermediate into the computation's dtype (and flushes it).
pub type Round = fn(f32) -> f32;

/// Width and signedness of an integer lane's dtype.
#[derive(Clone, Copy, Debug)]
pub struct IntInfo {
    /// Bits of the dtype.
    pub bits: u32,
    /// Whether the dtype is signed.
    pub signed: bool,
}

/// An integer lane value wrapped into `T` (two's complement, as XLA wraps).
pub fn wrap_int<T: Elem>(v: i64) -> T {
    T::from_scalar(Scalar::Int(i128::from(v)))
}

/// `x / y` on integers as XLA computes it: division by zero gives `-1`
/// (all ones: `MAX` once wrapped into an unsigned dtype).
pub fn xla_div(x: i64, y: i64) -> i64 {
    if y == 0 {
        -1
    } else {
        x / y
    }
}

/// `x % y` on integers as XLA computes it: the truncated remainder, `x` when
/// `y` is zero.
pub fn xla_rem(x: i64, y: i64) -> i64 {
    if y == 0 {
        x
    } else {
        x % y
    }
}

/// `lax.sign` of a float: `±1`, a zero keeps its sign, NaN stays NaN.
pub fn float_sign(x: f32) -> f32 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x
    }
}

fn info<T: IntElem>() -> IntInfo {
    IntInfo {
        bits: (std::mem::size_of::<T>() * 8) as u32,
        signed: T::from_scalar(Scalar::Int(-1)).to_i64() < 0,
    }
}

/// The operands cast to `dtype` and their broadcast shape (JAX's `TypeError`
/// named after `prim` when they do not broadcast).
pub fn prepare(
    prim: &str,
    a: Array,
    b: Array,
    dtype: DType,
) -> OpResult<(Array, Array, Vec<usize>)> {
    let shape = broadcast_or_raise(prim, a.shape(), b.shape())?;
    Ok((a.cast(dtype), b.cast(dtype), shape))
}

/// `f` on integer lanes of `a` and `b` (one integer dtype), wrapped back.
pub fn int_map(
    a: Array,
    b: Array,
    shape: &[usize],
    f: impl Fn(i64, i64, IntInfo) -> i64,
) -> OpResult<Array> {
    let dtype = a.dtype();
    with_int_dtype!(dtype, T => {
        let i = info::<T>();
        let (x, y) = (a.into_typed::<T>(), b.into_typed::<T>());
        Ok(T::wrap(zip_map(&x, &y, shape, |p: T, q: T| wrap_int::<T>(f(p.to_i64(), q.to_i64(), i)))?))
    }, _ => Err(OpError::Internal(format!("integer lanes on {dtype}"))))
}

/// `f` on float lanes of `a` and `b` (one float dtype); the result is stored
/// into the dtype. `f` gets the [`Round`] of that dtype.
pub fn float_map(
    a: Array,
    b: Array,
    shape: &[usize],
    f: impl Fn(f32, f32, Round) -> f32,
) -> OpResult<Array> {
    let dtype = a.dtype();
    with_float_dtype!(dtype, T => {
        let round: Round = |v| T::store(v).load();
        let (x, y) = (a.into_typed::<T>(), b.into_typed::<T>());
        Ok(T::wrap(zip_map(&x, &y, shape, |p: T, q: T| T::store(f(p.load(), q.load(), round)))?))
    }, _ => Err(OpError::Internal(format!("float lanes on {dtype}"))))
}

/// `f` on float lanes, giving a `bool` per element.
pub fn float_pred(
    a: Array,
    b: Array,
    shape: &[usize],
    f: impl Fn(f32, f32, Round) -> bool,
) -> OpResult<ArrayD<bool>> {
    let dtype = a.dtype();
    with_float_dtype!(dtype, T => {
        let round: Round = |v| T::store(v).load();
        let (x, y) = (a.into_typed::<T>(), b.into_typed::<T>());
        zip_map(&x, &y, shape, |p: T, q: T| f(p.load(), q.load(), round))
    }, _ => Err(OpError::Internal(format!("float lanes on {dtype}"))))
}

/// `f` on two arrays of one dtype read as [`lane_values`], giving a `bool` each.
pub fn value_pred(
    a: Array,
    b: Array,
    shape: &[usize],
    f: impl Fn(f64, f64) -> bool,
) -> OpResult<ArrayD<bool>> {
    let (x, y) = (lane_values(a), lane_values(b));
    zip_map(&x, &y, shape, f)
}

/// The elements as `f64` for comparisons: `float32` denormals read as zero
/// (XLA:CPU's DAZ), while `bfloat16` denormals keep their value (measured:
/// `logical_and(bfloat16 1e-39, True)` is `True`); `bool` as 0/1.
pub fn lane_values(a: Array) -> ArrayD<f64> {
    match a {
        Array::F32(v) => v.mapv(|e| f64::from(flush(e))),
        other => with_array!(other, v => v.mapv(|e| e.scalar().as_f64())),
    }
}
