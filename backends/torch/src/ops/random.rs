//! `keras.random` with Keras-torch's exact streams
//! (`keras/src/backend/torch/random.py`, 3.15.1).
//!
//! Keras seeds a fresh `torch.Generator` per call with
//! `(seed[0] + seed[1]) & 0xFFFFFFFF`, where an integer seed `s` is drawn as
//! `[s, 0]` (bit-cast to int32). tch exposes only the global generator, so
//! each call holds [`RNG`] while it re-seeds the global generator and draws:
//! a freshly seeded generator and the re-seeded global one produce the same
//! stream. `gamma`, `binomial` and `beta` use the global generator in Keras too.

use std::sync::Mutex;

use kconform_api::python::{py_repr, py_type_name};
use kconform_api::{BackendError, DType, OpCall, Value};
use tch::{Kind, Tensor};

use crate::args::{bind, canonicalize_axis, py_int};
use crate::error::TorchResult;
use crate::keras::{cast, dtype_arg, output, tensor, to_torch_dtype, Ctx, R};
use crate::shim::{wrapped_number, PyScalar};

/// Serializes every use of libtorch's global generator.
static RNG: Mutex<()> = Mutex::new(());

/// `draw_seed(seed)` for the seeds kconform passes, reduced to the value
/// `torch_seed_generator` seeds with.
fn seed_of(v: Option<&Value>) -> R<i64> {
    match v {
        Some(Value::Int(s)) => Ok((*s as u64 & 0xFFFF_FFFF) as i64),
        Some(Value::Bool(b)) => Ok(i64::from(*b)),
        // Drawn from a SeedGenerator by a program: int32 `first + second`,
        // whose low 32 bits seed the CPU generator.
        Some(Value::Seed([a, b])) => Ok(i64::from(a.wrapping_add(*b))),
        None | Some(Value::None) => Err(BackendError::Unsupported(
            "unseeded draws (Keras's global SeedGenerator)".into(),
        )),
        Some(other) => Err(BackendError::value_error(format!(
            "Argument `seed` must be either an integer or an instance of `SeedGenerator`. \
             Received: seed={} (of type <class '{}'>)",
            kconform_api::program::seed_state::py_str(other),
            py_type_name(other)
        ))),
    }
}

/// Runs `draw` with the global generator seeded with `seed`, holding [`RNG`].
fn seeded<T>(seed: i64, draw: impl FnOnce() -> R<T>) -> R<T> {
    let _guard = RNG.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    tch::manual_seed(seed);
    draw()
}

/// A `shape` argument: a tuple or list of Python ints.
fn shape_arg(v: &Value) -> R<Vec<i64>> {
    match v {
        Value::Tuple(items) | Value::List(items) => items
            .iter()
            .map(|i| {
                py_int(i).ok_or_else(|| {
                    BackendError::Unsupported(format!("a shape entry given as a {}", i.kind()))
                })
            })
            .collect(),
        Value::Int(i) => Ok(vec![*i]),
        other => Err(BackendError::Unsupported(format!(
            "a shape given as a {}",
            other.kind()
        ))),
    }
}

/// A Python number argument as `f64` (the value torch receives).
fn number(v: &Value, what: &str) -> R<f64> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        other => Err(BackendError::Unsupported(format!(
            "`{what}` given as a {}",
            other.kind()
        ))),
    }
}

/// A Python number as PyTorch passes it to a tensor op.
fn py_scalar(v: &Value, what: &str) -> R<PyScalar> {
    match v {
        Value::Int(i) => Ok(PyScalar::Int(*i)),
        Value::Float(f) => Ok(PyScalar::Float(*f)),
        Value::Bool(b) => Ok(PyScalar::Bool(*b)),
        other => Err(BackendError::Unsupported(format!(
            "`{what}` given as a {}",
            other.kind()
        ))),
    }
}

/// `dtype or floatx()`.
fn float_dtype(v: Option<&Value>) -> R<DType> {
    v.map(dtype_arg)
        .transpose()
        .map(|d| d.unwrap_or(DType::Float32))
}

