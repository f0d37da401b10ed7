//! `maximum`, `minimum`, `mod`, `floor_divide`, `fmod`, `true_divide` and
//! `divide_no_nan`, with `jnp`'s promotion (Python scalars weak) and XLA's
//! integer division semantics (no error on division by zero).

use kconform_api::promote::Operand;
use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};

use super::lanes::{float_map, float_sign, int_map, lane_values, prepare, xla_div, xla_rem};
use super::select::fill_where;
use crate::array::Array;
use crate::binary::{binary_inputs, combine, promote, promote_operand, DivKernel};
use crate::broadcast::zip_map;
use crate::elem::{flush, Elem};
use crate::elementwise::tensor;
use crate::error::OpResult;

/// `maximum`/`minimum`: `lax.max`/`lax.min` (NaN wins; `bool` is or/and).
fn extremum(call: &OpCall, prim: &str, max: bool) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = promote(&[a.operand, b.operand])?;
    let (x, y, shape) = prepare(prim, a.array, b.array, dtype)?;
    let out = if dtype == DType::Bool {
        let (x, y) = (x.into_typed::<bool>(), y.into_typed::<bool>());
        Array::Bool(zip_map(
            &x,
            &y,
            &shape,
            |p, q| if max { p | q } else { p & q },
        )?)
    } else if dtype.is_float() {
        float_map(x, y, &shape, |p, q, _| {
            if max {
                Elem::xla_max(p, q)
            } else {
                Elem::xla_min(p, q)
            }
        })?
    } else {
        int_map(
            x,
            y,
            &shape,
            |p, q, _| if max { p.max(q) } else { p.min(q) },
        )?
    };
    tensor(out)
}

/// `keras.ops.maximum`.
pub fn maximum(call: &OpCall) -> OpResult<Value> {
    extremum(call, "max", true)
}

/// `keras.ops.minimum`.
pub fn minimum(call: &OpCall) -> OpResult<Value> {
    extremum(call, "min", false)
}

/// The dtype `promote_args_numeric` gives: the promotion, `bool` as `int32`.
fn numeric_dtype(ops: &[Operand]) -> OpResult<DType> {
    let d = promote(ops)?;
    Ok(if d == DType::Bool { DType::Int32 } else { d })
}

/// `keras.ops.mod` (`jnp.remainder`): the sign of the divisor; an integer
/// divisor of zero gives 0 (JAX divides by 1 instead).
pub fn mod_(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = numeric_dtype(&[a.operand, b.operand])?;
    let (x, y, shape) = prepare("rem", a.array, b.array, dtype)?;
    let out = if dtype.is_float() {
        float_map(x, y, &shape, |p, q, round| {
            let m = round(p % q);
            if m != 0.0 && ((m < 0.0) != (q < 0.0)) {
                round(m + q)
            } else {
                m
            }
        })?
    } else {
        int_map(x, y, &shape, |p, q, _| {
            let q = if q == 0 { 1 } else { q };
            let m = p % q;
            if m != 0 && ((m < 0) != (q < 0)) {
                m + q
            } else {
                m
            }
        })?
    };
    tensor(out)
}

/// `keras.ops.fmod`: the truncated remainder (the sign of the dividend). An
/// integer divisor of zero gives 0, except that two `bool`s skip JAX's
/// zero-divisor guard and give XLA's `x % 0 == x`.
pub fn fmod(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let guard = promote(&[a.operand, b.operand])?.is_integer();
    let dtype = numeric_dtype(&[a.operand, b.operand])?;
    let (x, y, shape) = prepare("rem", a.array, b.array, dtype)?;
    let out = if dtype.is_float() {
        float_map(x, y, &shape, |p, q, _| p % q)?
    } else {
        int_map(x, y, &shape, |p, q, _| {
            xla_rem(p, if guard && q == 0 { 1 } else { q })
        })?
    };
    tensor(out)
}

/// `keras.ops.floor_divide`: XLA's integer division (`x // 0` is `-1`
/// floored to `-2` for nonzero signed `x`, `MAX` unsigned), and CPython's
/// `float_divmod` for floats, rounded half away from zero.
pub fn floor_divide(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = numeric_dtype(&[a.operand, b.operand])?;
    let prim = if dtype.is_float() { "rem" } else { "div" };
    let (x, y, shape) = prepare(prim, a.array, b.array, dtype)?;
    // XLA rewrites a division by a broadcast divisor as a reciprocal product.
    let reciprocal = y.shape() != shape.as_slice();
    let out = if dtype.is_float() {
        float_map(x, y, &shape, |p, q, round| {
            let m = p % q;
            let dividend = if q == 0.0 { p } else { round(p - m) };
            let quotient = if reciprocal {
                let r = flush(1.0 / q);
                let r = if dtype == DType::Bfloat16 {
                    r
                } else {
                    round(r)
                };
                round(dividend * r)
            } else {
                round(dividend / q)
            };
            let adjust = m != 0.0 && float_sign(q) != float_sign(m);
            let quotient = if adjust {
                round(quotient - 1.0)
            } else {
                quotient
            };
            quotient.round()
        })?
    } else {
        int_map(x, y, &shape, |p, q, info| {
            let quotient = xla_div(p, q);
            let differ = p.signum() != q.signum() && xla_rem(p, q) != 0;
            if info.signed && differ {
                quotient - 1
            } else {
                quotient
            }
        })?
    };
    tensor(out)
}

/// `keras.ops.true_divide`: `keras.ops.divide`.
pub fn true_divide(call: &OpCall) -> OpResult<Value> {
    crate::binary::divide(call)
}

/// `keras.ops.divide_no_nan`: `where(x2 == 0, 0, x1 / where(x2 == 0, 1, x2))`,
/// three eager JAX calls (so the division is `keras.ops.divide`'s).
pub fn divide_no_nan(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let zero = lane_values(b.array.clone()).mapv(|v| v == 0.0);
    let safe_operand = promote_operand(&[Operand::WeakInt, b.operand])?;
    let safe_dtype = promote(&[Operand::WeakInt, b.operand])?;
    let safe = fill_where(b.array.cast(safe_dtype), &zero, Scalar::Int(1))?;
    let mut dtype = promote(&[a.operand, safe_operand])?;
    if !dtype.is_float() {
        dtype = DType::Float32;
    }
    let kernel = DivKernel {
        x_bool: a.array.dtype() == DType::Bool,
    };
    let quotient = combine("div", a.array, safe, dtype, &kernel)?;
    tensor(fill_where(quotient, &zero, Scalar::Int(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_division_by_zero() {
        assert_eq!(xla_div(7, 0), -1);
        assert_eq!(xla_rem(7, 0), 7);
        assert_eq!(float_sign(-0.0).to_bits(), (-0.0f32).to_bits());
    }
}
