//! Gathers: take, take_along_axis.

use kconform_api::{BackendError, DType, OpCall, Value};

use crate::args::{bind, canonicalize_axis, one_axis};
use crate::error::TorchResult;
use crate::keras::{convert, output, tensor, Ctx, R};

/// `x.shape[axis]` (Python indexing of `torch.Size`), with `x.shape[0]` when
/// `axis` is `None`, as Keras-torch reads it for the negative-index fix-up.
fn dim_for_fixup(x: &tch::Tensor, axis: Option<i64>) -> R<i64> {
    let shape = x.size();
    let i = axis.unwrap_or(0);
    let j = if i < 0 { i + shape.len() as i64 } else { i };
    usize::try_from(j)
        .ok()
        .and_then(|j| shape.get(j).copied())
        .ok_or_else(|| BackendError::raised("IndexError", "tuple index out of range"))
}

/// Keras-torch's index preparation: `indices.long()`, then negative indices
/// shifted by `x.shape[axis]` (by `x.shape[0]` when `axis` is `None`, even
/// though the gather then runs on the flattened `x`).
fn prepared_indices(
    ctx: Ctx,
    x: &tch::Tensor,
    indices: &Value,
    axis: Option<i64>,
) -> R<tch::Tensor> {
    let idx = tensor(ctx, indices)?.f_to_kind(tch::Kind::Int64).py()?;
    let x_dim = dim_for_fixup(x, axis)?;
    let zero = convert(ctx, &Value::Int(0), Some(DType::Int64))?;
    let x_dim = convert(ctx, &Value::Int(x_dim), Some(DType::Int64))?;
    let negative = idx.f_lt_tensor(&zero).py()?;
    let shifted = idx.f_add(&x_dim).py()?;
    shifted.f_where_self(&negative, &idx).py()
}

/// `take(x, indices, axis=None)`: `embedding` for 2-D `x` on axis 0, else
/// `index_select` on the (flattened, for `None`) axis, reshaped to
/// `x.shape[:axis] + indices.shape + x.shape[axis+1:]`.
pub fn take(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "indices", "axis"], 2)?;
    let axis = one_axis(a.get(2), "axis")?;
    let x = tensor(ctx, a.req(0))?;
    let indices = prepared_indices(ctx, &x, a.req(1), axis)?;
    if x.dim() == 2 && axis == Some(0) {
        return output(&tch::Tensor::f_embedding(&x, &indices, -1, false, false).py()?);
    }
    let (x, axis) = match axis {
        None => (x.f_reshape([-1i64]).py()?, 0),
        Some(ax) => (x, ax),
    };
    let axis = canonicalize_axis(axis, x.dim())?;
    let (xs, is) = (x.size(), indices.size());
    let split = axis as usize;
    let shape: Vec<i64> = xs[..split]
        .iter()
        .chain(&is)
        .chain(&xs[split + 1..])
        .copied()
        .collect();
    let flat = indices.f_reshape([-1i64]).py()?;
    let out = x
        .f_index_select(axis, &flat)
        .py()?
        .f_squeeze_dim(axis)
        .py()?;
    output(&out.f_reshape(shape.as_slice()).py()?)
}

/// `take_along_axis(x, indices, axis=None)`: `torch.take_along_dim`.
pub fn take_along_axis(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "indices", "axis"], 2)?;
    let axis = one_axis(a.get(2), "axis")?;
    let x = tensor(ctx, a.req(0))?;
    let indices = prepared_indices(ctx, &x, a.req(1), axis)?;
    output(&x.f_take_along_dim(&indices, axis).py()?)
}
