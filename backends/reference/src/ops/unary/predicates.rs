//! Tests and replacements of special values: `logical_not`, `signbit`,
//! `isneginf`, `isposinf`, `nan_to_num`.

use kconform_api::tensor::Scalar;
use kconform_api::{OpCall, Value};
use ndarray::ArrayD;

use crate::args::{py_type_name, scalar_as, Args};
use crate::array::{with_array, with_float_dtype, Array};
use crate::convert::to_array;
use crate::elem::{Elem, FloatElem};
use crate::elementwise::{tensor, unary_input};

use super::finfo_max;
use crate::error::{OpError, OpResult};

/// `keras.ops.logical_not`: `x == 0` as bool (a `float32` subnormal counts as 0).
pub fn logical_not(call: &OpCall) -> OpResult<Value> {
    let x = unary_input(call)?;
    tensor(Array::Bool(with_array!(x, a => a.mapv(|v| !v.truthy()))))
}

/// `keras.ops.signbit`: the sign bit of floats as stored (`-0.0`, negative
/// subnormals and negative NaNs included), `x < 0` for integers, `False` for bool.
pub fn signbit(call: &OpCall) -> OpResult<Value> {
    let x = unary_input(call)?;
    tensor(Array::Bool(
        with_array!(x, a => a.mapv(|v| match v.scalar() {
            Scalar::Float(f) => f.is_sign_negative(),
            Scalar::Int(i) => i < 0,
            Scalar::Bool(_) => false,
        })),
    ))
}

/// Compares every float element with `target`; integers and bool give `False`.
fn equals_infinity(call: &OpCall, target: f64) -> OpResult<Value> {
    let x = unary_input(call)?;
    let out = with_float_dtype!(x.dtype(), T => {
        x.into_typed::<T>().mapv(|v| v.scalar().as_f64() == target)
    }, _ => ArrayD::from_elem(x.shape(), false));
    tensor(Array::Bool(out))
}

/// `keras.ops.isneginf`.
pub fn isneginf(call: &OpCall) -> OpResult<Value> {
    equals_infinity(call, f64::NEG_INFINITY)
}

/// `keras.ops.isposinf`.
pub fn isposinf(call: &OpCall) -> OpResult<Value> {
    equals_infinity(call, f64::INFINITY)
}

/// A replacement value of `nan_to_num` as `jnp.asarray(v, dtype=T)` makes
/// it; `None` means `default`, and raises where there is none (`nan=None`).
fn replacement<T: Elem>(v: &Value, default: Option<T>) -> OpResult<T> {
    match (v, default) {
        (Value::None, Some(d)) => Ok(d),
        (Value::None, None) => Err(OpError::Value(
            "None is not a valid value for jnp.array".into(),
        )),
        (Value::Float(f), _) => Ok(T::from_scalar(Scalar::Float(*f))),
        (Value::Int(i), _) => Ok(T::from_scalar(Scalar::Int((*i).into()))),
        (Value::Bool(b), _) => Ok(T::from_scalar(Scalar::Bool(*b))),
        (Value::Tensor(_), _) => scalar_as::<T>(v),
        (other, _) => Err(OpError::Unsupported(format!(
            "nan_to_num replacement given as a {}",
            py_type_name(other)
        ))),
    }
}

/// Replaces NaN, then `+inf`, then `-inf` in each element (in that order,
/// as `jnp.nan_to_num` applies its three `where`s, so `nan=inf` becomes
/// `posinf` in turn).
fn replace_specials<T: FloatElem>(a: ArrayD<T>, args: &Args) -> OpResult<ArrayD<T>> {
    let max = finfo_max(T::DTYPE);
    let nan = match args.given(1) {
        None => T::zero(),
        Some(v) => replacement::<T>(v, None)?,
    };
    let bound = |i: usize, default: f64| match args.given(i) {
        None => Ok(T::from_scalar(Scalar::Float(default))),
        Some(v) => replacement(v, Some(T::from_scalar(Scalar::Float(default)))),
    };
    let posinf = bound(2, max)?;
    let neginf = bound(3, -max)?;
    Ok(a.mapv(|v| {
        let v = if v.scalar().as_f64().is_nan() { nan } else { v };
        let v = if v.scalar().as_f64() == f64::INFINITY {
            posinf
        } else {
            v
        };
        if v.scalar().as_f64() == f64::NEG_INFINITY {
            neginf
        } else {
            v
        }
    }))
}

/// `keras.ops.nan_to_num(x, nan=0.0, posinf=None, neginf=None)`: integers
/// and bool come back unchanged (the replacements unread); floats get
/// `nan`, `posinf` (default `finfo.max`) and `neginf` (default `finfo.min`)
/// cast to their dtype.
pub fn nan_to_num(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "nan", "posinf", "neginf"], 1)?;
    let x = to_array(args.value(0))?;
    let out = with_float_dtype!(x.dtype(), T => T::wrap(replace_specials(x.into_typed::<T>(), &args)?),
        _ => x);
    tensor(out)
}
