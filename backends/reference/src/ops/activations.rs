//! Kernels: activation functions (`keras.ops.relu`, `softmax`, …), following
//! `keras/src/backend/jax/nn.py` and the `jax.nn` functions it calls, with
//! XLA:CPU's own `exp`, `tanh`, `expm1`, `erfc`, `log` and `log1p`.

mod float;
mod lanes;
mod piecewise;
mod smooth;
mod softmax;
mod sparsemax;
mod xla_math;

use kconform_api::{OpCall, Value};

use crate::dispatch::Kernel;
use crate::error::OpResult;

/// Calls `kernel` as the Python function `name` (so binding errors name it):
/// `keras.ops.swish` *is* `silu`, `hard_swish` *is* `hard_silu`.
fn alias(call: &OpCall, name: &str, kernel: Kernel) -> OpResult<Value> {
    kernel(&OpCall {
        op: name.into(),
        ..call.clone()
    })
}

/// `keras.ops.swish`, the same function as `keras.ops.silu`.
fn swish(call: &OpCall) -> OpResult<Value> {
    alias(call, "silu", smooth::silu)
}

/// `keras.ops.hard_swish`, the same function as `keras.ops.hard_silu`.
fn hard_swish(call: &OpCall) -> OpResult<Value> {
    alias(call, "hard_silu", piecewise::hard_silu)
}

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[
    ("celu", smooth::celu),
    ("elu", smooth::elu),
    ("gelu", smooth::gelu),
    ("glu", sparsemax::glu),
    ("hard_shrink", piecewise::hard_shrink),
    ("hard_sigmoid", piecewise::hard_sigmoid),
    ("hard_silu", piecewise::hard_silu),
    ("hard_swish", hard_swish),
    ("hard_tanh", piecewise::hard_tanh),
    ("leaky_relu", piecewise::leaky_relu),
    ("log_sigmoid", smooth::log_sigmoid),
    ("log_softmax", softmax::log_softmax),
    ("relu", piecewise::relu),
    ("relu6", piecewise::relu6),
    ("selu", smooth::selu),
    ("sigmoid", smooth::sigmoid),
    ("silu", smooth::silu),
    ("soft_shrink", piecewise::soft_shrink),
    ("softmax", softmax::softmax),
    ("softplus", smooth::softplus),
    ("softsign", smooth::softsign),
    ("sparse_plus", piecewise::sparse_plus),
    ("sparse_sigmoid", piecewise::sparse_sigmoid),
    ("sparsemax", sparsemax::sparsemax),
    ("squareplus", piecewise::squareplus),
    ("swish", swish),
    ("tanh_shrink", smooth::tanh_shrink),
    ("threshold", piecewise::threshold),
];
