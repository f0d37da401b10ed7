//! Inference rules: linear algebra and `keras.ops.math`.

mod decomp;
mod diag;
mod einsum;
mod products;
mod ranking;
mod reductions;

use super::util::{tensor_spec, Dims};
use super::Rule;
use crate::error::BackendError;
use crate::value::Value;

/// A symbolic shape.
type Shape = Dims;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
    ("cholesky", decomp::cholesky),
    ("cross", products::cross),
    ("det", decomp::det),
    ("diag", diag::diag),
    ("dot", products::dot),
    ("einsum", einsum::einsum),
    ("in_top_k", ranking::in_top_k),
    ("inner", products::inner),
    ("inv", decomp::inv),
    ("kron", products::kron),
    ("logdet", decomp::logdet),
    ("logsumexp", reductions::logsumexp),
    ("median", reductions::median),
    ("norm", reductions::norm),
    ("outer", products::outer),
    ("percentile", reductions::percentile),
    ("quantile", reductions::quantile),
    ("segment_max", ranking::segment_max),
    ("segment_sum", ranking::segment_sum),
    ("slogdet", decomp::slogdet),
    ("solve", decomp::solve),
    ("solve_triangular", decomp::solve_triangular),
    ("tensordot", products::tensordot),
    ("top_k", ranking::top_k),
    ("trace", diag::trace),
    ("vdot", products::vdot),
];

/// `getattr(x, "shape", None)`: a tensor's shape, `None` for Python scalars.
fn shape_of(v: &Value) -> Option<Shape> {
    tensor_spec(v).map(|s| s.shape)
}

/// Python's index `i` into a list of `len` items, or `IndexError: {message}`.
fn py_index(len: usize, i: i64, message: &str) -> Result<usize, BackendError> {
    let n = len as i64;
    let j = if i < 0 { i + n } else { i };
    if (0..n).contains(&j) {
        Ok(j as usize)
    } else {
        Err(BackendError::raised("IndexError", message))
    }
}

/// `shape[i]` with Python's negative indexing.
fn py_get(shape: &[Option<usize>], i: i64) -> Result<Option<usize>, BackendError> {
    Ok(shape[py_index(shape.len(), i, "list index out of range")?])
}

/// `del shape[i]` with Python's negative indexing.
fn py_del(shape: &mut Shape, i: i64) -> Result<(), BackendError> {
    let j = py_index(shape.len(), i, "list assignment index out of range")?;
    shape.remove(j);
    Ok(())
}
