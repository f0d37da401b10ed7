//! `keras.ops.power`, following `jnp.power`'s three paths:
//!
//! 1. a concrete 0-d integer/bool exponent (a Python int, or a 0-d tensor)
//!    goes to `lax.integer_pow`: the result keeps the base's dtype (bool →
//!    `int32`), floats multiply by repeated squaring with a rounding per
//!    step, and integers refuse negative exponents;
//! 2. integer results use binary exponentiation over the exponent's low six
//!    bits (`_pow_int_int`), wrapping;
//! 3. float results use `pow` (C99 special cases).

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};

use crate::array::{with_dtype, with_float_dtype, with_int_dtype, Array, Unwrap};
use crate::binary::{binary_inputs, combine, promote, BinaryKernel};
use crate::broadcast::zip_map;
use crate::elem::{Elem, FloatElem, IntElem};
use crate::elementwise::tensor;
use crate::error::{OpError, OpResult};

/// `keras.ops.power`.
pub fn power(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    if b.array.ndim() == 0 && !b.array.dtype().is_float() {
        let n = b.array.scalar_at(0).map_or(0, |s| s.as_f64() as i64);
        let weak = a.operand == Operand::WeakInt;
        let base = match a.array.dtype() {
            DType::Bool => a.array.cast(DType::Int32),
            _ => a.array,
        };
        return tensor(integer_pow(base, n, weak)?);
    }
    let mut dtype = promote(&[a.operand, b.operand])?;
    if dtype == DType::Bool {
        dtype = DType::Int32;
    }
    tensor(combine("pow", a.array, b.array, dtype, &PowKernel)?)
}

/// `lax.integer_pow(x, n)`.
fn integer_pow(x: Array, n: i64, weak: bool) -> OpResult<Array> {
    let dtype = x.dtype();
    if n < 0 && dtype.is_integer() {
        let dims: Vec<String> = x.shape().iter().map(|d| d.to_string()).collect();
        let tilde = if weak { "~" } else { "" };
        return Err(OpError::Type(format!(
            "Integers cannot be raised to negative powers, got integer_pow({tilde}{dtype}[{}], {n})",
            dims.join(",")
        )));
    }
    fn go<T: Unwrap>(x: Array, n: i64, recip: fn(T) -> T) -> Array {
        let a = x.into_typed::<T>();
        T::wrap(a.mapv(|v| {
            if n == 0 {
                return T::one();
            }
            let mut e = n.unsigned_abs();
            let (mut base, mut acc): (T, Option<T>) = (v, None);
            while e > 0 {
                if e & 1 == 1 {
                    acc = Some(acc.map_or(base, |p| p.mul(base)));
                }
                e >>= 1;
                if e > 0 {
                    base = base.mul(base);
                }
            }
            let acc = acc.unwrap_or_else(T::one);
            if n < 0 {
                recip(acc)
            } else {
                acc
            }
        }))
    }
    fn recip<T: FloatElem>(v: T) -> T {
        T::store(1.0 / v.load())
    }
    Ok(
        with_float_dtype!(dtype, T => go::<T>(x, n, recip::<T>), _ => {
            with_dtype!(dtype, T => go::<T>(x, n, |v| v))
        }),
    )
}

/// Elementwise `pow` on one dtype (integer or float).
struct PowKernel;

impl BinaryKernel for PowKernel {
    fn apply(&self, a: Array, b: Array, shape: &[usize]) -> OpResult<Array> {
        let dtype = a.dtype();
        with_float_dtype!(dtype, T => {
            let (x, y) = (a.into_typed::<T>(), b.into_typed::<T>());
            Ok(T::wrap(zip_map(&x, &y, shape, |p: T, q: T| {
                T::store64(f64::from(p.load()).powf(f64::from(q.load())))
            })?))
        }, _ => with_int_dtype!(dtype, T => {
            let (x, y) = (a.into_typed::<T>(), b.into_typed::<T>());
            Ok(T::wrap(zip_map(&x, &y, shape, pow_int_int::<T>)?))
        }, _ => Err(OpError::Internal(format!("pow on {dtype}")))))
    }
}

/// `jnp`'s `_pow_int_int`: six rounds of binary exponentiation, so only the
/// exponent's low six bits count (`3 ** -1 == 3 ** 63`, wrapped).
fn pow_int_int<T: IntElem>(x: T, e: T) -> T {
    let bits = e.to_i64() as u64;
    let mut acc = if x == T::zero() && e != T::zero() {
        T::zero()
    } else {
        T::one()
    };
    let mut base = x;
    for i in 0..6 {
        if (bits >> i) & 1 == 1 {
            acc = acc.mul(base);
        }
        base = base.mul(base);
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_bit_integer_power() {
        // Keras 3.15.1: power(int32 [3, 2, -2, 0], int32 [-1, -1, -1, 0])
        // -> [2111105451, 0, 0, 1]
        assert_eq!(pow_int_int(3i32, -1), 2111105451);
        assert_eq!(pow_int_int(2i32, -1), 0);
        assert_eq!(pow_int_int(0i32, 0), 1);
        assert_eq!(pow_int_int(2i32, 100), 0);
    }
}
