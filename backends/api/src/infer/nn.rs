//! Inference rules: neural-network ops: losses, convolutions, normalization.

mod conv;
mod losses;
mod norm;

use super::Rule;
use crate::value::Value;

/// A present, non-`None` argument.
fn given(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !matches!(v, Value::None))
}

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
    ("batch_normalization", norm::batch_normalization),
    ("binary_crossentropy", losses::binary_crossentropy),
    ("categorical_crossentropy", losses::categorical_crossentropy),
    ("conv", conv::conv),
    ("conv_transpose", conv::conv_transpose),
    ("depthwise_conv", conv::depthwise_conv),
    ("moments", norm::moments),
    ("normalize", norm::normalize),
    ("one_hot", norm::one_hot),
    ("separable_conv", conv::separable_conv),
    (
        "sparse_categorical_crossentropy",
        losses::sparse_categorical_crossentropy,
    ),
    ("utils.normalize", norm::utils_normalize),
];
