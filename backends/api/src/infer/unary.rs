//! Inference rules: unary elementwise math (`sin`, `exp`, `floor`, …).

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[];
