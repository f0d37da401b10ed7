//! `keras.random.gamma`, `binomial` and `beta` on Keras-torch
//! (`keras/src/backend/torch/random.py`): the parameters broadcast to `shape`
//! with `torch.broadcast_to`, the global generator seeded with
//! `torch.manual_seed`, then a `torch.distributions` object built (which
//! validates its parameters, see [`super::constraints`]) and sampled, and the
//! sample cast with `.type(dtype)`.

use kconform_api::{OpCall, Value};
use tch::{Kind, Tensor};

use super::constraints::{validate, Constraint, Parameter};
use super::params::{float_dtype, shape_arg, BROADCAST_TO_INT_SIZE};
use super::seed::{seed_of, seeded};
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{cast, output, tensor, to_torch_dtype, Ctx, R};

/// `torch.broadcast_to(convert_to_tensor(v), shape)`.
fn parameter(ctx: Ctx, v: &Value, shape: &[i64]) -> R<Tensor> {
    tensor(ctx, v)?.f_broadcast_to(shape).py()
}

/// `keras.random.gamma(shape, alpha, dtype=None, seed=None)`:
/// `Gamma(alpha, torch.ones(shape)).sample()`: the standard gamma draw
/// divided by the rate, clamped below at the quotient dtype's `tiny`.
pub fn gamma(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "alpha", "dtype", "seed"], 2)?;
    let dtype = float_dtype(a.opt(2))?;
    to_torch_dtype(dtype)?;
    let shape = shape_arg(a.req(0), BROADCAST_TO_INT_SIZE)?;
    let alpha = parameter(ctx, a.req(1), &shape)?;
    let rate = Tensor::f_ones(&shape[..], (Kind::Float, ctx.device)).py()?;
    let seed = seed_of(a.get(3))?;
    validate(
        "Gamma",
        &[
            Parameter {
                name: "concentration",
                value: &alpha,
                constraint: Constraint::Positive,
            },
            Parameter {
                name: "rate",
                value: &rate,
                constraint: Constraint::Positive,
            },
        ],
    )?;
    let x = seeded(seed, || alpha.f_internal_standard_gamma().py())?;
    let x = x.f_div(&rate).py()?;
    // Dividing by float32 ones leaves float32 or float64.
    let tiny = if x.kind() == Kind::Double {
        f64::MIN_POSITIVE
    } else {
        f64::from(f32::MIN_POSITIVE)
    };
    let x = x.f_clamp_min(tiny).py()?;
    output(&cast(x, dtype)?)
}

/// `keras.random.binomial(shape, counts, probabilities, dtype=None, seed=None)`:
/// `Binomial(total_count=counts, probs=probabilities).sample()`, which casts
/// the counts to the probabilities' dtype (`type_as`) before validating and
/// calling `torch.binomial`.
pub fn binomial(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(
        call,
        &["shape", "counts", "probabilities", "dtype", "seed"],
        3,
    )?;
    let dtype = float_dtype(a.opt(3))?;
    to_torch_dtype(dtype)?;
    let shape = shape_arg(a.req(0), BROADCAST_TO_INT_SIZE)?;
    let counts = parameter(ctx, a.req(1), &shape)?;
    let probs = parameter(ctx, a.req(2), &shape)?;
    let seed = seed_of(a.get(4))?;
    let counts = counts.f_to_kind(probs.kind()).py()?;
    validate(
        "Binomial",
        &[
            Parameter {
                name: "total_count",
                value: &counts,
                constraint: Constraint::NonnegativeInteger,
            },
            Parameter {
                name: "probs",
                value: &probs,
                constraint: Constraint::UnitInterval,
            },
        ],
    )?;
    let x = seeded(seed, || Tensor::f_binomial(&counts, &probs).py())?;
    output(&cast(x, dtype)?)
}

/// `keras.random.beta(shape, alpha, beta, dtype=None, seed=None)`:
/// `Beta(alpha, beta).sample()`, a `Dirichlet` of `stack([alpha, beta], -1)`
/// (validated as such) sampled with `torch._sample_dirichlet`, element 0 kept.
pub fn beta(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "alpha", "beta", "dtype", "seed"], 3)?;
    let dtype = float_dtype(a.opt(3))?;
    to_torch_dtype(dtype)?;
    let shape = shape_arg(a.req(0), BROADCAST_TO_INT_SIZE)?;
    let c1 = parameter(ctx, a.req(1), &shape)?;
    let c0 = parameter(ctx, a.req(2), &shape)?;
    let seed = seed_of(a.get(4))?;
    let concentration = Tensor::f_stack(&[c1, c0], -1).py()?;
    validate(
        "Dirichlet",
        &[Parameter {
            name: "concentration",
            value: &concentration,
            constraint: Constraint::PositiveVectors,
        }],
    )?;
    let x = seeded(seed, || concentration.f_internal_sample_dirichlet().py())?;
    output(&cast(x.f_select(-1, 0).py()?, dtype)?)
}
