//! Splitting tensors: `split`, `array_split`, `unstack`.

use kconform_api::{BackendError, OpCall, Value};

use super::outputs;
use super::torch_args::{torch_int, torch_type_name};
use crate::args::{bind, py_int, py_repr, py_type_name};
use crate::error::TorchResult;
use crate::keras::{tensor, Ctx, R};
use crate::shim::{wrapped_number, PyScalar};

/// `x.shape[axis]`: Python indexing of the shape tuple.
fn dim_at(x: &tch::Tensor, axis: &Value) -> R<i64> {
    let shape = x.size();
    let i = py_int(axis).ok_or_else(|| {
        BackendError::type_error(format!(
            "tuple indices must be integers or slices, not {}",
            py_type_name(axis)
        ))
    })?;
    let j = if i < 0 { i + shape.len() as i64 } else { i };
    usize::try_from(j)
        .ok()
        .and_then(|j| shape.get(j).copied())
        .ok_or_else(|| BackendError::raised("IndexError", "tuple index out of range"))
}

/// Keras-torch's chunk sizes for split points: `concat([idx[0:1],
/// diff(idx), dim - idx[-1:]])`, read back with `tolist()`.
fn chunk_sizes(ctx: Ctx, indices: &Value, dim: i64) -> R<Vec<i64>> {
    let idx = tensor(ctx, indices)?;
    let first = idx.f_slice(0, 0, 1, 1).py()?;
    let last = idx.f_slice(0, -1, None, 1).py()?;
    let rest = wrapped_number(PyScalar::Int(dim))?.f_sub(&last).py()?;
    let steps = idx
        .f_diff(1, -1, None::<tch::Tensor>, None::<tch::Tensor>)
        .py()?;
    let sizes = tch::Tensor::f_cat(&[first, steps, rest], 0).py()?;
    let values = crate::convert::from_tch(&sizes)?;
    if values.dtype().is_integer() || values.is_empty() {
        return Ok(values.to_f64_vec().into_iter().map(|f| f as i64).collect());
    }
    Err(BackendError::type_error(format!(
        "split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, but \
         found element of type {} at pos 0",
        if values.dtype().is_float() {
            "float"
        } else {
            "bool"
        }
    )))
}

/// `split(x, indices_or_sections, axis=0)`: an int is a section count
/// (Python `%` and `//` on `x.shape[axis]`, Keras's `ValueError` when it does
/// not divide; an empty axis gives that many clones of the one empty chunk),
/// anything else split points turned into chunk sizes, which torch requires
/// non-negative and summing to the axis (no NumPy-style clipping).
pub fn split(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "indices_or_sections", "axis"], 2)?;
    let x = tensor(ctx, a.req(0))?;
    let axis_value = a.get(2).unwrap_or(&Value::Int(0));
    let dim = dim_at(&x, axis_value)?;
    let axis = torch_int(axis_value, "split(): argument 'dim'")?;
    let ios = a.req(1);
    let Some(sections) = py_int(ios) else {
        let sizes = chunk_sizes(ctx, ios, dim)?;
        return outputs(&x.f_split_with_sizes(sizes.as_slice(), axis).py()?);
    };
    if sections == 0 {
        return Err(BackendError::raised(
            "ZeroDivisionError",
            "integer modulo by zero",
        ));
    }
    if dim.rem_euclid(sections.abs()) != 0 {
        return Err(BackendError::value_error(format!(
            "Received indices_or_sections={} (interpreted as a number of sections) and \
             axis={}, but input dimension x.shape[{}]={dim} is not divisible by {}. Full \
             input shape: x.shape=torch.Size({})",
            py_repr(ios),
            py_repr(axis_value),
            py_repr(axis_value),
            py_repr(ios),
            py_repr(&Value::List(x.size().into_iter().map(Value::Int).collect()))
        )));
    }
    let parts = x.f_split(dim.div_euclid(sections), axis).py()?;
    if dim == 0 {
        let first = parts
            .first()
            .ok_or_else(|| BackendError::raised("IndexError", "list index out of range"))?;
        let copies = (0..sections.max(0))
            .map(|_| first.f_detach_copy().py())
            .collect::<R<Vec<_>>>()?;
        return outputs(&copies);
    }
    outputs(&parts)
}

/// `array_split(x, indices_or_sections, axis=0)`: Keras checks for a
/// positive int count and an int axis (bools pass), then
/// `torch.tensor_split`, which refuses a bool count.
pub fn array_split(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "indices_or_sections", "axis"], 2)?;
    let ios = a.req(1);
    let Some(sections) = py_int(ios) else {
        return Err(BackendError::type_error(format!(
            "Argument `indices_or_sections` must be of type `int`. Received: \
             indices_or_sections={}",
            py_repr(ios)
        )));
    };
    if sections <= 0 {
        return Err(BackendError::value_error(format!(
            "Argument `indices_or_sections` must be a positive integer. Received: \
             indices_or_sections={sections}"
        )));
    }
    let axis = a.get(2).unwrap_or(&Value::Int(0));
    if py_int(axis).is_none() {
        return Err(BackendError::type_error(format!(
            "Argument `axis` must be of type `int`. Received: {}",
            py_repr(axis)
        )));
    }
    let x = tensor(ctx, a.req(0))?;
    if matches!(ios, Value::Bool(_)) || matches!(axis, Value::Bool(_)) {
        return Err(BackendError::type_error(format!(
            "tensor_split() received an invalid combination of arguments - got (Tensor, {}, \
             dim={}), but expected one of:\n \
             * (Tensor input, tuple of ints indices, int dim = 0)\n \
             * (Tensor input, Tensor tensor_indices_or_sections, int dim = 0)\n \
             * (Tensor input, int sections, int dim = 0)",
            torch_type_name(ios),
            torch_type_name(axis)
        )));
    }
    let axis = torch_int(axis, "tensor_split(): argument 'dim'")?;
    outputs(&x.f_tensor_split(sections, axis).py()?)
}

/// `unstack(x, num=None, axis=0)`: Keras-torch calls `x.unbind(axis)` on `x`
/// as given, without converting it, so a NumPy array (or any non-torch
/// input) raises `AttributeError`.
pub fn unstack(_ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "num", "axis"], 1)?;
    Err(BackendError::raised(
        "AttributeError",
        format!(
            "'{}' object has no attribute 'unbind'",
            torch_type_name(a.req(0))
        ),
    ))
}
