//! Inference rules: the ops of the foundation suite (elementwise, reductions, indexing, shape ops).

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[];
