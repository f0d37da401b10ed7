//! `moments`, as Keras 3.15.1's torch backend runs it.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::util::{py_float, truthy};
use crate::args::{bind, py_int};
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, tensor, Ctx, R};

/// The `axes` argument as `torch.mean(x, dim=axes)` reads it.
fn dims(v: &Value) -> R<Vec<i64>> {
    match v {
        Value::None => Err(BackendError::raised(
            "RuntimeError",
            "Please look up dimensions by name, got: name = None.",
        )),
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(|d| {
                py_int(d).ok_or_else(|| {
                    BackendError::Unsupported(format!("an axis given as a {}", d.kind()))
                })
            })
            .collect(),
        other => py_int(other).map(|d| vec![d]).ok_or_else(|| {
            BackendError::Unsupported(format!("`axes` given as a {}", other.kind()))
        }),
    }
}

/// `moments(x, axes, keepdims=False, synchronized=False)`: `mean` and
/// `mean(square(x)) - square(mean)` over `axes` (`torch.mean`, so integer
/// and bool inputs raise). float16 is computed in float32, clipped to the
/// float16 range and cast back; bfloat16 is computed as is.
pub fn moments(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axes", "keepdims", "synchronized"], 2)?;
    if truthy(a.get(3))? {
        return Err(BackendError::raised(
            "NotImplementedError",
            "Argument synchronized=True is not supported with PyTorch.",
        ));
    }
    let x = tensor(ctx, a.req(0))?;
    let ori = dtype(&x)?;
    let x = if ori == DType::Float16 {
        cast(x, DType::Float32)?
    } else {
        x
    };
    let dims = dims(a.req(1))?;
    let mean = x.f_mean_dim(dims.as_slice(), true, None).py()?;
    let mean_of_square = x
        .f_square()
        .py()?
        .f_mean_dim(dims.as_slice(), true, None)
        .py()?;
    let mut variance = mean_of_square.f_sub(&mean.f_square().py()?).py()?;
    let mut mean = mean;
    if !truthy(a.get(2))? {
        mean = mean.f_squeeze_dims(dims.as_slice()).py()?;
        variance = variance.f_squeeze_dims(dims.as_slice()).py()?;
    }
    if ori == DType::Float16 {
        let (lo, hi) = (py_float(-65504.0)?, py_float(65504.0)?);
        let clip = |t: tch::Tensor| t.f_clamp_tensor(Some(&lo), Some(&hi)).py();
        mean = cast(clip(mean)?, ori)?;
        variance = cast(clip(variance)?, ori)?;
    }
    Ok(Value::Tuple(vec![output(&mean)?, output(&variance)?]))
}
