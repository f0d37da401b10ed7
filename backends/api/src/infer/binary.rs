//! Inference rules: binary elementwise math, comparisons, logical ops,
//! selection and cumulative/arg reductions, each mirroring its op's
//! `compute_output_spec` in Keras 3.15.1 (`keras/src/ops/numpy.py`),
//! including where that spec disagrees with the eager result.

mod bitwise;
mod reductions;

use super::util::{bind, broadcast_shapes, operand, promote, spec, tensor_spec, Dims};
use super::Rule;
use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::promote::Operand;
use crate::value::Value;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
    ("argmax", reductions::arg_reduce),
    ("argmin", reductions::arg_reduce),
    ("bitwise_and", bitwise::bitwise_binary),
    ("bitwise_invert", bitwise::bitwise_unary),
    ("bitwise_not", bitwise::bitwise_unary),
    ("bitwise_or", bitwise::bitwise_binary),
    ("bitwise_xor", bitwise::bitwise_binary),
    ("count_nonzero", reductions::count_nonzero),
    ("cumprod", reductions::cumulative),
    ("cumsum", reductions::cumulative),
    ("divide_no_nan", float_promoted),
    ("equal", boolean),
    ("floor_divide", promoted),
    ("fmod", promoted_bool_to_int),
    ("gcd", standardized_promoted),
    ("greater", boolean),
    ("greater_equal", boolean),
    ("heaviside", inexact_of_dtypes),
    ("hypot", inexact_of_dtypes),
    ("isclose", isclose),
    ("lcm", standardized_promoted),
    ("left_shift", bitwise::shift),
    ("less", boolean),
    ("less_equal", boolean),
    ("logaddexp", float_promoted),
    ("logaddexp2", float_promoted),
    ("logical_and", boolean),
    ("logical_or", boolean),
    ("logical_xor", boolean),
    ("maximum", promoted),
    ("minimum", promoted),
    ("mod", promoted_bool_to_int),
    ("not_equal", boolean),
    ("right_shift", bitwise::shift),
    ("true_divide", float_promoted),
    ("where", where_),
];

/// `getattr(x, "shape", [])`: a tensor's (symbolic) shape, `[]` for anything else.
fn shape_or_scalar(v: &Value) -> Dims {
    tensor_spec(v).map_or_else(Vec::new, |s| s.shape)
}

/// `x.dtype` of a tensor argument; a Python scalar raises Keras's
/// `AttributeError` (`'float' object has no attribute 'dtype'`).
fn dtype_attr(v: &Value) -> Result<DType, BackendError> {
    tensor_spec(v).map(|s| s.dtype).ok_or_else(|| {
        BackendError::raised(
            "AttributeError",
            format!(
                "'{}' object has no attribute 'dtype'",
                crate::python::py_type_name(v)
            ),
        )
    })
}

/// Binds `(x1, x2)` and returns both values.
fn two<'a>(call: &'a OpCall, p: [&str; 2]) -> Result<(&'a Value, &'a Value), BackendError> {
    let args = bind(call, &p, 2)?;
    Ok((
        args[0].unwrap_or(&Value::None),
        args[1].unwrap_or(&Value::None),
    ))
}

/// The broadcast shape of two arguments (`getattr(x, "shape", [])`).
fn broadcast_of(a: &Value, b: &Value) -> Result<Dims, BackendError> {
    broadcast_shapes(&shape_or_scalar(a), &shape_or_scalar(b))
}

/// A broadcasting rule whose dtype is `dtype_of(operand(x1), operand(x2))`.
fn broadcasting(
    call: &OpCall,
    dtype_of: impl Fn(Operand, Operand) -> Result<DType, BackendError>,
) -> Result<Value, BackendError> {
    let (a, b) = two(call, ["x1", "x2"])?;
    let shape = broadcast_of(a, b)?;
    Ok(spec(shape, dtype_of(operand(a)?, operand(b)?)?))
}

/// `result_type(x1, x2)` (`maximum`, `minimum`, `floor_divide`).
fn promoted(call: &OpCall) -> Result<Value, BackendError> {
    broadcasting(call, |a, b| promote(&[a, b]))
}

/// `result_type(x1, x2)` with `bool` read as `int32` (`mod`, `fmod`).
fn promoted_bool_to_int(call: &OpCall) -> Result<Value, BackendError> {
    broadcasting(call, |a, b| {
        let d = promote(&[a, b])?;
        Ok(if d == DType::Bool { DType::Int32 } else { d })
    })
}

/// `result_type(x1, x2, float)` (`true_divide`, `divide_no_nan`, `logaddexp`, `logaddexp2`).
fn float_promoted(call: &OpCall) -> Result<Value, BackendError> {
    broadcasting(call, |a, b| promote(&[a, b, Operand::WeakFloat]))
}

/// A `bool` result (comparisons and logical ops).
fn boolean(call: &OpCall) -> Result<Value, BackendError> {
    broadcasting(call, |_, _| Ok(DType::Bool))
}

