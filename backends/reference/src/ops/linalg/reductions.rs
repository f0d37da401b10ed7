//! `logsumexp` (`jax.scipy.special.logsumexp`) and the quantile family
//! (`median`, `quantile`, `percentile`: `jnp`'s sort-and-interpolate).

use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};
use ndarray::ArrayView1;

use crate::args::{axes, truthy, Args};
use crate::array::{from_vec, with_float_dtype, Array};
use crate::axes::{reduce_lanes, reduction_axes};
use crate::convert::{convert, to_array, to_array_strict};
use crate::elem::{Elem, FloatElem};
use crate::elementwise::{float_result_dtype, tensor};
use crate::error::{OpError, OpResult};

/// `max(l)` (with `-inf` as the initial value) made 0 when not finite, then
/// `log(sum(exp(l - max))) + max`, each step rounded in `T`.
fn lane_logsumexp<T: FloatElem>(l: &ArrayView1<'_, T>) -> T {
    let m = l
        .iter()
        .fold(T::store(f32::NEG_INFINITY), |acc, &v| acc.xla_max(v));
    let m = if m.load().is_finite() { m } else { T::zero() };
    let exps: Vec<T> = l
        .iter()
        .map(|&v| T::store64(f64::from(v.sub(m).load()).exp()))
        .collect();
    let s = T::sum_of(exps.into_iter()).abs();
    T::store64(f64::from(s.load()).ln()).add(m)
}

/// `keras.ops.logsumexp(x, axis=None, keepdims=False)`.
pub fn logsumexp(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis", "keepdims"], 1)?;
    let x = to_array_strict(args.value(0), "logsumexp")?;
    let reduced = reduction_axes(args.get(1), x.ndim())?;
    let keepdims = truthy(args.value(2))?;
    let dtype = float_result_dtype(x.dtype())?;
    let x = x.cast(dtype);
    let out = with_float_dtype!(dtype, T => {
        T::wrap(reduce_lanes(&x.into_typed::<T>(), &reduced, keepdims, |l| lane_logsumexp(&l))?)
    }, _ => return Err(OpError::Internal(format!("logsumexp on {dtype}"))));
    tensor(out)
}

/// How `quantile` picks between the two neighbouring order statistics.
#[derive(Clone, Copy, PartialEq)]
enum Method {
    Linear,
    Lower,
    Higher,
    Midpoint,
    Nearest,
}

impl Method {
    fn read(v: Option<&Value>) -> OpResult<Method> {
        Ok(match v {
            None => Method::Linear,
            Some(Value::Str(s)) => match s.as_str() {
                "linear" => Method::Linear,
                "lower" => Method::Lower,
                "higher" => Method::Higher,
                "midpoint" => Method::Midpoint,
                "nearest" => Method::Nearest,
                "inverted_cdf" => {
                    return Err(OpError::Unsupported("quantile method inverted_cdf".into()))
                }
                _ => return Err(bad_method()),
            },
            Some(_) => return Err(bad_method()),
        })
    }
}

fn bad_method() -> OpError {
    OpError::Value(
        "method can only be 'linear', 'lower', 'higher', 'midpoint', 'nearest' or \
         'inverted_cdf'"
            .into(),
    )
}

/// The probabilities, in their own float dtype `Q`.
struct Probabilities {
    values: Vec<f32>,
    dtype: DType,
    /// `None` for a scalar `q`, else its length.
    len: Option<usize>,
}

/// One order statistic interpolation, as `jnp`'s `_quantile` computes it
/// in `q`'s dtype `Q` on a sorted lane of values in `T`.
fn interpolate<T: FloatElem, Q: FloatElem>(sorted: &[T], q: Q, method: Method) -> T {
    let n = Q::from_scalar(Scalar::Int(sorted.len() as i128));
    let nm1 = n.sub(Q::one());
    let pos = q.mul(nm1);
    let low = Q::store(pos.load().floor());
    let high = Q::store(pos.load().ceil());
    let hw = pos.sub(low);
    let lw = Q::one().sub(hw);
    let clamp = |v: Q| v.xla_max(Q::zero()).xla_min(nm1);
    // NaN positions convert to index 0, as XLA's float-to-int does.
    let index = |v: Q| (clamp(v).load() as usize).min(sorted.len().saturating_sub(1));
    let (lo, hi) = (sorted[index(low)], sorted[index(high)]);
    match method {
        Method::Linear => {
            let as_q = |v: T| Q::from_scalar(v.scalar());
            let r = as_q(lo).mul(lw).add(as_q(hi).mul(hw));
            T::from_scalar(r.scalar())
        }
        Method::Lower => lo,
        Method::Higher => hi,
        Method::Nearest => {
            if hw.load() <= 0.5 {
                lo
            } else {
                hi
            }
        }
        Method::Midpoint => lo.add(hi).mul(T::from_scalar(Scalar::Float(0.5))),
    }
}

