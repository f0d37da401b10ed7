//! The few `keras.src.backend.torch` numpy/math/linalg functions that Keras's
//! `normalize` calls, as the torch backend of Keras 3.15.1 writes them.

use kconform_api::promote::Operand;
use kconform_api::{BackendError, DType, Value};

use crate::args::py_int;
use crate::error::TorchResult;
use crate::keras::{cast, convert, dtype, result_type, Ctx, R};
use crate::raw::{self, Number};

/// `square(x)`: bool is squared as int32.
pub fn square(x: &tch::Tensor) -> R<tch::Tensor> {
    if dtype(x)? == DType::Bool {
        return cast(x.shallow_clone(), DType::Int32)?.f_square().py();
    }
    x.f_square().py()
}

/// An `axis` argument as torch reads `dim=`: `None`, or a list of ints.
pub fn axis_dims(v: Option<&Value>) -> R<Option<Vec<i64>>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::List(items)) | Some(Value::Tuple(items)) => items
            .iter()
            .map(|d| {
                py_int(d).ok_or_else(|| {
                    BackendError::Unsupported(format!("an axis given as a {}", d.kind()))
                })
            })
            .collect::<R<Vec<_>>>()
            .map(Some),
        Some(other) => py_int(other).map(|d| Some(vec![d])).ok_or_else(|| {
            BackendError::Unsupported(format!("`axis` given as a {}", other.kind()))
        }),
    }
}

/// `sum(x, axis, keepdims)`: an empty axis list returns `x`; bool and 8/16-bit
/// integers are summed by torch and cast to int32 (other dtypes are kept).
pub fn sum(x: &tch::Tensor, axis: Option<&[i64]>, keepdims: bool) -> R<tch::Tensor> {
    if axis.is_some_and(<[i64]>::is_empty) {
        return Ok(x.shallow_clone());
    }
    let d = match dtype(x)? {
        DType::Bool | DType::Uint8 | DType::Int8 | DType::Int16 => DType::Int32,
        d => d,
    };
    let summed = match axis {
        Some(dims) => x.f_sum_dim_intlist(dims, keepdims, None).py()?,
        None => x.f_sum(None).py()?,
    };
    cast(summed, d)
}

/// `minimum(x1, x2)` or `maximum(x1, x2)` of a tensor and a Python number:
/// both converted to `result_type(x1.dtype, type(x2))`, then `torch.minimum`
/// / `torch.maximum`.
pub fn extremum_with_number(ctx: Ctx, x1: &tch::Tensor, x2: &Value, max: bool) -> R<tch::Tensor> {
    let weak = match x2 {
        Value::Int(_) => Operand::WeakInt,
        Value::Float(_) => Operand::WeakFloat,
        Value::Bool(_) => Operand::Strong(DType::Bool),
        other => Operand::Strong(convert(ctx, other, None).and_then(|t| dtype(&t))?),
    };
    let d = result_type(&[Operand::Strong(dtype(x1)?), weak])?;
    let x1 = cast(x1.shallow_clone(), d)?;
    let x2 = convert(ctx, x2, Some(d))?;
    if max {
        x1.f_maximum(&x2).py()
    } else {
        x1.f_minimum(&x2).py()
    }
}

/// `linalg.norm(x, ord, axis, keepdims)`: int64 is cast to floatx, anything
/// else to `result_type(x.dtype, float)`; then `torch.linalg.norm`.
pub fn norm(x: &tch::Tensor, ord: Number, axis: Option<&[i64]>, keepdims: bool) -> R<tch::Tensor> {
    let d = match dtype(x)? {
        DType::Int64 => DType::Float32,
        d => result_type(&[Operand::Strong(d), Operand::WeakFloat])?,
    };
    let x = cast(x.shallow_clone(), d)?;
    raw::linalg_norm(&x, ord, axis, keepdims).py()
}
