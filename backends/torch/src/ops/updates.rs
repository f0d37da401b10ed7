//! The `updates` group of ops (as in the reference backend's `ops::updates`), on
//! libtorch with Keras 3.15.1's torch-backend semantics: scatters, slice
//! updates (`keras/src/backend/torch/core.py`) and `convert_to_numpy`.

mod indexing;
mod scatter;
mod slice_update;
mod to_numpy;

use super::Kernel;

/// This group's ops, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[
    ("convert_to_numpy", to_numpy::convert_to_numpy),
    ("scatter", scatter::scatter),
    ("scatter_update", scatter::scatter_update),
    ("slice_update", slice_update::slice_update),
];
