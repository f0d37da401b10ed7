//! Kernels: shape manipulation and tensor creation.

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[];
