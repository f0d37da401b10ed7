//! Sign and arithmetic: `negative`, `sign`, `square`, `reciprocal`, `fabs`.

use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};

use super::rejected_dtype;
use crate::array::{with_array, with_float_dtype, with_int_dtype};
use crate::elem::{Elem, FloatElem, IntElem};
use crate::elementwise::{float_result_dtype, float_unary, tensor, unary_input};
use crate::error::{OpError, OpResult};

/// `-x` on a float: a sign flip that keeps subnormals (XLA negates by bits).
fn flip_sign<T: Elem>(v: T) -> T {
    T::from_scalar(Scalar::Float(-v.scalar().as_f64()))
}

/// `keras.ops.negative`: same dtype; integers wrap (`-(-128)` is `-128` in
/// `int8`, unsigned values wrap modulo 2ⁿ); bool is rejected.
pub fn negative(call: &OpCall) -> OpResult<Value> {
    let x = unary_input(call)?;
    let dtype = x.dtype();
    if dtype == DType::Bool {
        return Err(rejected_dtype(
            "neg",
            dtype,
            "integer, floating, complexfloating",
        ));
    }
    let out = with_float_dtype!(dtype, T => T::wrap(x.into_typed::<T>().mapv(flip_sign)),
        _ => with_array!(x, a => Elem::wrap(a.mapv(|v| Elem::sub(Elem::zero(), v)))));
    tensor(out)
}

/// The sign of an integer as the same integer type.
fn int_sign<T: IntElem>(v: T) -> T {
    T::from_scalar(Scalar::Int(v.to_i64().signum().into()))
}

/// The sign of a float: `±1`, a signed zero for `±0` (and flushed
/// subnormals), NaN for NaN.
fn float_sign<T: FloatElem>(v: T) -> T {
    let x = v.load();
    T::store(if x == 0.0 || x.is_nan() {
        x
    } else {
        1.0f32.copysign(x)
    })
}

/// `keras.ops.sign`: same dtype; bool is rejected.
pub fn sign(call: &OpCall) -> OpResult<Value> {
    let x = unary_input(call)?;
    let dtype = x.dtype();
    let out = with_float_dtype!(dtype, T => T::wrap(x.into_typed::<T>().mapv(float_sign)),
        _ => with_int_dtype!(dtype, T => T::wrap(x.into_typed::<T>().mapv(int_sign)),
            _ => return Err(rejected_dtype("sign", dtype, "integer, floating, complexfloating"))));
    tensor(out)
}

/// `keras.ops.square`: same dtype (bool becomes `int32`); integers wrap,
/// floats flush results below the normal range.
pub fn square(call: &OpCall) -> OpResult<Value> {
    let mut x = unary_input(call)?;
    if x.dtype() == DType::Bool {
        x = x.cast(DType::Int32);
    }
    tensor(with_array!(x, a => Elem::wrap(a.mapv(|v| Elem::mul(v, v)))))
}

/// `keras.ops.reciprocal`: `1 / x` in the float result dtype (`1 / -0.0` is `-inf`).
pub fn reciprocal(call: &OpCall) -> OpResult<Value> {
    float_unary(call, |x| 1.0 / x, true)
}

/// `keras.ops.fabs`: the absolute value in the float result dtype; the sign
/// bit is cleared without flushing subnormals.
pub fn fabs(call: &OpCall) -> OpResult<Value> {
    let x = unary_input(call)?;
    let dtype = float_result_dtype(x.dtype())?;
    let out = with_float_dtype!(dtype, T => T::wrap(x.into_typed::<T>().mapv(Elem::abs)),
        _ => return Err(OpError::Internal(format!("non-float result dtype {dtype}"))));
    tensor(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elem::flush;

    #[test]
    fn float_sign_keeps_signed_zero_and_flushes() {
        assert!(float_sign(-0.0f32).is_sign_negative());
        assert!(float_sign(-1e-40f32).is_sign_negative());
        assert_eq!(float_sign(-1e-40f32), 0.0);
        assert!(float_sign(f32::NAN).is_nan());
        assert_eq!(float_sign(-3.0f32), -1.0);
        assert_eq!(flush(flip_sign(1e-45f32)), 0.0);
        assert_eq!(flip_sign(1e-45f32), -1e-45);
    }
}
