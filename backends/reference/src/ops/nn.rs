//! Kernels: neural-network ops: losses, convolutions, normalization.

mod conv;
mod conv_args;
mod conv_core;
mod jnp;
mod losses;
mod moments;
mod normalization;
mod one_hot;
mod utils_normalize;

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[
    ("batch_normalization", normalization::batch_normalization),
    ("binary_crossentropy", losses::binary_crossentropy),
    ("categorical_crossentropy", losses::categorical_crossentropy),
    ("conv", conv::conv),
    ("conv_transpose", conv::conv_transpose),
    ("depthwise_conv", conv::depthwise_conv),
    ("moments", moments::moments),
    ("normalize", normalization::normalize),
    ("one_hot", one_hot::one_hot),
    ("separable_conv", conv::separable_conv),
    (
        "sparse_categorical_crossentropy",
        losses::sparse_categorical_crossentropy,
    ),
    ("utils.normalize", utils_normalize::utils_normalize),
];
