//! Inference rules: shape manipulation and tensor creation.

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[];