/// `keras.random.normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None)`:
/// `torch.normal(mean, stddev, size=shape, generator=g, dtype=dtype)`.
pub fn normal(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "mean", "stddev", "dtype", "seed"], 1)?;
    let shape = shape_arg(a.req(0))?;
    let mean = a
        .opt(1)
        .map(|v| number(v, "mean"))
        .transpose()?
        .unwrap_or(0.0);
    let std = a
        .opt(2)
        .map(|v| number(v, "stddev"))
        .transpose()?
        .unwrap_or(1.0);
    let kind = to_torch_dtype(float_dtype(a.opt(3))?)?;
    let seed = seed_of(a.get(4))?;
    let x = seeded(seed, || draw_normal(ctx, &shape, mean, std, kind))?;
    output(&x)
}

fn draw_normal(ctx: Ctx, shape: &[i64], mean: f64, std: f64, kind: Kind) -> R<Tensor> {
    let mut x = Tensor::f_empty(shape, (kind, ctx.device)).py()?;
    x.f_normal_(mean, std).py()
}

/// `keras.random.uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None)`:
/// `(maxval - minval) * torch.rand(shape, generator=g) + minval`, a `()` shape
/// drawn as `(1,)` and indexed.
pub fn uniform(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "minval", "maxval", "dtype", "seed"], 1)?;
    let dtype = float_dtype(a.opt(3))?;
    if !dtype.is_float() {
        return Err(BackendError::value_error(format!(
            "`keras.random.uniform` requires a floating point `dtype`. Received: dtype={dtype} "
        )));
    }
    let requested = shape_arg(a.req(0))?;
    let shape = if requested.is_empty() {
        vec![1]
    } else {
        requested.clone()
    };
    let min = a.opt(1).cloned().unwrap_or(Value::Float(0.0));
    let max = a.opt(2).cloned().unwrap_or(Value::Float(1.0));
    // Python computes `maxval - minval` first: int - int stays an int.
    let span = match (&min, &max) {
        (Value::Int(lo), Value::Int(hi)) => PyScalar::Int(hi - lo),
        _ => PyScalar::Float(number(&max, "maxval")? - number(&min, "minval")?),
    };
    let seed = seed_of(a.get(4))?;
    let kind = to_torch_dtype(dtype)?;
    let r = seeded(seed, || Tensor::f_rand(&shape[..], (kind, ctx.device)).py())?;
    let scaled = r.f_mul(&wrapped_number(span)?).py()?;
    let out = scaled
        .f_add(&wrapped_number(py_scalar(&min, "minval")?)?)
        .py()?;
    let out = if requested.is_empty() {
        out.f_get(0).py()?
    } else {
        out
    };
    output(&out)
}

/// `keras.random.randint(shape, minval, maxval, dtype="int32", seed=None)`:
/// `torch.randint(low, high, size, generator=g, dtype=dtype)`.
pub fn randint(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "minval", "maxval", "dtype", "seed"], 3)?;
    let dtype = match a.opt(3) {
        None => DType::Int32,
        Some(v) => dtype_arg(v)?,
    };
    if !dtype.is_integer() {
        return Err(BackendError::value_error(format!(
            "`keras.random.randint` requires an integer `dtype`. Received: dtype={dtype} "
        )));
    }
    let shape = shape_arg(a.req(0))?;
    let bound = |i: usize, what: &str| {
        py_int(a.req(i)).ok_or_else(|| {
            BackendError::Unsupported(format!("`{what}` given as a {}", a.req(i).kind()))
        })
    };
    let (low, high) = (bound(1, "minval")?, bound(2, "maxval")?);
    let kind = to_torch_dtype(dtype)?;
    let seed = seed_of(a.get(4))?;
    let x = seeded(seed, || {
        Tensor::f_randint_low(low, high, &shape[..], (kind, ctx.device)).py()
    })?;
    output(&x)
}

