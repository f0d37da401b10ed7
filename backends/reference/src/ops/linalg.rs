//! Kernels: linear algebra and `keras.ops.math`.

mod diag;
mod einsum;
mod products;

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[
    ("cross", products::cross),
    ("diag", diag::diag),
    ("dot", products::dot),
    ("einsum", einsum::einsum),
    ("inner", products::inner),
    ("kron", products::kron),
    ("outer", products::outer),
    ("tensordot", products::tensordot),
    ("trace", diag::trace),
    ("vdot", products::vdot),
];
