//! Inference rules: linear algebra and `keras.ops.math`.

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[];
