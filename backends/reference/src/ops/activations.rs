//! Kernels: activation functions (`keras.ops.relu`, `softmax`, …).

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[];
