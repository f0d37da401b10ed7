//! The `unary` group of ops (as in the reference backend's `ops::unary`), on
//! libtorch with Keras 3.15.1's torch-backend semantics.

use super::Kernel;

/// This group's ops, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[];
