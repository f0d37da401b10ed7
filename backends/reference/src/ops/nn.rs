//! Kernels: neural-network ops: losses, convolutions, normalization.

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[];
