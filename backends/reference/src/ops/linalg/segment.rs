//! `segment_sum` and `segment_max` (`jax.ops.segment_*`): a scatter into
//! `num_segments` rows in index order, in the data's dtype (so half floats
//! round at every step); out-of-range and negative ids are dropped.

use kconform_api::{DType, OpCall, Value};

use crate::args::{index, py_type_name, Args};
use crate::array::{from_vec, with_dtype, Array, Unwrap};
use crate::convert::to_array;
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{shape_repr, OpError, OpResult};

/// Keras's `_segment_reduce_validation` (it reads `.shape` of both inputs).
fn validated<'a>(call: &'a OpCall) -> OpResult<(Args<'a>, Array, Vec<i64>)> {
    let args = Args::bind(call, &["data", "segment_ids", "num_segments", "sorted"], 2)?;
    for i in 0..2 {
        let v = args.value(i);
        if !matches!(v, Value::Tensor(_)) {
            return Err(OpError::Attribute(format!(
                "'{}' object has no attribute 'shape'",
                py_type_name(v)
            )));
        }
    }
    let data = to_array(args.value(0))?;
    let ids = to_array(args.value(1))?;
    if ids.ndim() > 1 {
        return Err(OpError::Value(format!(
            "Argument `segment_ids` should be an 1-D vector, got shape: {}. Consider either \
             flatten input with segment_ids.reshape((-1)) and data.reshape((-1, ) + \
             data.shape[len(segment_ids.shape):]) or vectorize with vmap.",
            ids.ndim()
        )));
    }
    if ids.ndim() == 0 || data.ndim() == 0 {
        return Err(OpError::Index("tuple index out of range".into()));
    }
    if ids.shape()[0] != data.shape()[0] {
        return Err(OpError::Value(format!(
            "Argument `segment_ids` and `data` should have same leading dimension. Got {} v.s. \
             {}.",
            shape_repr(ids.shape()),
            shape_repr(data.shape())
        )));
    }
    let num_segments = match args.get(2) {
        None => {
            return Err(OpError::Value(
                "Argument `num_segments` must be set when using the JAX backend. Received: \
                 num_segments=None"
                    .into(),
            ))
        }
        Some(v) => index(v)?,
    };
    if ids.dtype().is_float() {
        return Err(OpError::Type(format!(
            "Indexer must have integer or boolean type, got indexer with type {}",
            ids.dtype()
        )));
    }
    if num_segments < 0 {
        return Err(OpError::Value("num_segments must be non-negative.".into()));
    }
    let ids = ids
        .scalars()
        .into_iter()
        .map(|s| s.as_f64() as i64)
        .collect();
    Ok((args, data, ids))
}

/// Folds every row of `data` into the row of its segment with `op`,
/// starting from `init`.
fn scatter<T: Unwrap>(
    data: Array,
    ids: &[i64],
    segments: usize,
    init: T,
    op: fn(T, T) -> T,
) -> OpResult<Array> {
    let shape = data.shape().to_vec();
    let row: usize = shape[1..].iter().product();
    let values: Vec<T> = data.into_typed::<T>().iter().copied().collect();
    let mut out = vec![init; segments * row];
    for (r, &id) in ids.iter().enumerate() {
        if id < 0 || id as usize >= segments {
            continue;
        }
        let dst = id as usize * row;
        for j in 0..row {
            out[dst + j] = op(out[dst + j], values[r * row + j]);
        }
    }
    let mut out_shape = vec![segments];
    out_shape.extend_from_slice(&shape[1..]);
    Ok(T::wrap(from_vec(&out_shape, out)?))
}

/// `keras.ops.segment_sum(data, segment_ids, num_segments=None, sorted=False)`
/// (`bool` data is refused by `scatter_add`).
pub fn segment_sum(call: &OpCall) -> OpResult<Value> {
    let (args, data, ids) = validated(call)?;
    let segments = index(args.value(2))? as usize;
    if data.dtype() == DType::Bool {
        return Err(OpError::Type(
            "add does not accept dtype bool at position 0. Accepted dtypes at position 0 are \
             subtypes of integer, floating, complexfloating."
                .into(),
        ));
    }
    let out =
        with_dtype!(data.dtype(), T => scatter::<T>(data, &ids, segments, T::zero(), T::add)?);
    tensor(out)
}

/// The identity of `max` in `T`: `-inf`, the minimum integer, or `False`.
fn lowest<T: Elem>() -> T {
    if T::DTYPE == DType::Bool {
        return T::zero();
    }
    // Float-to-int conversion saturates: the minimum integer (0 unsigned).
    T::from_scalar(kconform_api::tensor::Scalar::Float(f64::NEG_INFINITY))
}

/// `keras.ops.segment_max(...)`: empty segments hold the identity of `max`.
pub fn segment_max(call: &OpCall) -> OpResult<Value> {
    let (args, data, ids) = validated(call)?;
    let segments = index(args.value(2))? as usize;
    let out = with_dtype!(data.dtype(), T => scatter::<T>(data, &ids, segments, lowest::<T>(), T::xla_max)?);
    tensor(out)
}
