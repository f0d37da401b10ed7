//! Kernels: neural-network ops: losses, convolutions, normalization.

mod conv;
mod conv_args;
mod conv_core;

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[
    ("conv", conv::conv),
    ("conv_transpose", conv::conv_transpose),
    ("depthwise_conv", conv::depthwise_conv),
    ("separable_conv", conv::separable_conv),
];
