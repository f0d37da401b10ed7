//! `keras.random.gamma`, `beta` and `binomial`: Keras-on-JAX argument
//! handling, dtypes and errors; values drawn by [`super::variates`] (exact in
//! law, not JAX's streams).

use kconform_api::promote::downcast_64;
use kconform_api::{DType, OpCall, Value};

use super::float::Fl;
use super::kernels::seed_key;
use super::threefry::{split2, Key};
use super::variates::{self, Stream};
use crate::args::{self, Args};
use crate::error::{check_size, int_tuple_repr, shape_repr, OpError, OpResult};

/// A distribution parameter as JAX sees it: values, shape, and its dtype
/// (`None` for a weakly typed Python scalar).
struct Param {
    values: Vec<f64>,
    shape: Vec<usize>,
    dtype: Option<DType>,
}

impl Param {
    /// Element `e` of the output of `shape`, broadcasting this parameter.
    fn at(&self, out: &[usize], e: usize) -> f64 {
        if self.values.len() == 1 {
            return self.values[0];
        }
        let offset = out.len() - self.shape.len();
        let (mut rem, mut idx, mut stride) = (e, 0, 1);
        for d in (0..out.len()).rev() {
            let i = rem % out[d].max(1);
            rem /= out[d].max(1);
            if d >= offset && self.shape[d - offset] != 1 {
                idx += i * stride;
                stride *= self.shape[d - offset];
            }
        }
        self.values[idx]
    }
}

/// Nested Python lists of numbers as `jnp.array` reads them.
fn list_param(items: &[Value]) -> OpResult<Param> {
    fn walk(v: &Value, depth: usize, shape: &mut Vec<usize>, out: &mut Vec<f64>) -> OpResult<bool> {
        match v {
            Value::List(items) | Value::Tuple(items) => {
                if shape.len() == depth {
                    shape.push(items.len());
                } else if shape.get(depth) != Some(&items.len()) {
                    return Err(OpError::Unsupported("a ragged list parameter".into()));
                }
                let mut float = false;
                for i in items {
                    float |= walk(i, depth + 1, shape, out)?;
                }
                Ok(float)
            }
            Value::Float(f) => {
                out.push(*f);
                Ok(true)
            }
            Value::Int(i) => {
                out.push(*i as f64);
                Ok(false)
            }
            Value::Bool(b) => {
                out.push(f64::from(u8::from(*b)));
                Ok(false)
            }
            other => Err(OpError::Unsupported(format!(
                "a list parameter holding a {}",
                other.kind()
            ))),
        }
    }
    let (mut shape, mut values) = (Vec::new(), Vec::new());
    let float = walk(&Value::List(items.to_vec()), 0, &mut shape, &mut values)?;
    Ok(Param {
        values,
        shape,
        dtype: Some(if float { DType::Float32 } else { DType::Int32 }),
    })
}

/// A parameter argument; `lists` says whether Python lists are accepted
/// (`jnp.array` in beta and binomial; gamma passes them to a traced function,
/// which fails).
fn param(v: &Value, lists: bool) -> OpResult<Param> {
    let scalar = |x: f64| Param {
        values: vec![x],
        shape: Vec::new(),
        dtype: None,
    };
    match v {
        Value::Float(f) => Ok(scalar(*f)),
        Value::Int(i) => Ok(scalar(*i as f64)),
        Value::Bool(b) => Ok(scalar(f64::from(u8::from(*b)))),
        Value::Tensor(t) => Ok(Param {
            values: t.to_f64_vec(),
            shape: t.shape().to_vec(),
            dtype: Some(downcast_64(t.dtype())),
        }),
        Value::List(items) if lists => list_param(items),
        other => Err(OpError::Unsupported(format!(
            "a {} distribution parameter",
            other.kind()
        ))),
    }
}

/// `core.canonicalize_shape` then `lax.broadcast_shapes`'s check: a negative
/// dimension is a `TypeError`.
fn shape_of(v: &Value) -> OpResult<Vec<usize>> {
    let dims = match v {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(args::index)
            .collect::<OpResult<Vec<_>>>()?,
        other => vec![args::index(other)?],
    };
    if dims.iter().any(|&d| d < 0) {
        return Err(OpError::Type(format!(
            "Only non-negative indices are allowed when broadcasting static shapes, \
             but got shape {}.",
            int_tuple_repr(dims.iter().copied())
        )));
    }
    let shape: Vec<usize> = dims.into_iter().map(|d| d as usize).collect();
    check_size(&shape)?;
    Ok(shape)
}

