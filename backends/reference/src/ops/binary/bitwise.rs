//! Bitwise ops on integers and `bool`: `bitwise_and/or/xor`,
//! `bitwise_not/invert`, `left_shift`, `right_shift` (XLA's shifts: an
//! amount outside `[0, bits)` shifts everything out).

use kconform_api::{DType, OpCall, Value};

use super::lanes::{int_map, prepare, IntInfo};
use crate::args::Args;
use crate::array::{with_int_dtype, Array};
use crate::binary::promote;
use crate::broadcast::zip_map;
use crate::convert::{convert, to_array, Converted};
use crate::elem::{Elem, IntElem};
use crate::elementwise::tensor;
use crate::error::{OpError, OpResult};

/// JAX's dtype error of a lax primitive restricted to `accepted` kinds.
fn dtype_error(prim: &str, dtype: DType, accepted: &str) -> OpError {
    OpError::Type(format!(
        "{prim} does not accept dtype {} at position 0. Accepted dtypes at position 0 are \
         subtypes of {accepted}.",
        kconform_api::promote::downcast_64(dtype)
    ))
}

/// `and`/`or`/`xor` of `bool`s or integers after `jnp` promotion.
fn logic(call: &OpCall, prim: &str, f: fn(i64, i64) -> i64) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "y"], 2)?;
    let (a, b) = (convert(args.value(0))?, convert(args.value(1))?);
    let dtype = promote(&[a.operand, b.operand])?;
    if dtype.is_float() {
        return Err(dtype_error(prim, dtype, "integer, bool"));
    }
    let (x, y, shape) = prepare(prim, a.array, b.array, dtype)?;
    let out = if dtype == DType::Bool {
        let (x, y) = (x.into_typed::<bool>(), y.into_typed::<bool>());
        Array::Bool(zip_map(&x, &y, &shape, |p, q| {
            f(i64::from(p), i64::from(q)) != 0
        })?)
    } else {
        int_map(x, y, &shape, |p, q, _| f(p, q))?
    };
    tensor(out)
}

/// `keras.ops.bitwise_and`.
pub fn bitwise_and(call: &OpCall) -> OpResult<Value> {
    logic(call, "and", |p, q| p & q)
}

/// `keras.ops.bitwise_or`.
pub fn bitwise_or(call: &OpCall) -> OpResult<Value> {
    logic(call, "or", |p, q| p | q)
}

/// `keras.ops.bitwise_xor`.
pub fn bitwise_xor(call: &OpCall) -> OpResult<Value> {
    logic(call, "xor", |p, q| p ^ q)
}

/// `keras.ops.bitwise_invert`: `~x` (`not x` for `bool`).
pub fn bitwise_invert(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x"], 1)?;
    let x = to_array(args.value(0))?;
    let dtype = x.dtype();
    let out = with_int_dtype!(dtype, T => {
        T::wrap(x.into_typed::<T>().mapv(|v: T| super::lanes::wrap_int::<T>(!v.to_i64())))
    }, _ => match x {
        Array::Bool(v) => Array::Bool(v.mapv(|b| !b)),
        _ => {
            return Err(OpError::Type(format!(
                "not does not accept dtype {dtype}. Accepted dtypes are subtypes of integer, bool."
            )))
        }
    });
    tensor(out)
}

/// `keras.ops.bitwise_not`: [`bitwise_invert`].
pub fn bitwise_not(call: &OpCall) -> OpResult<Value> {
    bitwise_invert(call)
}

/// The shift amount: a Python int goes to JAX unconverted, so one outside
/// `int32` overflows JAX's argument parsing (`path` names `jnp`'s parameter).
fn shift_amount(v: &Value, path: &str) -> OpResult<Converted> {
    match v {
        Value::Int(i) if i32::try_from(*i).is_err() => Err(OpError::Overflow(format!(
            "An overflow was encountered while parsing an argument to a jitted computation, \
             whose argument path is {path}. Got <class 'int'> with value {i}"
        ))),
        other => convert(other),
    }
}

/// A shift of `x` by `y` after `promote_args_numeric` (`bool` as `int32`).
fn shift(call: &OpCall, left: bool) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "y"], 2)?;
    let path = if left { "y" } else { "x2" };
    let (a, b) = (convert(args.value(0))?, shift_amount(args.value(1), path)?);
    let mut dtype = promote(&[a.operand, b.operand])?;
    if dtype == DType::Bool {
        dtype = DType::Int32;
    }
    let unsigned = matches!(
        dtype,
        DType::Uint8 | DType::Uint16 | DType::Uint32 | DType::Uint64
    );
    let prim = match (left, unsigned) {
        (true, _) => "shift_left",
        (false, true) => "shift_right_logical",
        (false, false) => "shift_right_arithmetic",
    };
    if dtype.is_float() {
        return Err(dtype_error(prim, dtype, "integer"));
    }
    let (x, y, shape) = prepare(prim, a.array, b.array, dtype)?;
    tensor(int_map(x, y, &shape, move |p, q, info: IntInfo| {
        let outside = q < 0 || q >= i64::from(info.bits);
        match (left, outside) {
            (true, true) => 0,
            (true, false) => p << q,
            (false, true) => {
                if p < 0 {
                    -1
                } else {
                    0
                }
            }
            (false, false) => p >> q,
        }
    })?)
}

/// `keras.ops.left_shift`.
pub fn left_shift(call: &OpCall) -> OpResult<Value> {
    shift(call, true)
}

/// `keras.ops.right_shift` (arithmetic for signed dtypes, logical for unsigned).
pub fn right_shift(call: &OpCall) -> OpResult<Value> {
    shift(call, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_operands_are_refused() {
        let e = dtype_error("and", DType::Float64, "integer, bool");
        assert_eq!(
            e,
            OpError::Type(
                "and does not accept dtype float32 at position 0. Accepted dtypes at position 0 \
                 are subtypes of integer, bool."
                    .into()
            )
        );
    }
}
