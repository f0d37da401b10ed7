//! Kernels: unary elementwise math (`sin`, `exp`, `floor`, …).

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[];
