//! Kernels: shape manipulation and tensor creation (`transpose`, `stack`,
//! `tile`, `pad`, `sort`, `zeros`, `eye`, `linspace`, …), one submodule per
//! kind of op, and the data-movement helpers they share.

mod fill;
mod join;
mod pad;
mod permute;
mod repeat;
mod sort;
mod space;
mod split;
mod triangle;

use kconform_api::Value;
use ndarray::{Axis, IxDyn};

use crate::args::{index, py_type_name};
use crate::array::{with_array, Array};
use crate::dispatch::Kernel;
use crate::elem::Elem;
use crate::error::{check_size, int_tuple_repr, shape_repr, OpError, OpResult, MAX_ELEMENTS};

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[
    ("argsort", sort::argsort),
    ("array_split", split::array_split),
    ("broadcast_to", permute::broadcast_to),
    ("expand_dims", permute::expand_dims),
    ("eye", triangle::eye),
    ("fliplr", permute::fliplr),
    ("flipud", permute::flipud),
    ("full", fill::full),
    ("full_like", fill::full_like),
    ("hstack", join::hstack),
    ("identity", triangle::identity),
    ("linspace", space::linspace),
    ("logspace", space::logspace),
    ("moveaxis", permute::moveaxis),
    ("ones", fill::ones),
    ("ones_like", fill::ones_like),
    ("pad", pad::pad),
    ("ravel", permute::ravel),
    ("repeat", repeat::repeat),
    ("roll", repeat::roll),
    ("rot90", permute::rot90),
    ("sort", sort::sort),
    ("split", split::split),
    ("stack", join::stack),
    ("swapaxes", permute::swapaxes),
    ("tile", repeat::tile),
    ("transpose", permute::transpose),
    ("tri", triangle::tri),
    ("tril", triangle::tril),
    ("triu", triangle::triu),
    ("unstack", split::unstack),
    ("vstack", join::vstack),
    ("zeros", fill::zeros),
    ("zeros_like", fill::zeros_like),
];

/// `x` with its axes permuted (`lax.transpose`), or JAX's `TypeError` when
/// `perm` is not a permutation of the axes.
fn transposed(x: Array, perm: &[usize]) -> OpResult<Array> {
    let mut seen = vec![false; x.ndim()];
    let valid = perm.len() == x.ndim()
        && perm
            .iter()
            .all(|&p| p < seen.len() && !std::mem::replace(&mut seen[p], true));
    if !valid {
        return Err(OpError::Type(format!(
            "transpose permutation isn't a permutation of operand dimensions, got permutation {} \
             for operand shape {}.",
            int_tuple_repr(perm.iter().map(|&p| p as i64)),
            shape_repr(x.shape())
        )));
    }
    Ok(with_array!(x, a => {
        Elem::wrap(a.permuted_axes(IxDyn(perm)).as_standard_layout().into_owned())
    }))
}

/// `x` reversed along each of `axes` (valid, distinct axes).
fn reversed(x: Array, axes: &[usize]) -> Array {
    with_array!(x, a => {
        let mut a = a;
        for &d in axes {
            a.invert_axis(Axis(d));
        }
        Elem::wrap(a.as_standard_layout().into_owned())
    })
}

/// The slices of `x` at positions `picks` along `axis`, in that order
/// (`take` with in-range indices).
fn gathered(x: &Array, axis: usize, picks: &[usize]) -> Array {
    with_array!(x, a => Elem::wrap(a.select(Axis(axis), picks)))
}

/// `_ensure_index_tuple`: one int, or a sequence of ints.
fn index_tuple(v: &Value) -> OpResult<Vec<i64>> {
    match v {
        Value::List(items) | Value::Tuple(items) => items.iter().map(index).collect(),
        Value::Int(_) | Value::Bool(_) => Ok(vec![index(v)?]),
        Value::Tensor(t) if t.rank() == 0 => Ok(vec![index(v)?]),
        other => Err(OpError::Type(format!(
            "'{}' object is not iterable",
            py_type_name(other)
        ))),
    }
}

/// [`check_size`], and every dimension small enough to index along: a
/// result with no elements may still have one huge dimension.
fn check_dims(shape: &[usize]) -> OpResult<()> {
    check_size(shape)?;
    match shape.iter().find(|&&d| d > MAX_ELEMENTS) {
        Some(_) => check_size(&shape.iter().map(|&d| d.max(1)).collect::<Vec<_>>()),
        None => Ok(()),
    }
}

/// `shape[axis]` as Python indexes a shape tuple: the canonical axis, or
/// `IndexError: tuple index out of range`.
fn tuple_axis(shape: &[usize], axis: i64) -> OpResult<usize> {
    crate::axes::canonical_axis(axis, shape.len())
        .map_err(|_| OpError::Index("tuple index out of range".into()))
}
