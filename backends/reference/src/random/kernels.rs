//! The `random.*` op kernels: argument binding and Keras's checks around the
//! samplers.

use kconform_api::promote::downcast_64;
use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Tensor, Value};

use super::float::Fl;
use super::sample;
use super::threefry::Key;
use crate::args::{self, py_repr, Args};
use crate::error::{check_size, OpError, OpResult};

/// Keras's `draw_seed` for an integer seed: the raw key `[seed, 0]`.
pub(super) fn seed_key(v: &Value) -> OpResult<Key> {
    match v {
        Value::None => Err(OpError::Unsupported("unseeded random draws".into())),
        Value::Bool(b) => Ok([u32::from(*b), 0]),
        Value::Int(i) => u32::try_from(*i)
            .map(|s| [s, 0])
            .map_err(|_| OpError::Overflow(format!("Python integer {i} out of bounds for uint32"))),
        // Drawn from a SeedGenerator (or the global one) by a program.
        Value::Seed(words) => Ok(*words),
        other => Err(OpError::Value(format!(
            "Argument `seed` must be either an integer or an instance of `SeedGenerator`. \
             Received: seed={} (of type <class '{}'>)",
            kconform_api::python::py_str(other),
            args::py_type_name(other)
        ))),
    }
}

/// A `shape` argument as `core.canonicalize_shape` reads it.
fn shape_arg(v: &Value) -> OpResult<Vec<usize>> {
    let dims = match v {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(args::index)
            .collect::<OpResult<Vec<_>>>()?,
        other => vec![args::index(other)?],
    };
    let shape = dims
        .into_iter()
        .map(|d| {
            usize::try_from(d)
                .map_err(|_| OpError::Unsupported("a negative dimension (XLA MLIRError)".into()))
        })
        .collect::<OpResult<Vec<_>>>()?;
    check_size(&shape)?;
    Ok(shape)
}

/// The float dtype of a sampler (`None` → `floatx()` = float32). A
/// non-float dtype raises Keras's own check for `uniform`, and JAX's for
/// `normal` (which also takes complex dtypes) and `truncated_normal`.
fn float_dtype(v: Option<&Value>, op: &str) -> OpResult<Fl> {
    let d = args::dtype(v)?.unwrap_or(DType::Float32);
    Fl::of(d).ok_or_else(|| {
        OpError::Value(match op {
            "uniform" => format!(
                "`keras.random.uniform` requires a floating point `dtype`. Received: dtype={} ",
                d.name()
            ),
            "normal" => format!(
                "dtype argument to `normal` must be a float or complex dtype, got {}",
                d.name()
            ),
            _ => format!(
                "dtype argument to `{op}` must be a float dtype, got {}",
                d.name()
            ),
        })
    })
}

