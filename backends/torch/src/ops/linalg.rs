//! The `linalg` group of ops (as in the reference backend's `ops::linalg`), on
//! libtorch with Keras 3.15.1's torch-backend semantics: `keras.ops.linalg`
//! (`keras/src/backend/torch/linalg.py`), the linear-algebra part of
//! `keras.ops.numpy` and `keras.ops.math`'s reductions, rankings and segments.

mod decomp;
mod diag;
mod einsum;
mod norm;
mod products;
mod quantile;
mod ranking;
mod segment;

use kconform_api::{BackendError, Value};

use super::Kernel;
use crate::args::{py_int, py_type_name};
use crate::keras::R;

/// This group's ops, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[
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
    ("logsumexp", ranking::logsumexp),
    ("median", quantile::median),
    ("norm", norm::norm),
    ("outer", products::outer),
    ("percentile", quantile::percentile),
    ("quantile", quantile::quantile),
    ("segment_max", segment::segment_max),
    ("segment_sum", segment::segment_sum),
    ("slogdet", decomp::slogdet),
    ("solve", decomp::solve),
    ("solve_triangular", decomp::solve_triangular),
    ("tensordot", products::tensordot),
    ("top_k", ranking::top_k),
    ("trace", diag::trace),
    ("vdot", products::vdot),
];

/// An `int` argument PyTorch's argument parser reads (a `bool` is refused there
/// too, but Keras code may have used it as an int first; both are accepted).
fn int_arg(v: &Value, what: &str) -> R<i64> {
    py_int(v).ok_or_else(|| {
        BackendError::Unsupported(format!("`{what}` as a {} (only an int)", v.kind()))
    })
}

/// A `bool` parameter of a torch function, as PyTorch's argument parser reads
/// it: only a Python `bool` (an `int` or `None` raises TypeError); absent, the
/// default. `overloaded` functions report an invalid combination instead.
fn torch_bool(
    v: Option<&Value>,
    default: bool,
    function: &str,
    param: &str,
    overloaded: bool,
) -> R<bool> {
    match v {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) if overloaded => Err(BackendError::type_error(format!(
            "{function}() received an invalid combination of arguments - got (Tensor, \
             {param}={}, ...)",
            py_type_name(other)
        ))),
        Some(other) => Err(BackendError::type_error(format!(
            "{function}(): argument '{param}' must be bool, not {}",
            py_type_name(other)
        ))),
    }
}
