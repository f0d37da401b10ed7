//! `softmax` and `log_softmax` along one axis, a tuple of axes (Keras
//! transposes them last and flattens them), a list of axes, or all axes.

use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};

use super::float::floating;
use super::lanes::map_lanes;
use super::xla_math::exp;
use crate::args::{axes, index, py_repr, py_type_name, Args};
use crate::array::{with_array, with_float_dtype, Array};
use crate::axes::{canonical_axis, reduction_axes};
use crate::binary::true_div;
use crate::convert::to_array;
use crate::elem::{flush, Elem, FloatElem};
use crate::elementwise::tensor;
use crate::error::{int_tuple_repr, shape_repr, OpError, OpResult};
use crate::random::xla_math::log;

/// The axes a normalization runs over, in lane order.
fn lane_axes(axis: Option<&Value>, shape: &[usize], jitted: bool) -> OpResult<Vec<usize>> {
    let ndim = shape.len();
    match axis {
        // Keras: transpose `(kept..., *axis)`, reshape to `(kept..., -1)`.
        Some(Value::Tuple(items)) => {
            let given = items.iter().map(index).collect::<OpResult<Vec<i64>>>()?;
            let kept = (0..ndim as i64).filter(|v| !given.contains(v));
            let perm = kept
                .chain(given.iter().copied())
                .map(|a| canonical_axis(a, ndim))
                .collect::<OpResult<Vec<usize>>>()?;
            let mut sorted = perm.clone();
            sorted.sort_unstable();
            if sorted != (0..ndim).collect::<Vec<_>>() {
                return Err(OpError::Type(format!(
                    "transpose permutation isn't a permutation of operand dimensions, got \
                     permutation {} for operand shape {}.",
                    int_tuple_repr(perm.iter().map(|&p| p as i64)),
                    shape_repr(shape)
                )));
            }
            Ok(perm[ndim - given.len()..].to_vec())
        }
        Some(v @ Value::List(_)) if jitted => Err(OpError::Value(format!(
            "Non-hashable static arguments are not supported. An error occurred while trying \
             to hash an object of type <class 'list'>, {}. The error was:\nTypeError: \
             unhashable type: 'list'\n",
            py_repr(v)
        ))),
        None | Some(Value::None) => Ok((0..ndim).collect()),
        Some(Value::List(_)) => reduction_axes(axis, ndim),
        Some(other) => {
            let list = axes(Some(other))?.unwrap_or_default();
            list.iter().map(|&a| canonical_axis(a, ndim)).collect()
        }
    }
}

/// Whether `jnp`'s `keepdims` divisor is broadcast against the lanes (any
/// normalized axis longer than one), which turns XLA's division into a
/// product with the reciprocal.
fn broadcast_divisor(shape: &[usize], lane: &[usize]) -> bool {
    lane.iter().any(|&a| shape[a] != 1)
}

/// `x - max(x, initial=-inf)` along a lane, in the lane's own dtype (integers
/// wrap).
fn shift<E: Elem>(lane: &[E]) -> Vec<E> {
    let m = lane
        .iter()
        .fold(E::from_scalar(Scalar::Float(f64::NEG_INFINITY)), |a, &v| {
            a.xla_max(v)
        });
    lane.iter().map(|&v| v.sub(m)).collect()
}

/// Binds `(x, axis=-1)`, refuses bool (`x - max` is a bool subtraction) and
/// returns the shifted lanes, as float (integers become `float32` after
/// the wrapping subtraction), with the lane axes.
fn shifted(call: &OpCall, name: &str) -> OpResult<(Array, Vec<usize>, bool)> {
    let args = Args::bind(call, &["x", "axis"], 1)?;
    let raw = args.value(0);
    let axis = match args.given(1) {
        None => Some(&Value::Int(-1)),
        given => given,
    };
    let reads_shape = match axis {
        Some(Value::Tuple(_)) => true,
        Some(Value::Int(_) | Value::Bool(_)) => name == "softmax",
        _ => false,
    };
    if reads_shape {
        // Keras reads `x.shape` before converting `x`.
        if !matches!(raw, Value::Tensor(_)) {
            return Err(OpError::Attribute(format!(
                "'{}' object has no attribute 'shape'",
                py_type_name(raw)
            )));
        }
    }
    let x = to_array(raw)?;
    let lane = lane_axes(axis, x.shape(), name == "log_softmax")?;
    if x.dtype() == DType::Bool {
        return Err(OpError::Type(
            "sub does not accept dtype bool at position 0. Accepted dtypes at position 0 are \
             subtypes of integer, floating, complexfloating."
                .into(),
        ));
    }
    let reciprocal = broadcast_divisor(x.shape(), &lane);
    let shifted = with_array!(x, a => Elem::wrap(map_lanes(&a, &lane, shift)?));
    Ok((floating(shifted), lane, reciprocal))
}

/// `exp(s) / sum(exp(s))` of a shifted lane.
fn normalize<T: FloatElem>(lane: &[T], reciprocal: bool) -> Vec<T> {
    let e: Vec<T> = lane.iter().map(|v| T::store(exp(v.load()))).collect();
    let total = T::sum_of(e.iter().copied());
    e.iter().map(|&v| true_div(v, total, reciprocal)).collect()
}

/// `s - log(sum(exp(s)))` of a shifted lane (one fused XLA computation; the
/// sum accumulates in `float32`, and in a `bfloat16` computation the `exp`
/// values reach it unrounded).
fn log_normalize<T: FloatElem>(lane: &[T]) -> Vec<T> {
    let e = lane.iter().map(|v| {
        let e = exp(v.load());
        if T::DTYPE == DType::Bfloat16 {
            flush(e)
        } else {
            T::store(e).load()
        }
    });
    let total = T::store(<f32 as Elem>::sum_of(e)).load();
    let lse = T::store(log(total)).load();
    lane.iter().map(|v| T::store(v.load() - lse)).collect()
}

/// `keras.ops.softmax(x, axis=-1)`: `exp(x - max) / sum(exp(x - max))`.
pub fn softmax(call: &OpCall) -> OpResult<Value> {
    let (s, lane, reciprocal) = shifted(call, "softmax")?;
    let d = s.dtype();
    tensor(with_float_dtype!(d, T => {
        let a = s.into_typed::<T>();
        T::wrap(map_lanes(&a, &lane, |l| normalize(l, reciprocal))?)
    }, _ => return Err(OpError::Internal(format!("softmax on {d}")))))
}

/// `keras.ops.log_softmax(x, axis=-1)`: `(x - max) - log(sum(exp(x - max)))`.
pub fn log_softmax(call: &OpCall) -> OpResult<Value> {
    let (s, lane, _) = shifted(call, "log_softmax")?;
    let d = s.dtype();
    tensor(with_float_dtype!(d, T => {
        let a = s.into_typed::<T>();
        T::wrap(map_lanes(&a, &lane, log_normalize)?)
    }, _ => return Err(OpError::Internal(format!("log_softmax on {d}")))))
}
