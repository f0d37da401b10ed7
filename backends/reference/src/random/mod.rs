//! `keras.random.*` with an integer seed, reproducing Keras-on-JAX streams bit
//! for bit: the seed becomes the raw threefry key `[seed, 0]`, bits come from
//! partitionable threefry2x32, and floats follow `jax.random`'s recipes with
//! XLA:CPU's `erf_inv`. `gamma`, `beta` and `binomial` follow Keras-on-JAX's
//! arguments and errors but draw their values with exact algorithms of their
//! own on the same threefry bits (their streams are not JAX's).

mod distributions;
mod float;
mod kernels;
mod sample;
mod threefry;
mod variates;
pub(crate) mod xla_math;

pub use distributions::{beta, binomial, gamma};
pub use kernels::{categorical, dropout, normal, randint, shuffle, truncated_normal, uniform};