/// `keras.random.truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None)`:
/// four normals per element, the first inside (-2, 2) picked (the first
/// maximum of the validity mask, as `valid.max(-1)` returns), then scaled in place.
pub fn truncated_normal(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "mean", "stddev", "dtype", "seed"], 1)?;
    let shape = shape_arg(a.req(0))?;
    let mean = a.opt(1).cloned().unwrap_or(Value::Float(0.0));
    let std = a.opt(2).cloned().unwrap_or(Value::Float(1.0));
    let kind = to_torch_dtype(float_dtype(a.opt(3))?)?;
    let seed = seed_of(a.get(4))?;
    let mut wide = shape.clone();
    wide.push(4);
    let x = seeded(seed, || draw_normal(ctx, &wide, 0.0, 1.0, kind))?;
    let valid = x.f_gt(-2.0).py()?.f_logical_and(&x.f_lt(2.0).py()?).py()?;
    let (_, indexes) = valid.f_max_dim(-1, true).py()?;
    let picked = x
        .f_gather(-1, &indexes, false)
        .py()?
        .f_squeeze_dim(-1)
        .py()?;
    let out = picked
        .f_mul(&wrapped_number(py_scalar(&std, "stddev")?)?)
        .py()?
        .f_add(&wrapped_number(py_scalar(&mean, "mean")?)?)
        .py()?;
    output(&out)
}

/// `keras.random.dropout(inputs, rate, noise_shape=None, seed=None)`.
///
/// Keras-torch hands the input straight to torch: `rate == 0` returns the
/// NumPy array unchanged, and every other path calls `torch.zeros_like` on it,
/// which rejects a NumPy array (a Keras 3.15.1 divergence from the other
/// backends, reproduced here for host inputs).
pub fn dropout(_ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["inputs", "rate", "noise_shape", "seed"], 2)?;
    let inputs = a.req(0);
    let rate = number(a.req(1), "rate")?;
    if rate == 0.0 {
        return Ok(inputs.clone());
    }
    match inputs {
        Value::Tensor(_) => Err(BackendError::type_error(
            "zeros_like(): argument 'input' (position 1) must be Tensor, not numpy.ndarray",
        )),
        other => Err(BackendError::Unsupported(format!(
            "dropout of a {} on torch",
            other.kind()
        ))),
    }
}

/// `keras.random.shuffle(x, axis=0, seed=None)`: a permutation per leading
/// index from `torch.rand(x.shape[:axis + 1]).argsort(axis)`, gathered.
pub fn shuffle(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis", "seed"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let ndim = x.dim();
    let axis = match a.opt(1) {
        None => 0,
        Some(v) => py_int(v)
            .ok_or_else(|| BackendError::Unsupported(format!("`axis` given as a {}", v.kind())))?,
    };
    let axis = canonicalize_axis(axis, ndim)? as usize;
    let dims = x.size();
    let seed = seed_of(a.get(2))?;
    let lead = &dims[..=axis];
    let mut perm = seeded(seed, || {
        Tensor::f_rand(lead, (Kind::Float, ctx.device)).py()
    })?
    .f_argsort(axis as i64, false)
    .py()?;
    for _ in 0..ndim - axis - 1 {
        perm = perm.f_unsqueeze(-1).py()?;
    }
    let mut reps = vec![1i64; axis + 1];
    reps.extend_from_slice(&dims[axis + 1..]);
    let perm = perm.f_repeat(&reps[..]).py()?;
    output(&x.f_gather(axis as i64, &perm, false).py()?)
}

