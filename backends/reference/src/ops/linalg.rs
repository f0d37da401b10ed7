//! Kernels: linear algebra and `keras.ops.math`.

mod decomp;
mod diag;
mod einsum;
mod lapack;
mod norm;
mod products;
mod ranking;
mod reductions;
mod segment;
mod solve;

use kconform_api::Value;

use crate::args::py_repr;
use crate::dispatch::Kernel;
use crate::error::{OpError, OpResult};

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[
    ("cholesky", decomp::cholesky),
    ("cross", products::cross),
    ("det", decomp::det),
    ("diag", diag::diag),
    ("dot", products::dot),
    ("einsum", einsum::einsum),
    ("in_top_k", ranking::in_top_k),
    ("inner", products::inner),
    ("inv", solve::inv),
    ("kron", products::kron),
    ("logdet", decomp::logdet),
    ("logsumexp", reductions::logsumexp),
    ("median", reductions::median),
    ("norm", norm::norm),
    ("outer", products::outer),
    ("percentile", reductions::percentile),
    ("quantile", reductions::quantile),
    ("segment_max", segment::segment_max),
    ("segment_sum", segment::segment_sum),
    ("slogdet", decomp::slogdet),
    ("solve", solve::solve),
    ("solve_triangular", solve::solve_triangular),
    ("tensordot", products::tensordot),
    ("top_k", ranking::top_k),
    ("trace", diag::trace),
    ("vdot", products::vdot),
];

/// The error of a list `axis` reaching a `jnp` function that takes `axis`
/// as a hashed static argument (a tuple works).
fn refuse_list_axis(axis: Option<&Value>) -> OpResult<()> {
    match axis {
        Some(list @ Value::List(_)) => Err(OpError::Value(format!(
            "Non-hashable static arguments are not supported. An error occurred while trying to \
             hash an object of type <class 'list'>, {}. The error was:\nTypeError: unhashable \
             type: 'list'\n",
            py_repr(list)
        ))),
        _ => Ok(()),
    }
}
