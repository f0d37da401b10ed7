//! Comparisons, logical ops and `isclose`: `bool` results computed in the
//! promoted dtype (floats with denormals read as zero, as XLA:CPU compares).

use kconform_api::promote::Operand;
use kconform_api::tensor::Scalar;
use kconform_api::{OpCall, Value};

use super::lanes::{float_pred, prepare, value_pred};
use crate::args::Args;
use crate::array::{with_float_dtype, Array};
use crate::binary::{binary_inputs, promote};
use crate::convert::convert;
use crate::elem::{Elem, FloatElem};
use crate::elementwise::tensor;
use crate::error::{OpError, OpResult};

/// Compares `x1` and `x2` after promotion with `f`.
fn compare(call: &OpCall, prim: &str, f: fn(f64, f64) -> bool) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = promote(&[a.operand, b.operand])?;
    let (x, y, shape) = prepare(prim, a.array, b.array, dtype)?;
    tensor(Array::Bool(value_pred(x, y, &shape, f)?))
}

/// `keras.ops.equal`.
pub fn equal(call: &OpCall) -> OpResult<Value> {
    compare(call, "eq", |p, q| p == q)
}

/// `keras.ops.not_equal` (NaN is unequal to everything).
pub fn not_equal(call: &OpCall) -> OpResult<Value> {
    compare(call, "ne", |p, q| p != q)
}

/// `keras.ops.less`.
pub fn less(call: &OpCall) -> OpResult<Value> {
    compare(call, "lt", |p, q| p < q)
}

/// `keras.ops.less_equal`.
pub fn less_equal(call: &OpCall) -> OpResult<Value> {
    compare(call, "le", |p, q| p <= q)
}

/// `keras.ops.greater`.
pub fn greater(call: &OpCall) -> OpResult<Value> {
    compare(call, "gt", |p, q| p > q)
}

/// `keras.ops.greater_equal`.
pub fn greater_equal(call: &OpCall) -> OpResult<Value> {
    compare(call, "ge", |p, q| p >= q)
}

/// `keras.ops.logical_and` (nonzero, NaN included, is true).
pub fn logical_and(call: &OpCall) -> OpResult<Value> {
    compare(call, "and", |p, q| p != 0.0 && q != 0.0)
}

/// `keras.ops.logical_or`.
pub fn logical_or(call: &OpCall) -> OpResult<Value> {
    compare(call, "or", |p, q| p != 0.0 || q != 0.0)
}

/// `keras.ops.logical_xor`.
pub fn logical_xor(call: &OpCall) -> OpResult<Value> {
    compare(call, "xor", |p, q| (p != 0.0) != (q != 0.0))
}

/// A tolerance argument of `isclose` as a Python scalar.
fn tolerance(v: Option<&Value>, default: f64) -> OpResult<Scalar> {
    match v {
        None => Ok(Scalar::Float(default)),
        Some(v) => {
            let a = convert(v)?.array;
            match a.scalar_at(0) {
                Some(s) if a.len() == 1 => Ok(s),
                _ => Err(OpError::Unsupported(
                    "a non-scalar isclose tolerance".into(),
                )),
            }
        }
    }
}

/// `keras.ops.isclose`: `a == b | (isfinite(b) & |a - b| <= atol + rtol * |b|)`
/// in the promoted float dtype (tolerances rounded into it), `| both NaN`
/// with `equal_nan`.
pub fn isclose(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x1", "x2", "rtol", "atol", "equal_nan"], 2)?;
    let (a, b) = (convert(args.value(0))?, convert(args.value(1))?);
    let rtol = tolerance(args.get(2), 1e-5)?;
    let atol = tolerance(args.get(3), 1e-8)?;
    let equal_nan = args
        .get(4)
        .map(crate::args::truthy)
        .transpose()?
        .unwrap_or(false);
    let mut dtype = promote(&[a.operand, b.operand])?;
    if !dtype.is_float() {
        dtype = promote(&[Operand::Strong(dtype), Operand::WeakFloat])?;
    }
    let load = |s: Scalar| -> f32 {
        with_float_dtype!(dtype, T => T::from_scalar(s).load(), _ => f32::NAN)
    };
    let (rtol, atol) = (load(rtol), load(atol));
    let (x, y, shape) = prepare("and", a.array, b.array, dtype)?;
    let out = float_pred(x, y, &shape, |p, q, round| {
        let both_nan = p.is_nan() && q.is_nan();
        let in_range = round((p - q).abs()) <= round(atol + round(rtol * q.abs()));
        p == q || (q.is_finite() && in_range) || (equal_nan && both_nan)
    })?;
    tensor(Array::Bool(out))
}
