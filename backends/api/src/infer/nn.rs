//! Inference rules: neural-network ops: losses, convolutions, normalization.

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[];