/// Sorts a lane (NaN anywhere makes the whole lane NaN; `-0.0` sorts below `0.0`).
fn sorted_lane<T: FloatElem>(l: &ArrayView1<'_, T>) -> Vec<T> {
    if l.iter().any(|v| v.load().is_nan()) {
        return vec![T::from_scalar(Scalar::Float(f64::NAN)); l.len()];
    }
    let mut v: Vec<T> = l.to_vec();
    v.sort_by(|a, b| a.load().total_cmp(&b.load()));
    v
}

/// `jnp.quantile(a, q, axis, method, keepdims)` after Keras's conversions.
fn quantile_of(
    x: Array,
    q: &Probabilities,
    axis: Option<&Value>,
    method: Method,
    keepdims: bool,
) -> OpResult<Value> {
    super::refuse_list_axis(axis)?;
    let dtype = float_result_dtype(x.dtype())?;
    let reduced = if axes(axis)?.is_some_and(|a| a.len() > 1) {
        reduction_axes(axis, x.ndim()).map_err(|e| match e {
            OpError::Value(m) if m.starts_with("duplicate") => {
                OpError::Value("repeated axis".into())
            }
            other => other,
        })?
    } else {
        reduction_axes(axis, x.ndim())?
    };
    let x = x.cast(dtype);
    if reduced.iter().any(|&i| x.shape()[i] == 0) || (x.is_empty() && axis.is_none()) {
        return Err(OpError::Type(
            "Slice size at index 0 in gather op is out of range, must be within [0, 0 + 1), \
             got 1."
                .into(),
        ));
    }
    let out = with_float_dtype!(dtype, T => {
        let a = x.into_typed::<T>();
        let lanes = reduce_lanes(&a, &reduced, keepdims, |l| sorted_lane(&l))?;
        let lane_shape = lanes.shape().to_vec();
        let count = q.len.unwrap_or(1);
        let mut data: Vec<T> = Vec::with_capacity(count * lanes.len());
        for &qv in &q.values {
            with_float_dtype!(q.dtype, Q => {
                let qq = Q::from_scalar(Scalar::Float(f64::from(qv)));
                data.extend(lanes.iter().map(|s| interpolate::<T, Q>(s, qq, method)));
            }, _ => return Err(OpError::Internal("non-float q".into())));
        }
        let mut shape = Vec::new();
        if let Some(n) = q.len {
            shape.push(n);
        }
        shape.extend(lane_shape);
        T::wrap(from_vec(&shape, data)?)
    }, _ => return Err(OpError::Internal(format!("quantile on {dtype}"))));
    tensor(out)
}

/// `q` converted as Keras converts it (`convert_to_tensor`); integer `q`
/// reaches `lax.floor`, which refuses it. With `percent`, `q` is promoted to
/// a float first and divided by 100 (XLA multiplies by the reciprocal).
fn probabilities(v: &Value, percent: bool) -> OpResult<Probabilities> {
    let q = convert(v)?.array;
    if q.ndim() > 1 {
        return Err(OpError::Value(format!(
            "q must be have rank <= 1, got shape {}",
            crate::error::shape_repr(q.shape())
        )));
    }
    let len = (q.ndim() == 1).then(|| q.len());
    let dtype = if q.dtype().is_float() {
        q.dtype()
    } else if percent {
        DType::Float32
    } else {
        return Err(OpError::Type(format!(
            "floor does not accept dtype {}. Accepted dtypes are subtypes of floating.",
            q.dtype()
        )));
    };
    let values = with_float_dtype!(dtype, Q => {
        let hundredth = Q::store(0.01);
        q.cast(dtype)
            .into_typed::<Q>()
            .iter()
            .map(|&v| if percent { v.mul(hundredth).load() } else { v.load() })
            .collect()
    }, _ => return Err(OpError::Internal("non-float q".into())));
    Ok(Probabilities { values, dtype, len })
}

/// `keras.ops.median(x, axis=None, keepdims=False)`: the `midpoint`
/// quantile at `q = 0.5` (`float32`).
pub fn median(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis", "keepdims"], 1)?;
    let x = to_array(args.value(0))?;
    let keepdims = truthy(args.value(2))?;
    // Keras turns a list axis into a tuple for `jnp.median`.
    let axis = match args.get(1) {
        Some(Value::List(items)) => Some(Value::Tuple(items.clone())),
        other => other.cloned(),
    };
    let q = Probabilities {
        values: vec![0.5],
        dtype: DType::Float32,
        len: None,
    };
    quantile_of(x, &q, axis.as_ref(), Method::Midpoint, keepdims)
}

/// `quantile`/`percentile(x, q, axis=None, method="linear", keepdims=False)`.
fn quantile_like(call: &OpCall, percent: bool) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "q", "axis", "method", "keepdims"], 2)?;
    let x = to_array(args.value(0))?;
    let method = Method::read(args.get(3))?;
    let keepdims = truthy(args.value(4))?;
    let q = probabilities(args.value(1), percent)?;
    quantile_of(x, &q, args.get(2), method, keepdims)
}

/// `keras.ops.quantile`.
pub fn quantile(call: &OpCall) -> OpResult<Value> {
    quantile_like(call, false)
}

/// `keras.ops.percentile` (`q` in percent).
pub fn percentile(call: &OpCall) -> OpResult<Value> {
    quantile_like(call, true)
}