/// `result_type(standardize_dtype(x1), standardize_dtype(x2))` (`gcd`, `lcm`):
/// a Python scalar counts as a strong `int32`/`float32`.
fn standardized_promoted(call: &OpCall) -> Result<Value, BackendError> {
    broadcasting(call, |a, b| {
        let strong = |o: Operand| match o {
            Operand::WeakInt => Operand::Strong(DType::Int32),
            Operand::WeakFloat => Operand::Strong(DType::Float32),
            s => s,
        };
        promote(&[strong(a), strong(b)])
    })
}

/// `hypot`, `heaviside`: `result_type(x1.dtype, x2.dtype)`, integers to
/// `floatx()` (Keras keeps `bool`, unlike the eager result).
fn inexact_of_dtypes(call: &OpCall) -> Result<Value, BackendError> {
    let (a, b) = two(call, ["x1", "x2"])?;
    let mut dtype = promote(&[
        Operand::Strong(dtype_attr(a)?),
        Operand::Strong(dtype_attr(b)?),
    ])?;
    if dtype == DType::Int64 {
        dtype = DType::Float64;
    } else if dtype.is_integer() {
        dtype = DType::Float32;
    }
    Ok(spec(broadcast_of(a, b)?, dtype))
}

/// `isclose(x1, x2, rtol, atol, equal_nan)`: the broadcast shape, `bool`.
fn isclose(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x1", "x2", "rtol", "atol", "equal_nan"], 2)?;
    let none = &Value::None;
    let shape = broadcast_of(args[0].unwrap_or(none), args[1].unwrap_or(none))?;
    Ok(spec(shape, DType::Bool))
}

/// `where(condition, x1=None, x2=None)`: the broadcast of all three shapes,
/// `result_type(x1, x2)` with `"int"` for a missing one (so the one-argument
/// form is an `int32` tensor of the condition's shape, unlike the eager tuple).
fn where_(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["condition", "x1", "x2"], 1)?;
    let get = |i: usize| args[i].filter(|v| !matches!(v, Value::None));
    let (cond, x1, x2) = (args[0].unwrap_or(&Value::None), get(1), get(2));
    if x1.is_none() != x2.is_none() {
        return Err(BackendError::value_error(
            "`x1` and `x2` either both should be `None` or both should have non-None value.",
        ));
    }
    let shape_of = |v: Option<&Value>| v.map_or_else(Vec::new, shape_or_scalar);
    let shape = broadcast_shapes(&shape_or_scalar(cond), &shape_of(x1))?;
    let shape = broadcast_shapes(&shape, &shape_of(x2))?;
    let op = |v: Option<&Value>| v.map_or(Ok(Operand::Strong(DType::Int32)), operand);
    Ok(spec(shape, promote(&[op(x1)?, op(x2)?])?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::TensorSpec;

    fn sym(shape: &[Option<usize>], dtype: DType) -> Value {
        Value::Spec(TensorSpec {
            shape: shape.to_vec(),
            dtype,
        })
    }

    fn out(v: Value) -> (Dims, DType) {
        match v {
            Value::Spec(s) => (s.shape, s.dtype),
            other => panic!("not a spec: {other:?}"),
        }
    }

    #[test]
    fn broadcasting_rules() {
        let c = OpCall::new(
            "maximum",
            vec![sym(&[None, Some(3)], DType::Int8), Value::Float(1.5)],
        );
        assert_eq!(
            out(promoted(&c).unwrap()),
            (vec![None, Some(3)], DType::Float32)
        );
        let c = OpCall::new(
            "mod",
            vec![sym(&[Some(2)], DType::Bool), sym(&[Some(2)], DType::Bool)],
        );
        assert_eq!(out(promoted_bool_to_int(&c).unwrap()).1, DType::Int32);
        let c = OpCall::new("gcd", vec![sym(&[Some(2)], DType::Int8), Value::Int(3)]);
        assert_eq!(out(standardized_promoted(&c).unwrap()).1, DType::Int32);
    }

    #[test]
    fn hypot_needs_dtypes() {
        let c = OpCall::new(
            "hypot",
            vec![sym(&[Some(2)], DType::Float32), Value::Float(2.0)],
        );
        let e = inexact_of_dtypes(&c).unwrap_err();
        assert_eq!(
            e,
            BackendError::raised("AttributeError", "'float' object has no attribute 'dtype'")
        );
    }

    #[test]
    fn where_one_argument() {
        let c = OpCall::new("where", vec![sym(&[None, Some(3)], DType::Float32)]);
        assert_eq!(
            out(where_(&c).unwrap()),
            (vec![None, Some(3)], DType::Int32)
        );
        let c = OpCall::new("where", vec![sym(&[Some(3)], DType::Bool), Value::Int(1)]);
        assert!(where_(&c).is_err());
    }
}
