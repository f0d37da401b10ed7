//! Kernels: binary elementwise math, comparisons, logical ops and cumulative reductions.

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[];
