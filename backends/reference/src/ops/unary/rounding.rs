//! Rounding to integers: `floor`, `ceil`, `trunc` and `round` (with `decimals`).

use kconform_api::{DType, OpCall, Value};

use crate::args::{index, Args};
use crate::array::{with_float_dtype, Array};
use crate::convert::to_array;
use crate::elem::{flush, Elem, FloatElem};
use crate::elementwise::{float_unary, tensor, unary_input};
use crate::error::{OpError, OpResult};

use super::finfo_max;

/// `keras.ops.floor` (in the float result dtype; `floor(-0.0)` is `-0.0`).
pub fn floor(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::floor, true)
}

/// `keras.ops.ceil` (in the float result dtype; `ceil(-0.5)` is `-0.0`).
pub fn ceil(call: &OpCall) -> OpResult<Value> {
    float_unary(call, f64::ceil, true)
}

/// `keras.ops.trunc`: integers and bool come back unchanged; floats round
/// toward zero (`trunc(-0.5)` is `-0.0`).
pub fn trunc(call: &OpCall) -> OpResult<Value> {
    let x = unary_input(call)?;
    let out = with_float_dtype!(x.dtype(), T => {
        T::wrap(x.into_typed::<T>().mapv(|v| T::store(v.load().trunc())))
    }, _ => x);
    tensor(out)
}

/// `round(v)` to the nearest integer, ties to even, in `f32`.
fn round_even(v: f32) -> f32 {
    v.round_ties_even()
}

/// `10 ** decimals` as Python computes it (an exact `int`, or the `float`
/// nearest `10 ** -n` for negative `decimals`).
fn power_of_ten(decimals: i64) -> f64 {
    format!("1e{decimals}").parse().unwrap_or(f64::INFINITY)
}

/// `jnp.round` of a float array with nonzero `decimals` inside one XLA
/// computation: `round(x * f) / f` with `f = 10 ** decimals` in the input
/// dtype (`float16` computes in `float32`). XLA turns the division by the
/// constant `f` into a multiplication by `1 / f`, flushed like any result:
/// with `decimals = 38` that reciprocal is a subnormal and every result 0 or NaN.
fn round_scaled<T: FloatElem>(x: T, decimals: i64) -> T {
    // bfloat16 arithmetic rounds every step to bfloat16; float16 and float32 use float32.
    let narrow = |v: f32| -> f32 {
        if T::DTYPE == DType::Bfloat16 {
            T::store(v).load()
        } else {
            flush(v)
        }
    };
    let factor = narrow(power_of_ten(decimals) as f32);
    let inverse = narrow(1.0 / factor);
    let scaled = narrow(x.load() * factor);
    T::store(narrow(round_even(scaled) * inverse))
}

/// Keras's own rounding of integers with negative `decimals` (`jnp.round`
/// refuses them): in `float32`, `round(x * f) / f` with `f = 10 ** decimals`,
/// then converted back (saturating) to the input dtype.
fn round_int_negative(x: Array, decimals: i64) -> Array {
    let dtype = x.dtype();
    let factor = flush(power_of_ten(decimals) as f32);
    let values = x.into_typed::<f32>().mapv(|v| {
        let scaled = flush(v * factor);
        flush(round_even(scaled) / factor)
    });
    f32::wrap(values).cast(dtype)
}

/// `keras.ops.round(x, decimals=0)`: same dtype. Floats round half to even;
/// integers are unchanged unless `decimals < 0`; bool raises (NumPy's
/// `finfo(bool)` fails); `decimals` above `log10(finfo.max)` returns `x`.
pub fn round(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "decimals"], 1)?;
    let x = to_array(args.value(0))?;
    let decimals = match args.given(1) {
        None => 0,
        Some(v) => index(v)?,
    };
    let dtype = x.dtype();
    if dtype == DType::Bool {
        return Err(OpError::Value(
            "data type <class 'numpy.bool'> not inexact".into(),
        ));
    }
    if !dtype.is_float() {
        return tensor(if decimals < 0 {
            round_int_negative(x, decimals)
        } else {
            x
        });
    }
    if decimals as f64 > max_decimal_exponent(dtype) {
        return tensor(x);
    }
    let out = with_float_dtype!(dtype, T => {
        let a = x.into_typed::<T>();
        T::wrap(if decimals == 0 {
            a.mapv(|v| T::store(round_even(v.load())))
        } else {
            a.mapv(|v| round_scaled(v, decimals))
        })
    }, _ => return Err(OpError::Internal(format!("non-float dtype {dtype}"))));
    tensor(out)
}

/// `log10(finfo(dtype).max)`: above it `jnp.round` returns its input.
fn max_decimal_exponent(dtype: DType) -> f64 {
    finfo_max(dtype).log10()
}
