//! Kernels: neural-network ops: losses, convolutions, normalization.

mod conv;
mod conv_args;
mod conv_core;
mod jnp;
mod losses;

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[
    ("binary_crossentropy", losses::binary_crossentropy),
    ("categorical_crossentropy", losses::categorical_crossentropy),
    ("conv", conv::conv),
    ("conv_transpose", conv::conv_transpose),
    ("depthwise_conv", conv::depthwise_conv),
    ("separable_conv", conv::separable_conv),
    (
        "sparse_categorical_crossentropy",
        losses::sparse_categorical_crossentropy,
    ),
];
