//! Inference rules: FFTs and short-time Fourier transforms.

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[];
