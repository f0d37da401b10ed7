//! Op groups beyond the foundation suite, one module each; every group
//! exports a sorted `OPS` table that [`crate::dispatch`] merges.

pub mod activations;
pub mod binary;
pub mod linalg;
pub mod nn;
pub mod shape;
pub mod spectral;
pub mod unary;
pub mod updates;