/// `keras.random.categorical(logits, num_samples, dtype="int32", seed=None)`:
/// `torch.multinomial(softmax(logits), num_samples, replacement=True)`.
pub fn categorical(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["logits", "num_samples", "dtype", "seed"], 2)?;
    let logits = tensor(ctx, a.req(0))?;
    if logits.dim() != 2 {
        return Err(BackendError::value_error(format!(
            "`logits` should be a 2-D tensor with shape [batch_size, num_classes]. \
             Received: logits={}",
            py_repr(a.req(0))
        )));
    }
    let n = py_int(a.req(1)).ok_or_else(|| {
        BackendError::Unsupported(format!("`num_samples` given as a {}", a.req(1).kind()))
    })?;
    let dtype = match a.opt(2) {
        None => DType::Int32,
        Some(v) => dtype_arg(v)?,
    };
    let probs = logits.f_softmax(-1, None::<Kind>).py()?;
    let seed = seed_of(a.get(3))?;
    let x = seeded(seed, || probs.f_multinomial(n, true).py())?;
    output(&cast(x, dtype)?)
}

/// `convert_to_tensor(v)` broadcast to `shape` (the parameters of gamma,
/// binomial and beta).
fn parameter(ctx: Ctx, v: &Value, shape: &[i64]) -> R<Tensor> {
    tensor(ctx, v)?.f_broadcast_to(shape).py()
}

/// `keras.random.gamma(shape, alpha, dtype=None, seed=None)`:
/// `Gamma(alpha, ones).sample()` under `torch.manual_seed(seed)`: the
/// standard gamma draw divided by the rate, clamped below at float32's tiny.
pub fn gamma(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "alpha", "dtype", "seed"], 2)?;
    let shape = shape_arg(a.req(0))?;
    let dtype = float_dtype(a.opt(2))?;
    let alpha = parameter(ctx, a.req(1), &shape)?;
    let rate = Tensor::f_ones(&shape[..], (Kind::Float, ctx.device)).py()?;
    let seed = seed_of(a.get(3))?;
    let x = seeded(seed, || alpha.f_internal_standard_gamma().py())?;
    let x = x.f_div(&rate).py()?;
    let x = x.f_clamp_min(f64::from(f32::MIN_POSITIVE)).py()?;
    output(&cast(x, dtype)?)
}

/// `keras.random.binomial(shape, counts, probabilities, dtype=None, seed=None)`:
/// `torch.binomial(counts as float, probs)` under `torch.manual_seed(seed)`.
pub fn binomial(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(
        call,
        &["shape", "counts", "probabilities", "dtype", "seed"],
        3,
    )?;
    let shape = shape_arg(a.req(0))?;
    let dtype = float_dtype(a.opt(3))?;
    let probs = parameter(ctx, a.req(2), &shape)?;
    let counts = parameter(ctx, a.req(1), &shape)?
        .f_to_kind(probs.kind())
        .py()?;
    let seed = seed_of(a.get(4))?;
    let x = seeded(seed, || Tensor::f_binomial(&counts, &probs).py())?;
    output(&cast(x, dtype)?)
}

/// `keras.random.beta(shape, alpha, beta, dtype=None, seed=None)`:
/// `Beta(alpha, beta).sample()` = `torch._sample_dirichlet(stack([alpha,
/// beta], -1))[..., 0]` under `torch.manual_seed(seed)`.
pub fn beta(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "alpha", "beta", "dtype", "seed"], 3)?;
    let shape = shape_arg(a.req(0))?;
    let dtype = float_dtype(a.opt(3))?;
    let c1 = parameter(ctx, a.req(1), &shape)?;
    let c0 = parameter(ctx, a.req(2), &shape)?;
    let both = Tensor::f_stack(&[c1, c0], -1).py()?;
    let seed = seed_of(a.get(4))?;
    let x = seeded(seed, || both.f_internal_sample_dirichlet().py())?;
    output(&cast(x.f_select(-1, 0).py()?, dtype)?)
}

/// The seeded `keras.random` ops, sorted by name.
pub const OPS: &[(&str, crate::ops::Kernel)] = &[
    ("random.beta", beta),
    ("random.binomial", binomial),
    ("random.categorical", categorical),
    ("random.dropout", dropout),
    ("random.gamma", gamma),
    ("random.normal", normal),
    ("random.randint", randint),
    ("random.shuffle", shuffle),
    ("random.truncated_normal", truncated_normal),
    ("random.uniform", uniform),
];
