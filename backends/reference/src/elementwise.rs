//! Unary elementwise ops: `absolute`, `conjugate`, `isfinite`, `isinf`,
//! `isnan` and the inverse trigonometric/hyperbolic functions.

use kconform_api::promote::{result_type, Operand};
use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};
use ndarray::ArrayD;

use crate::args::Args;
use crate::array::{with_array, with_float_dtype, Array};
use crate::convert::to_array;
use crate::elem::{flush, Elem, FloatElem};
use crate::error::{OpError, OpResult};

/// Binds the single parameter `x` and converts it.
pub fn unary_input(call: &OpCall) -> OpResult<Array> {
    let args = Args::bind(call, &["x"], 1)?;
    to_array(args.value(0))
}

/// Wraps an array result.
pub fn tensor(a: Array) -> OpResult<Value> {
    Ok(Value::Tensor(a.into_tensor()?))
}

/// `keras.ops.absolute`: same dtype; integers wrap, `-0.0` becomes `0.0`.
pub fn absolute(call: &OpCall) -> OpResult<Value> {
    let x = unary_input(call)?;
    tensor(with_array!(x, a => Elem::wrap(a.mapv(Elem::abs))))
}

/// `keras.ops.conjugate`: the identity on real dtypes.
pub fn conjugate(call: &OpCall) -> OpResult<Value> {
    tensor(unary_input(call)?)
}

/// Applies a float predicate (integers and bools give `if_int`).
fn classify(call: &OpCall, pred: fn(f32) -> bool, if_int: bool) -> OpResult<Value> {
    let x = unary_input(call)?;
    let out = with_float_dtype!(x.dtype(), T => {
        let a = x.into_typed::<T>();
        a.mapv(|v| pred(v.scalar().as_f64() as f32))
    }, _ => ArrayD::from_elem(x.shape(), if_int));
    tensor(Array::Bool(out))
}

/// `keras.ops.isfinite`.
pub fn isfinite(call: &OpCall) -> OpResult<Value> {
    classify(call, f32::is_finite, true)
}

/// `keras.ops.isinf`.
pub fn isinf(call: &OpCall) -> OpResult<Value> {
    classify(call, f32::is_infinite, false)
}

/// `keras.ops.isnan`.
pub fn isnan(call: &OpCall) -> OpResult<Value> {
    classify(call, f32::is_nan, false)
}

/// The dtype Keras computes a unary float function in:
/// `result_type(x.dtype, float)` (`float32` for integers and bool).
pub fn float_result_dtype(d: DType) -> OpResult<DType> {
    result_type(&[Operand::Strong(d), Operand::WeakFloat])
        .map_err(|e| OpError::Unsupported(e.to_string()))
}

/// Applies `f` in `f64` to each element cast to the float result dtype.
/// `flush` says whether XLA flushes denormal inputs and outputs for this
/// function (not for `arctan`: glibc's `atanf` returns tiny inputs bitwise).
pub fn float_unary(call: &OpCall, f: fn(f64) -> f64, flush: bool) -> OpResult<Value> {
    float_unary_steps(call, move |x, _| f(x), flush)
}

/// Rounds an intermediate result into the computation's float dtype (and
/// flushes it), as each XLA operation of a composite function does.
pub type Narrow = fn(f64) -> f64;

fn narrow<T: FloatElem>(v: f64) -> f64 {
    f64::from(T::store64(v).load())
}

/// [`float_unary`] for a function that `jnp` composes of several XLA
/// operations: `f` also receives the rounding into the result dtype, to
/// apply after each intermediate operation (and to constants).
pub fn float_unary_steps(
    call: &OpCall,
    f: impl Fn(f64, Narrow) -> f64 + Copy,
    flush: bool,
) -> OpResult<Value> {
    let x = unary_input(call)?;
    let dtype = float_result_dtype(x.dtype())?;
    let out = with_float_dtype!(dtype, T => {
        let a = x.into_typed::<T>();
        T::wrap(a.mapv(|v| apply::<T>(v, |x| f(x, narrow::<T>), flush)))
    }, _ => return Err(OpError::Internal(format!("non-float result dtype {dtype}"))));
    tensor(out)
}

fn apply<T: FloatElem>(v: T, f: impl Fn(f64) -> f64, flush: bool) -> T {
    if flush {
        T::store64(f(f64::from(v.load())))
    } else {
        T::from_scalar(Scalar::Float(f64::from(f(v.scalar().as_f64()) as f32)))
    }
}

/// `atan2` as XLA:CPU computes it: glibc's `atan2f` control flow (bit-level
/// special cases, then `atanf(|y / x|)`) running with denormals flushed.
/// Only inputs with a denormal differ from the exact `atan2`: `x == 1.0`
/// returns `atan(y)` untouched, a denormal quotient operand reads as zero
/// (`atan2(1e-40, 1e-40)` is NaN, `atan2(1e-40, 2)` is 0).
pub fn atan2_xla(y: f32, x: f32) -> f32 {
    let denormal = |v: f32| v != 0.0 && flush(v) == 0.0;
    if y.is_nan() || x.is_nan() {
        return f32::NAN;
    }
    if x == 1.0 {
        return f64::from(y).atan() as f32;
    }
    let exact = || flush(f64::from(y).atan2(f64::from(x)) as f32);
    match (denormal(y), denormal(x)) {
        (false, false) => exact(),
        _ if y == 0.0 || x == 0.0 => exact(),
        (true, true) => f32::NAN,
        (true, false) if x > 0.0 => 0.0f32.copysign(y),
        (true, false) => std::f32::consts::PI.copysign(y),
        (false, true) => std::f32::consts::FRAC_PI_2.copysign(y),
    }
}

/// `keras.ops.arccos`.
pub fn arccos(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::acos, true)
}

/// `keras.ops.arcsin`.
pub fn arcsin(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::asin, true)
}

/// `keras.ops.arcsinh`.
pub fn arcsinh(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::asinh, true)
}

/// `keras.ops.arctan`.
pub fn arctan(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::atan, false)
}

/// `keras.ops.arctanh`.
pub fn arctanh(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::atanh, true)
}
