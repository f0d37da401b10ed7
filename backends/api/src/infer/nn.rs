//! Inference rules: neural-network ops: losses, convolutions, normalization.

mod conv;
mod losses;

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
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
