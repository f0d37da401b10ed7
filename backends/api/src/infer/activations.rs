//! Inference rules: activation functions (`keras.ops.relu`, `softmax`, …).

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[];
