//! Rules of `argmax`/`argmin`, `count_nonzero` and `cumsum`/`cumprod`.

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{
    axes_arg, bind, canonicalize_axis, dtype_arg, reduce_shape, reduction, require_spec, spec,
};
use crate::value::Value;

/// `argmax/argmin(x, axis=None, keepdims=False)`: `reduce_shape`, `int32`.
pub fn arg_reduce(call: &OpCall) -> Result<Value, BackendError> {
    reduction(call, &[], |_, _| Ok(DType::Int32))
}

/// `count_nonzero(x, axis=None)`: `reduce_shape`, `int32`.
pub fn count_nonzero(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "axis"], 1)?;
    let x = require_spec(args[0], "x")?;
    let axis = axes_arg(args[1])?;
    Ok(spec(
        reduce_shape(&x.shape, axis.as_deref(), false)?,
        DType::Int32,
    ))
}

/// `cumsum/cumprod(x, axis=None, dtype=None)`: flattened without an axis;
/// the dtype argument (else `x.dtype`), with `bool` read as `int32` (also
/// for an explicit `dtype="bool"`, which the eager result keeps).
pub fn cumulative(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "axis", "dtype"], 1)?;
    let x = require_spec(args[0], "x")?;
    let dtype = dtype_arg(args[2])?.unwrap_or(x.dtype);
    let shape = match args[1].filter(|v| !matches!(v, Value::None)) {
        None if x.shape.contains(&None) => vec![None],
        None => vec![Some(x.shape.iter().map(|d| d.unwrap_or(1)).product())],
        Some(axis) => {
            let axis = axes_arg(Some(axis))?.unwrap_or_default();
            for a in axis {
                canonicalize_axis(a, x.shape.len())?;
            }
            x.shape
        }
    };
    let dtype = if dtype == DType::Bool {
        DType::Int32
    } else {
        dtype
    };
    Ok(spec(shape, dtype))
}
