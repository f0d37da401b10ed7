//! Python indexing of a torch tensor, `x[idx]` and `x[idx] = v`, for index
//! tuples of slices and integer tensors, as PyTorch 2.11 does it
//! (`torch/csrc/autograd/python_variable_indexing.cpp` and
//! `ATen/TensorIndexing.h`): slices and 0-d integer tensors make a view
//! (`applySlicing`), any other tensor is an advanced index (`index` /
//! `index_put_`), and a plain view is written with `copy_to`.

use kconform_api::{BackendError, DType};
use tch::Device;

use crate::error::TorchResult;
use crate::keras::{dtype, R};

/// One entry of a Python index tuple.
pub enum Index {
    /// `slice(start, stop)` with step 1 (Python's clamping applies).
    Slice(i64, i64),
    /// A tensor: a 0-d integer one selects, any other is an advanced index.
    Tensor(tch::Tensor),
}

fn index_error(message: impl Into<String>) -> BackendError {
    BackendError::raised("IndexError", message)
}

/// `applySelect`: `x[index]` on axis `dim` (axis `real_dim` of the indexed
/// tensor, as the message names it), with PyTorch's range checks.
pub fn select(x: &tch::Tensor, dim: i64, index: i64, real_dim: usize) -> R<tch::Tensor> {
    let sizes = x.size();
    if index == 0 && dim == 0 && sizes.is_empty() {
        return Err(index_error(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` \
             in C++ to convert a 0-dim tensor to a number",
        ));
    }
    let size = usize::try_from(dim)
        .ok()
        .and_then(|d| sizes.get(d).copied())
        .ok_or_else(|| {
            index_error(format!(
                "too many indices for tensor of dimension {}",
                sizes.len()
            ))
        })?;
    if !(size > -1 - index && size > index) {
        return Err(index_error(format!(
            "index {index} is out of bounds for dimension {real_dim} with size {size}"
        )));
    }
    x.f_select(dim, index).py()
}

/// A 0-d tensor index that selects (integral, neither bool nor uint8); a 0-d
/// bool or uint8 tensor would be a mask, which no Keras path here produces.
fn selecting_index(t: &tch::Tensor) -> R<Option<i64>> {
    if t.dim() != 0 {
        return Ok(None);
    }
    match dtype(t)? {
        DType::Bool | DType::Uint8 => Err(BackendError::Unsupported(
            "a 0-d bool or uint8 tensor index (a mask)".into(),
        )),
        d if d.is_integer() => Ok(Some(t.f_int64_value(&[]).py()?)),
        _ => Ok(None),
    }
}

/// `applySlicing`: the view the slices and selecting indices leave, and the
/// advanced indices by axis of that view (`None` where an axis has none).
fn apply(x: &tch::Tensor, idx: &[Index]) -> R<(tch::Tensor, Vec<Option<tch::Tensor>>)> {
    if idx.len() > x.dim() {
        return Err(index_error(format!(
            "too many indices for tensor of dimension {}",
            x.dim()
        )));
    }
    let mut view = x.shallow_clone();
    let mut advanced: Vec<Option<tch::Tensor>> = Vec::new();
    let mut dim = 0i64;
    for (real_dim, i) in idx.iter().enumerate() {
        match i {
            Index::Slice(start, stop) => {
                view = view.f_slice(dim, *start, *stop, 1).py()?;
                dim += 1;
            }
            Index::Tensor(t) => match selecting_index(t)? {
                Some(at) => view = select(&view, dim, at, real_dim)?,
                None => {
                    advanced.resize_with(dim as usize, || None);
                    advanced.push(Some(t.shallow_clone()));
                    dim += 1;
                }
            },
        }
    }
    Ok((view, advanced))
}

/// `x[idx]`.
pub fn get(x: &tch::Tensor, idx: &[Index]) -> R<tch::Tensor> {
    let (view, advanced) = apply(x, idx)?;
    if advanced.is_empty() {
        Ok(view)
    } else {
        view.f_index(&advanced).py()
    }
}

/// `slicePrefix1sSize`: the sizes without their leading 1s.
fn without_leading_ones(sizes: &[i64]) -> Vec<i64> {
    let first = sizes.iter().position(|&d| d != 1).unwrap_or(sizes.len());
    sizes[first..].to_vec()
}

/// `copy_to(dst, src)`: a same-shape copy, a fill from a 0-d CPU tensor, or
/// `src` (leading 1s dropped) expanded to `dst`'s shape and copied (casting).
pub fn copy_to(dst: &tch::Tensor, src: &tch::Tensor) -> R<()> {
    let mut dst = dst.shallow_clone();
    if dst.size() == src.size() {
        return dst.f_copy_(src).py();
    }
    if src.dim() == 0 && src.device() == Device::Cpu {
        return dst.f_fill_tensor_(src).py().map(drop);
    }
    let trimmed = src
        .f_view(without_leading_ones(&src.size()).as_slice())
        .py()?;
    let expanded = trimmed.f_expand(dst.size(), false).py()?;
    dst.f_copy_(&expanded).py()
}

/// `x[idx] = value`, writing into `x`.
pub fn set(x: &tch::Tensor, idx: &[Index], value: &tch::Tensor) -> R<()> {
    let (mut view, advanced) = apply(x, idx)?;
    if advanced.is_empty() {
        return copy_to(&view, value);
    }
    let trimmed = value
        .f_view(without_leading_ones(&value.size()).as_slice())
        .py()?;
    view.f_index_put_(&advanced, &trimmed, false).py().map(drop)
}

/// `tuple(t)`: the tensors along `t`'s first axis, as index entries.
pub fn tuple_of(t: &tch::Tensor) -> R<Vec<Index>> {
    if t.dim() == 0 {
        return Err(BackendError::type_error("iteration over a 0-d tensor"));
    }
    Ok(t.f_unbind(0).py()?.into_iter().map(Index::Tensor).collect())
}

/// `torch.clone(x)`.
pub fn clone(x: &tch::Tensor) -> R<tch::Tensor> {
    x.f_detach_copy().py()
}
