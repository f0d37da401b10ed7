//! Repeating and rotating elements: `repeat`, `tile`, `roll`.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::torch_args::{torch_int, torch_int_or_ints, torch_ints};
use crate::args::{bind, py_int};
use crate::error::TorchResult;
use crate::keras::{convert, output, tensor, Ctx, R};

/// Python's `items[i]` for a list of length `len`: the position, or
/// `IndexError`.
fn list_index(len: usize, i: i64) -> R<usize> {
    let j = if i < 0 { i + len as i64 } else { i };
    usize::try_from(j)
        .ok()
        .filter(|&j| j < len)
        .ok_or_else(|| BackendError::raised("IndexError", "list index out of range"))
}

/// Keras-torch's export-friendly path for an int count along an axis:
/// `x.unsqueeze(axis + 1).expand(...)` then `reshape`, with the axis shifted
/// by `ndim` once when negative (so a 0-d `x` fails in `unsqueeze`, and a
/// negative count reaches `reshape` as a negative dimension).
fn repeat_along(x: tch::Tensor, repeats: &Value, axis: &Value) -> R<tch::Tensor> {
    let ndim = x.dim() as i64;
    let axis = match py_int(axis) {
        Some(i) => i,
        None => torch_int(axis, "unsqueeze(): argument 'dim' (position 1)")?,
    };
    let axis = if axis < 0 { ndim + axis } else { axis };
    let shape = x.size();
    let x = x.f_unsqueeze(axis + 1).py()?;
    let mut expand: Vec<Value> = vec![Value::Int(-1); shape.len() + 1];
    let at = list_index(expand.len(), axis + 1)?;
    expand[at] = repeats.clone();
    let expand = torch_ints(
        &Value::List(expand),
        "expand(): argument 'size' (position 1)",
    )?;
    let x = x.f_expand(expand.as_slice(), false).py()?;
    let count = py_int(repeats).unwrap_or_default();
    let mut new_shape = shape.clone();
    let at = list_index(shape.len(), axis)?;
    new_shape[at] = shape[at].saturating_mul(count);
    x.f_reshape(new_shape.as_slice()).py()
}

/// `repeat(x, repeats, axis=None)`: an int count with an axis goes through
/// [`repeat_along`]; a list or tuple of counts hits Keras-torch's bug (its
/// module-level `all`, not Python's, receives a generator: `ValueError:
/// Invalid dtype: object`); anything else is `convert_to_tensor(repeats,
/// "int32")` and `torch.repeat_interleave` (flattened when `axis` is `None`).
pub fn repeat(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "repeats", "axis"], 2)?;
    let x = tensor(ctx, a.req(0))?;
    let repeats = a.req(1);
    let axis = a.opt(2);
    if let (Some(_), Some(axis)) = (py_int(repeats), axis) {
        return output(&repeat_along(x, repeats, axis)?);
    }
    if matches!(repeats, Value::List(_) | Value::Tuple(_)) {
        return Err(BackendError::value_error("Invalid dtype: object"));
    }
    let counts = convert(ctx, repeats, Some(DType::Int32))?;
    let dim = axis
        .map(|v| torch_int(v, "repeat_interleave(): argument 'dim'"))
        .transpose()?;
    output(&x.f_repeat_interleave_self_tensor(&counts, dim, None).py()?)
}

/// `tile(x, repeats)`: an int made a 1-tuple, then `torch.tile(x, dims)`,
/// which takes only a tuple of ints (an array of counts is a `TypeError`).
pub fn tile(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "repeats"], 2)?;
    let repeats = match a.req(1) {
        v @ (Value::Int(_) | Value::Bool(_)) => Value::Tuple(vec![v.clone()]),
        other => other.clone(),
    };
    let x = tensor(ctx, a.req(0))?;
    let dims = torch_ints(&repeats, "tile(): argument 'dims'")?;
    output(&x.f_tile(dims.as_slice()).py()?)
}

/// `roll(x, shift, axis=None)`: `torch.roll(x, shift, dims=axis)`; one shift
/// with no axis rolls the flattened tensor, otherwise shifts and axes must
/// pair up (torch's `RuntimeError`, no broadcasting of one shift).
pub fn roll(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "shift", "axis"], 2)?;
    let x = tensor(ctx, a.req(0))?;
    let shifts = torch_int_or_ints(a.req(1), "roll(): argument 'shifts' (position 2)")?;
    let dims = match a.opt(2) {
        None => vec![],
        Some(v) => torch_int_or_ints(v, "roll(): argument 'dims'")?,
    };
    output(&x.f_roll(shifts.as_slice(), dims.as_slice()).py()?)
}
