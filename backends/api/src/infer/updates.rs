//! Inference rules: scatter and slice updates, `convert_to_numpy`.

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[];
