//! The `activations` group of ops (as in the reference backend's `ops::activations`), on
//! libtorch with Keras 3.15.1's torch-backend semantics: each kernel follows
//! `keras/src/ops/nn.py` (argument handling) and `keras/src/backend/torch/nn.py`
//! (the `torch.nn.functional` call it makes).

mod parser;
mod piecewise;
mod scalar_params;
mod smooth;
mod softmax;
mod sparsemax;

use kconform_api::{OpCall, Value};

use super::Kernel;
use crate::keras::{Ctx, R};
use crate::shim::{wrapped_number, PyScalar};

/// A Python `int` or `float` operand of a Keras-torch expression (`x + 1`),
/// as torch receives it: a wrapped number, which does not widen `x`'s dtype.
fn py_number(s: PyScalar) -> R<tch::Tensor> {
    Ok(wrapped_number(s)?)
}

/// Calls `kernel` as the Python function `name` (so binding errors name it):
/// `keras.ops.swish` *is* `silu`, `hard_swish` *is* `hard_silu`.
fn alias(ctx: Ctx, call: &OpCall, name: &str, kernel: Kernel) -> R<Value> {
    kernel(
        ctx,
        &OpCall {
            op: name.into(),
            ..call.clone()
        },
    )
}

/// `keras.ops.swish`, the same function as `keras.ops.silu`.
fn swish(ctx: Ctx, call: &OpCall) -> R<Value> {
    alias(ctx, call, "silu", smooth::silu)
}

/// `keras.ops.hard_swish`, the same function as `keras.ops.hard_silu`.
fn hard_swish(ctx: Ctx, call: &OpCall) -> R<Value> {
    alias(ctx, call, "hard_silu", piecewise::hard_silu)
}

/// This group's ops, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[
    ("celu", scalar_params::celu),
    ("elu", scalar_params::elu),
    ("gelu", smooth::gelu),
    ("glu", softmax::glu),
    ("hard_shrink", scalar_params::hard_shrink),
    ("hard_sigmoid", piecewise::hard_sigmoid),
    ("hard_silu", piecewise::hard_silu),
    ("hard_swish", hard_swish),
    ("hard_tanh", piecewise::hard_tanh),
    ("leaky_relu", scalar_params::leaky_relu),
    ("log_sigmoid", smooth::log_sigmoid),
    ("log_softmax", softmax::log_softmax),
    ("relu", piecewise::relu),
    ("relu6", piecewise::relu6),
    ("selu", smooth::selu),
    ("sigmoid", smooth::sigmoid),
    ("silu", smooth::silu),
    ("soft_shrink", scalar_params::soft_shrink),
    ("softmax", softmax::softmax),
    ("softplus", smooth::softplus),
    ("softsign", smooth::softsign),
    ("sparse_plus", piecewise::sparse_plus),
    ("sparse_sigmoid", piecewise::sparse_sigmoid),
    ("sparsemax", sparsemax::sparsemax),
    ("squareplus", piecewise::squareplus),
    ("swish", swish),
    ("tanh_shrink", smooth::tanh_shrink),
    ("threshold", scalar_params::threshold),
];
