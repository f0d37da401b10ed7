//! Rules of creation ops with a tensor argument: `zeros_like`, `ones_like`,
//! `full_like`, `full` (symbolic fill value), `linspace`, `logspace`.

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{
    bind, broadcast_shapes, canonicalize_axis, promote, require_spec, spec, tensor_spec, Dims,
};
use crate::promote::Operand;
use crate::python::py_repr;
use crate::value::Value;

type R = Result<Value, BackendError>;

/// `keras.backend.standardize_dtype` of a dtype argument (`None` stays).
fn standard_dtype(v: Option<&Value>) -> Result<Option<DType>, BackendError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => s
            .parse::<DType>()
            .map(Some)
            .map_err(|_| BackendError::value_error(format!("Invalid dtype: {s}"))),
        Some(other) => Err(BackendError::value_error(format!(
            "Invalid dtype: {}",
            py_repr(other)
        ))),
    }
}

/// `ZerosLike`/`OnesLike`/`FullLike`: the input's shape, in `dtype` or the
/// input's (declared, never narrowed) dtype.
fn like(call: &OpCall, params: &[&str], required: usize, dtype_at: usize) -> R {
    let args = bind(call, params, required)?;
    let dtype = standard_dtype(args[dtype_at])?;
    let x = require_spec(args[0], "x")?;
    Ok(spec(x.shape, dtype.unwrap_or(x.dtype)))
}

/// `ZerosLike`.
pub fn zeros_like(call: &OpCall) -> R {
    like(call, &["x", "dtype"], 1, 1)
}

/// `OnesLike`.
pub fn ones_like(call: &OpCall) -> R {
    like(call, &["x", "dtype"], 1, 1)
}

/// `FullLike`.
pub fn full_like(call: &OpCall) -> R {
    like(call, &["x", "fill_value", "dtype"], 2, 2)
}

/// `Full` (a symbolic fill value): the shape as given, `float32` unless a
/// dtype is given.
pub fn full(call: &OpCall) -> R {
    let args = bind(call, &["shape", "fill_value", "dtype"], 2)?;
    let dtype = standard_dtype(args[2])?.unwrap_or(DType::Float32);
    let shape: Dims = match args[0] {
        Some(Value::List(items) | Value::Tuple(items)) => items
            .iter()
            .map(|d| match d {
                Value::None => Ok(None),
                Value::Int(n) if *n >= 0 => Ok(Some(*n as usize)),
                other => Err(BackendError::Unsupported(format!(
                    "full dimension {}",
                    py_repr(other)
                ))),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(BackendError::value_error(format!(
                "Cannot convert '{}' to a shape.",
                py_repr(other)
            )))
        }
        None => return Err(BackendError::Unsupported("full without a shape".into())),
    };
    Ok(spec(shape, dtype))
}

/// The shape and dtype Keras reads off a `start`/`stop` argument: a
/// tensor's, or `[]` and the standardized Python type of a scalar.
fn bound(v: Option<&Value>) -> Result<(Dims, DType), BackendError> {
    match v {
        Some(Value::Int(_)) => Ok((Vec::new(), DType::Int32)),
        Some(Value::Float(_)) => Ok((Vec::new(), DType::Float32)),
        Some(Value::Bool(_)) => Ok((Vec::new(), DType::Bool)),
        Some(v) => tensor_spec(v)
            .map(|s| (s.shape, s.dtype))
            .ok_or_else(|| BackendError::Unsupported(format!("a {} bound", v.kind()))),
        None => Err(BackendError::Unsupported("a missing bound".into())),
    }
}

/// `Linspace`/`Logspace`: the broadcast bounds with `num` inserted at
/// `axis`; the dtype is `result_type(dtype or start's dtype, float)`
/// (`stop`'s dtype plays no part).
fn spacing(call: &OpCall, params: &[&str], dtype: Option<DType>) -> R {
    let args = bind(call, params, 2)?;
    let (start, start_dtype) = bound(args[0])?;
    let (stop, _) = bound(args[1])?;
    let num = match args[2] {
        None => 50,
        Some(Value::Int(n)) => *n,
        Some(other) => {
            return Err(BackendError::Unsupported(format!(
                "num given as {}",
                py_repr(other)
            )))
        }
    };
    let axis = match args[params.len() - 1] {
        None => 0,
        Some(Value::Int(a)) => *a,
        Some(other) => {
            return Err(BackendError::Unsupported(format!(
                "axis given as {}",
                py_repr(other)
            )))
        }
    };
    let mut shape = broadcast_shapes(&start, &stop)?;
    let axis = canonicalize_axis(axis, shape.len() + 1)?;
    shape.insert(axis, usize::try_from(num).ok());
    let dtype = promote(&[
        Operand::Strong(dtype.unwrap_or(start_dtype)),
        Operand::WeakFloat,
    ])?;
    Ok(spec(shape, dtype))
}

/// `Linspace`; with `retstep=True` the op returns `(tensor, None)`, which
/// Keras refuses as an operation output.
pub fn linspace(call: &OpCall) -> R {
    let params = [
        "start", "stop", "num", "endpoint", "retstep", "dtype", "axis",
    ];
    let args = bind(call, &params, 2)?;
    let dtype = standard_dtype(args[5])?;
    let out = spacing(call, &params, dtype)?;
    if matches!(args[4], Some(Value::Bool(true))) {
        return Err(BackendError::value_error(
            "All operation outputs must be tensors. Operation <Operation name=linspace> returned \
             a non-tensor. Non-tensor received: None",
        ));
    }
    Ok(out)
}

/// `Logspace`.
pub fn logspace(call: &OpCall) -> R {
    let params = ["start", "stop", "num", "endpoint", "base", "dtype", "axis"];
    let args = bind(call, &params, 2)?;
    let dtype = standard_dtype(args[5])?;
    spacing(call, &params, dtype)
}
