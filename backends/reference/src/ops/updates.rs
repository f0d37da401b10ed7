//! Kernels: scatter and slice updates, `convert_to_numpy`.

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[];
