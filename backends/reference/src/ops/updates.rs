//! Kernels: scatter and slice updates, `convert_to_numpy`.

mod scatter;
mod slice_update;
mod to_numpy;

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[
    ("convert_to_numpy", to_numpy::convert_to_numpy),
    ("scatter", scatter::scatter),
    ("scatter_update", scatter::scatter_update),
    ("slice_update", slice_update::slice_update),
];
