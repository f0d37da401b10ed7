//! Rules of `Norm`, `Logsumexp`, `Median`, `Quantile` and `Percentile`.

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{
    axes_arg, bind, bool_arg, float_dtype, reduce_shape, reduction, require_spec, spec,
    tensor_spec, Dims,
};
use crate::python::py_repr;
use crate::value::Value;

type R = Result<Value, BackendError>;

/// `str(ord)` as Keras's messages print it.
fn ord_str(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        other => py_repr(other),
    }
}

/// `Norm(ord, axis, keepdims)`: string orders other than `"fro"`/`"nuc"`
/// are refused when the op is built; integer and bool inputs give
/// `float32`, float inputs keep their dtype (`float64` included).
pub fn norm(call: &OpCall) -> R {
    let args = bind(call, &["x", "ord", "axis", "keepdims"], 1)?;
    let ord = args[1].cloned().unwrap_or(Value::None);
    if let Value::Str(s) = &ord {
        if s != "fro" && s != "nuc" {
            return Err(BackendError::value_error(format!(
                "Invalid `ord` argument. Expected one of {{'fro', 'nuc'}} when using string. \
                 Received: ord={s}"
            )));
        }
    }
    let x = require_spec(args[0], "x")?;
    let axis = axes_arg(args[2])?;
    let keepdims = bool_arg(args[3], false)?;
    let dtype = if x.dtype.is_float() {
        x.dtype
    } else {
        DType::Float32
    };
    let num_axes = axis.as_ref().map_or(x.shape.len(), Vec::len);
    if num_axes == 1 && matches!(ord, Value::Str(_)) {
        return Err(BackendError::value_error(format!(
            "Invalid `ord` argument for vector norm. Received: ord={}",
            ord_str(&ord)
        )));
    }
    if num_axes == 2 {
        let valid = match &ord {
            Value::None | Value::Str(_) => true,
            Value::Int(i) => [1, -1, 2, -2].contains(i),
            Value::Bool(b) => *b,
            Value::Float(f) => [1.0, -1.0, 2.0, -2.0, f64::INFINITY, f64::NEG_INFINITY].contains(f),
            _ => false,
        };
        if !valid {
            return Err(BackendError::value_error(format!(
                "Invalid `ord` argument for matrix norm. Received: ord={}",
                ord_str(&ord)
            )));
        }
    }
    Ok(spec(
        reduce_shape(&x.shape, axis.as_deref(), keepdims)?,
        dtype,
    ))
}

/// `Logsumexp`: the reduced shape, always `float32` (Keras declares no dtype).
pub fn logsumexp(call: &OpCall) -> R {
    reduction(call, &[], |_, _| Ok(DType::Float32))
}

/// `Median`: the reduced shape in the unary float dtype.
pub fn median(call: &OpCall) -> R {
    reduction(call, &[], |d, _| float_dtype(d))
}

/// The reduced shape of `quantile`/`percentile`, with `q`'s length in front
/// when `q` is 1-D (a list counts only when longer than `min_list`).
fn quantile_shape(args: &[Option<&Value>], min_list: usize) -> Result<(Dims, DType), BackendError> {
    let x = require_spec(args[0], "x")?;
    let axis = axes_arg(args[2])?;
    let keepdims = bool_arg(args[4], false)?;
    let mut shape = reduce_shape(&x.shape, axis.as_deref(), keepdims)?;
    let q = args[1].unwrap_or(&Value::None);
    if let Some(s) = tensor_spec(q) {
        if let Some(&first) = s.shape.first() {
            shape.insert(0, first);
        }
    } else if let Value::List(items) | Value::Tuple(items) = q {
        if items.len() > min_list {
            shape.insert(0, Some(items.len()));
        }
    }
    Ok((shape, x.dtype))
}

/// `Quantile`: a list `q` of one element adds no dimension (eager does).
pub fn quantile(call: &OpCall) -> R {
    let args = bind(call, &["x", "q", "axis", "method", "keepdims"], 2)?;
    let (shape, d) = quantile_shape(&args, 1)?;
    Ok(spec(shape, float_dtype(d)?))
}

/// `Percentile`: non-float inputs give `float32`, floats keep their dtype.
pub fn percentile(call: &OpCall) -> R {
    let args = bind(call, &["x", "q", "axis", "method", "keepdims"], 2)?;
    let (shape, d) = quantile_shape(&args, 0)?;
    Ok(spec(shape, if d.is_float() { d } else { DType::Float32 }))
}
