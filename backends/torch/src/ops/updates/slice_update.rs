//! `slice_update`, as Keras 3.15.1's torch backend runs it
//! (`keras/src/backend/torch/core.py`).

use kconform_api::{DType, OpCall, Value};
use tch::Kind;

use crate::args::{bind, py_int};
use crate::error::TorchResult;
use crate::keras::{convert, output, tensor, Ctx, R};
use crate::raw::{self, Number};

use super::indexing::{clone, select, set, Index};

/// `slice_update(inputs, start_indices, updates)`. Both tensors are
/// converted (no dtype check: the write casts). With a list or tuple of
/// Python ints (bools included) Keras writes
/// `outputs[tuple(slice(s, s + n) for s, n in zip(start_indices,
/// updates.shape))] = updates`: Python slices, so a negative start counts
/// from the end and a block past the end is cut short, and the write then
/// fails unless `updates` broadcasts to what is left. Any other
/// `start_indices` (a tensor, a list holding floats) is converted to int64
/// and drives one `index_put_` over the meshgrid of
/// `arange(n) + start_indices[dim]`, which raises on indices past the end.
pub fn slice_update(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["inputs", "start_indices", "updates"], 3)?;
    let inputs = tensor(ctx, a.req(0))?;
    let updates = tensor(ctx, a.req(2))?;
    let outputs = clone(&inputs)?;
    if let Value::List(items) | Value::Tuple(items) = a.req(1) {
        if let Some(starts) = items.iter().map(py_int).collect::<Option<Vec<i64>>>() {
            let slices: Vec<Index> = starts
                .iter()
                .zip(updates.size())
                .map(|(&s, n)| Index::Slice(s, s.saturating_add(n)))
                .collect();
            set(&outputs, &slices, &updates)?;
            return output(&outputs);
        }
    }
    let starts = convert(ctx, a.req(1), Some(DType::Int64))?;
    let mut grid_axes = Vec::new();
    for (dim, n) in updates.size().into_iter().enumerate() {
        let range = raw::arange(
            Number::Int(0),
            Number::Int(n),
            Number::Int(1),
            Kind::Int64,
            starts.device(),
        )
        .py()?;
        grid_axes.push(range.f_add(&select(&starts, 0, dim as i64, 0)?).py()?);
    }
    let grids = tch::Tensor::f_meshgrid_indexing(&grid_axes, "ij").py()?;
    let flat = grids
        .iter()
        .map(|g| g.f_flatten(0, -1).py().map(Some))
        .collect::<R<Vec<_>>>()?;
    let mut out = outputs.shallow_clone();
    let out = out
        .f_index_put_(&flat, &updates.f_flatten(0, -1).py()?, false)
        .py()?;
    output(&out)
}
