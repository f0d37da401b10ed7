//! Inference rules: binary elementwise math, comparisons, logical ops and cumulative reductions.

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[];
