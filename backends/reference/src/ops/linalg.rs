//! Kernels: linear algebra and `keras.ops.math`.

mod decomp;
mod diag;
mod einsum;
mod lapack;
mod norm;
mod products;
mod reductions;

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[
    ("cholesky", decomp::cholesky),
    ("cross", products::cross),
    ("det", decomp::det),
    ("diag", diag::diag),
    ("dot", products::dot),
    ("einsum", einsum::einsum),
    ("inner", products::inner),
    ("inv", decomp::inv),
    ("kron", products::kron),
    ("logdet", decomp::logdet),
    ("logsumexp", reductions::logsumexp),
    ("median", reductions::median),
    ("norm", norm::norm),
    ("outer", products::outer),
    ("percentile", reductions::percentile),
    ("quantile", reductions::quantile),
    ("slogdet", decomp::slogdet),
    ("solve", decomp::solve),
    ("solve_triangular", decomp::solve_triangular),
    ("tensordot", products::tensordot),
    ("trace", diag::trace),
    ("vdot", products::vdot),
];