fn shape_len(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// Shared body of `normal` and `truncated_normal`: `sample * stddev + mean`.
fn scaled(call: &OpCall, draw: fn(Key, usize, Fl) -> Vec<f32>, op: &str) -> OpResult<Value> {
    let a = Args::bind(call, &["shape", "mean", "stddev", "dtype", "seed"], 1)?;
    // Keras draws the seed before JAX checks the dtype.
    let key = seed_key(a.value(4))?;
    let fl = float_dtype(a.get(3), op)?;
    let shape = shape_arg(a.value(0))?;
    let mean = fl.round_f64(args::float_arg(a.get(1), 0.0)?);
    let std = fl.round_f64(args::float_arg(a.get(2), 1.0)?);
    let v = draw(key, shape_len(&shape), fl)
        .into_iter()
        .map(|x| fl.round(fl.round(x * std) + mean))
        .collect();
    Ok(Value::Tensor(fl.tensor(shape, v)?))
}

/// `keras.random.normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None)`.
pub fn normal(call: &OpCall) -> OpResult<Value> {
    scaled(call, sample::normal, "normal")
}

/// `keras.random.truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None)`.
pub fn truncated_normal(call: &OpCall) -> OpResult<Value> {
    scaled(call, sample::truncated_normal, "truncated_normal")
}

/// `keras.random.uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None)`.
pub fn uniform(call: &OpCall) -> OpResult<Value> {
    let a = Args::bind(call, &["shape", "minval", "maxval", "dtype", "seed"], 1)?;
    let fl = float_dtype(a.get(3), "uniform")?;
    let key = seed_key(a.value(4))?;
    let shape = shape_arg(a.value(0))?;
    let lo = fl.round_f64(args::float_arg(a.get(1), 0.0)?);
    let hi = fl.round_f64(args::float_arg(a.get(2), 1.0)?);
    let v = sample::uniform(key, shape_len(&shape), fl, lo, hi);
    Ok(Value::Tensor(fl.tensor(shape, v)?))
}

/// `keras.random.randint(shape, minval, maxval, dtype="int32", seed=None)`.
pub fn randint(call: &OpCall) -> OpResult<Value> {
    let a = Args::bind(call, &["shape", "minval", "maxval", "dtype", "seed"], 3)?;
    let d = match a.given(3) {
        None => DType::Int32,
        Some(v) => args::dtype(Some(v))?.unwrap_or(DType::Int32),
    };
    if !d.is_integer() {
        return Err(OpError::Value(format!(
            "`keras.random.randint` requires an integer `dtype`. Received: dtype={} ",
            d.name()
        )));
    }
    let d = downcast_64(d);
    let key = seed_key(a.value(4))?;
    let shape = shape_arg(a.value(0))?;
    let int = |v: &Value| -> OpResult<i64> {
        match v {
            Value::Float(f) if f.is_finite() => Ok(f.trunc() as i64),
            other => args::index(other),
        }
    };
    let (minval, maxval) = (int(a.value(1))?, int(a.value(2))?);
    let (i32min, i32max) = (i64::from(i32::MIN), i64::from(i32::MAX));
    for v in [minval, maxval] {
        if !(i32min..=i32max).contains(&v) {
            return Err(OpError::Overflow(format!(
                "Python int {v} too large to convert to int32"
            )));
        }
    }
    let (dmin, dmax) = match d {
        DType::Int8 => (-128, 127),
        DType::Int16 => (-32768, 32767),
        DType::Uint8 => (0, 255),
        DType::Uint16 => (0, 65535),
        DType::Uint32 => (0, i32max),
        _ => (i32min, i32max),
    };
    let (lo, hi, out) = if matches!(d, DType::Int8 | DType::Int16 | DType::Uint8 | DType::Uint16) {
        // Sampled as int32 with the bounds clipped to the narrow dtype.
        (
            minval.clamp(dmin, dmax),
            maxval.clamp(dmin, dmax + 1),
            false,
        )
    } else {
        (
            minval.clamp(dmin, dmax),
            maxval.clamp(dmin, dmax),
            maxval > dmax,
        )
    };
    let vals = sample::randint32(key, shape_len(&shape), lo, hi, out);
    let scalars: Vec<Scalar> = vals
        .into_iter()
        .map(|v| Scalar::Int(i128::from(v)))
        .collect();
    let t =
        Tensor::from_scalars(d, shape, &scalars).map_err(|e| OpError::Internal(e.to_string()))?;
    Ok(Value::Tensor(t))
}

/// `keras.random.dropout(inputs, rate, noise_shape=None, seed=None)`.
pub fn dropout(call: &OpCall) -> OpResult<Value> {
    let a = Args::bind(call, &["inputs", "rate", "noise_shape", "seed"], 2)?;
    let Some(Value::Tensor(x)) = a.get(0) else {
        return Err(OpError::Unsupported("dropout of a non-tensor".into()));
    };
    let rate = args::float_arg(a.get(1), 0.0)?;
    let out_dtype = downcast_64(x.dtype());
    if rate == 1.0 {
        let zeros = vec![Scalar::Int(0); x.len()];
        return Tensor::from_scalars(out_dtype, x.shape().to_vec(), &zeros)
            .map(Value::Tensor)
            .map_err(|e| OpError::Internal(e.to_string()));
    }
    if rate == 0.0 {
        return Ok(Value::Tensor(x.clone()));
    }
    let key = seed_key(a.value(3))?;
    // A NumPy bfloat16 input divided by the Python float `keep_prob` is
    // float32 (ml_dtypes), which `lax.select` refuses beside bfloat16 zeros.
    let select_error = |got: &str, other: &str| {
        OpError::Type(format!(
            "lax.select requires arguments to have the same dtypes, got {got}, {other}. \
             (Tip: jnp.where is a similar function that does automatic type promotion on inputs)."
        ))
    };
    if x.dtype() == DType::Bfloat16 {
        return Err(select_error("bfloat16", "float32"));
    }
    let Some(fl) = Fl::of(x.dtype()) else {
        return Err(select_error(out_dtype.name(), "float32"));
    };
    let shape = x.shape().to_vec();
    let noise = match a.get(2) {
        None => shape.clone(),
        Some(Value::List(items) | Value::Tuple(items)) => {
            let mut dims = Vec::with_capacity(items.len());
            for (i, v) in items.iter().enumerate() {
                dims.push(match v {
                    Value::None => *shape
                        .get(i)
                        .ok_or_else(|| OpError::Index("tuple index out of range".into()))?,
                    other => usize::try_from(args::index(other)?)
                        .map_err(|_| OpError::Unsupported("a negative noise dimension".into()))?,
                });
            }
            dims
        }
        Some(other) => {
            return Err(OpError::Unsupported(format!(
                "noise_shape={}",
                py_repr(other)
            )))
        }
    };
    check_size(&noise)?;
    // numpy-style broadcast of the mask to the input shape.
    let fits = noise.len() <= shape.len()
        && noise
            .iter()
            .rev()
            .zip(shape.iter().rev())
            .all(|(&n, &s)| n == s || n == 1);
    if !fits {
        let dims = |s: &[usize]| {
            s.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        return Err(OpError::Value(format!(
            "Incompatible types for broadcasting: input type=bool[{}] and requested type=bool[{}]",
            dims(&noise),
            dims(&shape)
        )));
    }
    let keep = 1.0 - rate;
    let mask = sample::bernoulli(key, shape_len(&noise), keep as f32);
    let keep_fl = fl.round_f64(keep);
    let values: Vec<f32> = x.to_f64_vec().into_iter().map(|v| v as f32).collect();
    let values: Vec<f32> = values.into_iter().map(|v| fl.round(fl.round(v))).collect();
    let offset = shape.len() - noise.len();
    let mut out = Vec::with_capacity(values.len());
    for (e, v) in values.into_iter().enumerate() {
        // Index of element e in the (broadcast) noise tensor.
        let mut rem = e;
        let mut m = 0usize;
        let mut stride = 1usize;
        let mut idx = vec![0usize; shape.len()];
        for ax in (0..shape.len()).rev() {
            idx[ax] = rem % shape[ax].max(1);
            rem /= shape[ax].max(1);
        }
        for ax in (0..noise.len()).rev() {
            let i = if noise[ax] == 1 { 0 } else { idx[ax + offset] };
            m += i * stride;
            stride *= noise[ax];
        }
        out.push(if mask[m] { fl.round(v / keep_fl) } else { 0.0 });
    }
    Ok(Value::Tensor(fl.tensor(shape, out)?))
}

/// `keras.random.shuffle(x, axis=0, seed=None)` (independent per lane).
pub fn shuffle(call: &OpCall) -> OpResult<Value> {
    let a = Args::bind(call, &["x", "axis", "seed"], 1)?;
    let x = match a.value(0) {
        Value::Tensor(t) => t.clone(),
        Value::Int(n) => {
            let n = usize::try_from(*n).unwrap_or(0);
            check_size(&[n])?;
            let s: Vec<Scalar> = (0..n).map(|i| Scalar::Int(i as i128)).collect();
            Tensor::from_scalars(DType::Int32, vec![n], &s)
                .map_err(|e| OpError::Internal(e.to_string()))?
        }
        other => {
            return Err(OpError::Unsupported(format!(
                "shuffle of a {}",
                other.kind()
            )))
        }
    };
    if x.rank() == 0 {
        return Err(OpError::Unsupported("shuffle of a 0-d tensor".into()));
    }
    let axis = args::index(a.get(1).unwrap_or(&Value::Int(0)))?;
    let rank = x.rank() as i64;
    if axis < -rank || axis >= rank {
        return Err(OpError::Value(format!(
            "axis {axis} is out of bounds for array of dimension {rank}"
        )));
    }
    let axis = axis.rem_euclid(rank) as usize;
    let key = seed_key(a.value(2))?;
    let shape = x.shape().to_vec();
    let src = sample::shuffle_sources(key, &shape, axis);
    let inner: usize = shape[axis + 1..].iter().product();
    let len = shape[axis];
    let scalars: Vec<Scalar> = src
        .iter()
        .enumerate()
        .map(|(e, &s)| {
            let pos = (e / inner) % len;
            x.scalar(e - pos * inner + s * inner)
        })
        .collect();
    Tensor::from_scalars(downcast_64(x.dtype()), shape, &scalars)
        .map(Value::Tensor)
        .map_err(|e| OpError::Internal(e.to_string()))
}

/// `keras.random.categorical(logits, num_samples, dtype="int32", seed=None)`.
pub fn categorical(call: &OpCall) -> OpResult<Value> {
    let a = Args::bind(call, &["logits", "num_samples", "dtype", "seed"], 2)?;
    let Value::Tensor(logits) = a.value(0) else {
        return Err(OpError::Unsupported("logits that are not a tensor".into()));
    };
    if logits.rank() != 2 {
        return Err(OpError::Value(format!(
            "`logits` should be a 2-D tensor with shape [batch_size, num_classes]. \
             Received: logits={}",
            py_repr(a.value(0))
        )));
    }
    if Fl::of(logits.dtype()) != Some(Fl::F32) {
        return Err(OpError::Unsupported(format!(
            "categorical with {} logits",
            logits.dtype()
        )));
    }
    let d = match a.given(2) {
        None => DType::Int32,
        Some(v) => downcast_64(args::dtype(Some(v))?.unwrap_or(DType::Int32)),
    };
    let key = seed_key(a.value(3))?;
    let n = usize::try_from(args::index(a.value(1))?)
        .map_err(|_| OpError::Unsupported("a negative num_samples".into()))?;
    let (batch, classes) = (logits.shape()[0], logits.shape()[1]);
    check_size(&[batch, classes, n])?;
    let l: Vec<f32> = logits.to_f64_vec().into_iter().map(|v| v as f32).collect();
    // Gumbel noise of shape (batch, classes, n), argmax over classes.
    let g = sample::gumbel(key, batch * classes * n);
    let mut out = Vec::with_capacity(batch * n);
    for b in 0..batch {
        for s in 0..n {
            let mut best = 0usize;
            let mut best_v = f32::NEG_INFINITY;
            for c in 0..classes {
                let v = g[(b * classes + c) * n + s] + l[b * classes + c];
                if c == 0 || v > best_v || (v.is_nan() && !best_v.is_nan()) {
                    best = c;
                    best_v = v;
                }
            }
            out.push(Scalar::Int(best as i128));
        }
    }
    Tensor::from_scalars(d, vec![batch, n], &out)
        .map(Value::Tensor)
        .map_err(|e| OpError::Internal(e.to_string()))
}
