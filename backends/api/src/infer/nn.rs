//! Inference rules: neural-network ops: losses, convolutions, normalization.

mod conv;

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
    ("conv", conv::conv),
    ("conv_transpose", conv::conv_transpose),
    ("depthwise_conv", conv::depthwise_conv),
    ("separable_conv", conv::separable_conv),
];
