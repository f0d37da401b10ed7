//! `keras.random.*` with an integer seed, reproducing Keras-on-JAX streams bit
//! for bit: the seed becomes the raw threefry key `[seed, 0]`, bits come from
//! partitionable threefry2x32, and floats follow `jax.random`'s recipes with
//! XLA:CPU's `erf_inv`.

mod float;
mod kernels;
mod sample;
mod threefry;
pub(crate) mod xla_math;

pub use kernels::{categorical, dropout, normal, randint, shuffle, truncated_normal, uniform};
