//! Inference rules of `batch_normalization`, `normalize` (and
//! `keras.utils.normalize`, which sends symbolic inputs to it), `moments`
//! and `one_hot`, after their `compute_output_spec` in
//! `keras/src/ops/nn.py` (3.15.1).

use super::super::util::{
    axes_arg, bind, bool_arg, canonicalize_axis, dtype_arg, int_arg, reduce_shape, require_spec,
    spec, tuple_repr,
};
use super::given;
use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::value::Value;

type R<T> = Result<T, BackendError>;

/// `keras.ops.batch_normalization`: `x`'s shape and dtype once every
/// parameter is a vector of length `x.shape[axis]`. When `offset` is given
/// without `scale`, Keras's check reads `None.shape` and raises.
pub fn batch_normalization(call: &OpCall) -> R<Value> {
    let params = [
        "x", "mean", "variance", "axis", "offset", "scale", "epsilon",
    ];
    let args = bind(call, &params, 4)?;
    let x = require_spec(args[0], "x")?;
    let axis = int_arg(args[3])?.unwrap_or(0);
    let n = x.shape.len() as i64;
    let i = if axis < 0 { axis + n } else { axis };
    if !(0..n).contains(&i) {
        return Err(BackendError::raised(
            "IndexError",
            "tuple index out of range",
        ));
    }
    let expected = vec![x.shape[i as usize]];
    let check = |name: &str, v: Option<&Value>| -> R<()> {
        let s = require_spec(v, name)?;
        if s.shape != expected {
            return Err(BackendError::value_error(format!(
                "Arguments `{name}` must be a vector of length `x.shape[axis]`. Expected: `{}`. \
                 Received: `{}.",
                tuple_repr(&expected),
                tuple_repr(&s.shape)
            )));
        }
        Ok(())
    };
    check("mean", args[1])?;
    check("variance", args[2])?;
    let (offset, scale) = (given(args[4]), given(args[5]));
    if offset.is_some() {
        check("offset", offset)?;
    }
    match (offset, scale) {
        (None, None) => {}
        (_, None) => {
            return Err(BackendError::raised(
                "AttributeError",
                "'NoneType' object has no attribute 'shape'",
            ))
        }
        (_, Some(s)) => check("scale", Some(s))?,
    }
    Ok(spec(x.shape, x.dtype))
}

/// The shape of a normalized `x` once `axis` is checked; the dtype is
/// `floatx()` (`float32`) whatever `x`'s.
fn normalized(call: &OpCall, params: &[&str]) -> R<Value> {
    let args = bind(call, params, 1)?;
    let x = require_spec(args[0], "x")?;
    let axis = match args[1] {
        None => Some(vec![-1]),
        Some(v) => axes_arg(Some(v))?,
    };
    for a in axis.unwrap_or_default() {
        canonicalize_axis(a, x.shape.len())?;
    }
    Ok(spec(x.shape, DType::Float32))
}

/// `keras.ops.normalize`.
pub fn normalize(call: &OpCall) -> R<Value> {
    normalized(call, &["x", "axis", "order", "epsilon"])
}

/// `keras.utils.normalize` (a symbolic input goes to `ops.nn.normalize`).
pub fn utils_normalize(call: &OpCall) -> R<Value> {
    normalized(call, &["x", "axis", "order"])
}

/// `keras.ops.moments`: `(mean, variance)`, both reduced over `axes` in
/// `x`'s dtype (eager gives `float32` for integers).
pub fn moments(call: &OpCall) -> R<Value> {
    let args = bind(call, &["x", "axes", "keepdims", "synchronized"], 2)?;
    let x = require_spec(args[0], "x")?;
    let axes = axes_arg(args[1])?;
    let keepdims = bool_arg(args[2], false)?;
    let shape = reduce_shape(&x.shape, axes.as_deref(), keepdims)?;
    Ok(Value::Tuple(vec![
        spec(shape.clone(), x.dtype),
        spec(shape, x.dtype),
    ]))
}

/// `keras.ops.one_hot`: `num_classes` inserted at `axis`, which must be -1
/// or in `[0, ndim)` (eager JAX also takes `ndim` and negative axes).
pub fn one_hot(call: &OpCall) -> R<Value> {
    let args = bind(call, &["x", "num_classes", "axis", "dtype", "sparse"], 2)?;
    let x = require_spec(args[0], "x")?;
    let classes = int_arg(args[1])?.map(|c| c.max(0) as usize);
    let axis = int_arg(args[2])?.unwrap_or(-1);
    let dtype = dtype_arg(args[3])?.unwrap_or(DType::Float32);
    let mut shape = x.shape.clone();
    let n = shape.len() as i64;
    if axis == -1 {
        shape.push(classes);
    } else if (0..n).contains(&axis) {
        shape.insert(axis as usize, classes);
    } else {
        return Err(BackendError::value_error(format!(
            "axis must be -1 or between [0, {n}), but received {axis}."
        )));
    }
    Ok(spec(shape, dtype))
}