/// `jax.random._check_shape(name, shape, *param_shapes)`.
fn check_shape(name: &str, shape: &[usize], params: &[&Param]) -> OpResult<()> {
    let rank = params
        .iter()
        .map(|p| p.shape.len())
        .chain([shape.len()])
        .max()
        .unwrap_or(0);
    let mut out = vec![1usize; rank];
    let all: Vec<&[usize]> = std::iter::once(shape)
        .chain(params.iter().map(|p| p.shape.as_slice()))
        .collect();
    for s in &all {
        for (i, &d) in s.iter().enumerate() {
            let o = &mut out[rank - s.len() + i];
            if *o == 1 {
                *o = d;
            } else if d != 1 && d != *o {
                let shapes: Vec<String> = all.iter().map(|s| shape_repr(s)).collect();
                return Err(OpError::Value(format!(
                    "Incompatible shapes for broadcasting: shapes=[{}]",
                    shapes.join(", ")
                )));
            }
        }
    }
    if out != shape {
        return Err(OpError::Value(format!(
            "{name} parameter shapes must be broadcast-compatible with shape argument, \
             and the result of broadcasting the shapes must equal the shape argument, \
             but got result {} for shape argument {}.",
            shape_repr(&out),
            shape_repr(shape)
        )));
    }
    Ok(())
}

/// The sampling format of `dtype` (default `float32`); JAX's error otherwise.
fn float_format(v: Option<&Value>, name: &str) -> OpResult<(Fl, DType)> {
    let d = args::dtype(v)?.unwrap_or(DType::Float32);
    match Fl::of(d) {
        Some(fl) => Ok((fl, downcast_64(d))),
        None => Err(OpError::Value(format!(
            "dtype argument to `{name}` must be a float dtype, got {}",
            d.name()
        ))),
    }
}

/// Draws `f(stream of element e, e)` for every element, rounded into `fl`.
fn draw(
    key: Key,
    shape: Vec<usize>,
    fl: Fl,
    f: impl Fn(&mut Stream, usize) -> f64,
) -> OpResult<Value> {
    let n: usize = shape.iter().product();
    let values = (0..n)
        .map(|e| fl.round_f64(f(&mut Stream::new(key, e as u64), e)))
        .collect();
    Ok(Value::Tensor(fl.tensor(shape, values)?))
}

/// `keras.random.gamma(shape, alpha, dtype=None, seed=None)`.
pub fn gamma(call: &OpCall) -> OpResult<Value> {
    let a = Args::bind(call, &["shape", "alpha", "dtype", "seed"], 2)?;
    let key = seed_key(a.value(3))?;
    let (fl, _) = float_format(a.get(2), "gamma")?;
    let shape = shape_of(a.value(0))?;
    let alpha = param(a.value(1), false)?;
    check_shape("gamma", &shape, &[&alpha])?;
    let out = shape.clone();
    draw(key, shape, fl, |s, e| {
        variates::gamma(s, f64::from(fl.round_f64(alpha.at(&out, e))))
    })
}

/// `jax.random._check_all_safe_to_cast`: a typed float parameter must
/// promote to `target` unchanged.
fn check_safe_cast(name: &str, target: DType, params: &[&Param]) -> OpResult<()> {
    for p in params {
        let Some(d) = p.dtype.filter(|d| d.is_float()) else {
            continue;
        };
        let safe = d == target
            || (target == DType::Float32 && matches!(d, DType::Float16 | DType::Bfloat16));
        if !safe {
            return Err(OpError::TypePromotion(format!(
                "In arguments to {name}, cannot safely cast argument of type {} to {}",
                d.name(),
                target.name()
            )));
        }
    }
    Ok(())
}

/// `keras.random.beta(shape, alpha, beta, dtype=None, seed=None)`.
pub fn beta(call: &OpCall) -> OpResult<Value> {
    let a = Args::bind(call, &["shape", "alpha", "beta", "dtype", "seed"], 3)?;
    let key = seed_key(a.value(4))?;
    let (fl, d) = float_format(a.get(3), "beta")?;
    let (pa, pb) = (param(a.value(1), true)?, param(a.value(2), true)?);
    check_safe_cast("beta", d, &[&pa, &pb])?;
    let shape = shape_of(a.value(0))?;
    check_shape("beta", &shape, &[&pa, &pb])?;
    let (ka, kb) = split2(key);
    let out = shape.clone();
    draw(ka, shape, fl, |sa, e| {
        let mut sb = Stream::new(kb, e as u64);
        let x = f64::from(fl.round_f64(pa.at(&out, e)));
        let y = f64::from(fl.round_f64(pb.at(&out, e)));
        variates::beta(sa, &mut sb, x, y)
    })
}

/// `keras.random.binomial(shape, counts, probabilities, dtype=None, seed=None)`.
pub fn binomial(call: &OpCall) -> OpResult<Value> {
    let a = Args::bind(
        call,
        &["shape", "counts", "probabilities", "dtype", "seed"],
        3,
    )?;
    let key = seed_key(a.value(4))?;
    let (fl, _) = float_format(a.get(3), "binomial")?;
    let (counts, probs) = (param(a.value(1), true)?, param(a.value(2), true)?);
    let shape = shape_of(a.value(0))?;
    check_shape("binomial", &shape, &[&counts, &probs])?;
    // The probabilities are computed in their own (inexact) dtype: float32
    // unless a half-float tensor was given.
    let pfl = probs.dtype.and_then(Fl::of).unwrap_or(Fl::F32);
    let out = shape.clone();
    draw(key, shape, fl, |s, e| {
        let p = f64::from(pfl.round_f64(probs.at(&out, e)));
        let n = f64::from(pfl.round_f64(counts.at(&out, e)));
        variates::binomial(s, n, p)
    })
}
