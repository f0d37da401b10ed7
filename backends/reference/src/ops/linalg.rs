//! Kernels: linear algebra and `keras.ops.math`.

mod products;

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[
    ("cross", products::cross),
    ("dot", products::dot),
    ("inner", products::inner),
    ("kron", products::kron),
    ("outer", products::outer),
    ("tensordot", products::tensordot),
    ("vdot", products::vdot),
];
