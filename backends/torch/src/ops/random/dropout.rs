//! `keras.random.dropout` on Keras-torch (`dropout` and
//! `_get_concrete_noise_shape` in `keras/src/backend/torch/random.py`).
//!
//! Keras-torch hands the input straight to torch: `rate == 0` returns the
//! NumPy array unchanged, and every other path ends in a torch call on it
//! (`torch.zeros_like` or `torch.nn.functional.dropout`), which rejects a
//! NumPy array (a Keras 3.15.1 divergence from the other backends). The steps
//! before that call still run and raise first where they fail: the noise
//! shape read from `inputs.shape`, `torch.full`, the seed, `torch.bernoulli`
//! and `torch.broadcast_to(mask, inputs.shape)`.

use kconform_api::python::py_type_name;
use kconform_api::{BackendError, OpCall, Value};
use tch::{Kind, Tensor};

use super::params::{number, torch_arg_type};
use super::seed::{seed_of, seeded};
use crate::args::{bind, py_int};
use crate::error::TorchResult;
use crate::keras::{Ctx, R};
use crate::shim::{wrapped_number, PyScalar};

/// `keras.random.dropout(inputs, rate, noise_shape=None, seed=None)`.
pub fn dropout(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["inputs", "rate", "noise_shape", "seed"], 2)?;
    let inputs = a.req(0);
    let rate = number(a.req(1), "rate")?;
    if rate == 1.0 {
        return Err(torch_rejects("zeros_like", inputs));
    }
    if rate == 0.0 {
        return Ok(inputs.clone());
    }
    let noise_shape = a.opt(2);
    if a.opt(3).is_none() && noise_shape.is_none() {
        // The unseeded fast path draws nothing before torch rejects the input.
        return Err(torch_rejects("dropout", inputs));
    }
    let inputs_shape = shape_attribute(inputs)?;
    let noise_shape = match noise_shape {
        None => inputs_shape.clone(),
        Some(v) => concrete_noise_shape(v, &inputs_shape)?,
    };
    // `torch.full(noise_shape, keep_prob)`, filled from a tensor: tch's
    // `Scalar` arguments panic when the op fails (see `crate::raw`).
    let keep_prob = Tensor::f_empty(&noise_shape[..], (Kind::Float, ctx.device))
        .py()?
        .f_fill_tensor(&wrapped_number(PyScalar::Float(1.0 - rate))?)
        .py()?;
    let seed = seed_of(a.get(3))?;
    let mask = seeded(seed, || keep_prob.f_bernoulli().py())?;
    // `torch.broadcast_to(mask.bool(), inputs.shape)`: only its error matters.
    let _mask = mask
        .f_to_kind(Kind::Bool)
        .py()?
        .f_broadcast_to(&inputs_shape[..])
        .py()?;
    Err(torch_rejects("zeros_like", inputs))
}

/// The `TypeError` a torch function raises for a non-tensor `input`.
fn torch_rejects(function: &str, inputs: &Value) -> BackendError {
    BackendError::type_error(format!(
        "{function}(): argument 'input' (position 1) must be Tensor, not {}",
        torch_arg_type(inputs)
    ))
}

/// `inputs.shape`: a NumPy array has one, a Python value does not.
fn shape_attribute(inputs: &Value) -> R<Vec<i64>> {
    match inputs {
        Value::Tensor(t) => Ok(t.shape().iter().map(|&d| d as i64).collect()),
        other => Err(BackendError::raised(
            "AttributeError",
            format!("'{}' object has no attribute 'shape'", py_type_name(other)),
        )),
    }
}

/// `_get_concrete_noise_shape`: each `None` entry of `noise_shape` taken from
/// the input's shape.
fn concrete_noise_shape(noise_shape: &Value, inputs_shape: &[i64]) -> R<Vec<i64>> {
    let entries = match noise_shape {
        Value::Tuple(items) | Value::List(items) => items,
        other => {
            return Err(BackendError::type_error(format!(
                "'{}' object is not iterable",
                py_type_name(other)
            )))
        }
    };
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| match entry {
            Value::None => inputs_shape
                .get(i)
                .copied()
                .ok_or_else(|| BackendError::raised("IndexError", "tuple index out of range")),
            other => py_int(other).ok_or_else(|| {
                BackendError::Unsupported(format!(
                    "a noise_shape entry given as a {}",
                    other.kind()
                ))
            }),
        })
        .collect()
}
