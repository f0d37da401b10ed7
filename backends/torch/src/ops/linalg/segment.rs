//! `segment_sum` and `segment_max` (`keras/src/ops/math.py`'s validation,
//! `keras/src/backend/torch/math.py`'s `_segment_reduction_fn`).

use kconform_api::{BackendError, DType, OpCall, Value};

use super::int_arg;
use crate::args::{bind, py_repr, py_type_name};
use crate::error::TorchResult;
use crate::keras::{cast, convert, dtype, output, tensor, to_torch_dtype, Ctx, R};

/// `x.shape` of an argument as Keras's validation reads it before any
/// conversion: a NumPy array's shape tuple; anything else has none.
fn host_shape(v: &Value) -> R<Vec<usize>> {
    match v {
        Value::Tensor(t) => Ok(t.shape().to_vec()),
        other => Err(BackendError::raised(
            "AttributeError",
            format!("'{}' object has no attribute 'shape'", py_type_name(other)),
        )),
    }
}

/// A shape as Python prints a tuple.
fn shape_tuple(s: &[usize]) -> String {
    py_repr(&Value::Tuple(
        s.iter().map(|&d| Value::Int(d as i64)).collect(),
    ))
}

/// Keras's `_segment_reduce_validation(data, segment_ids)`.
fn validate(data: &Value, segment_ids: &Value) -> R<()> {
    let data_shape = host_shape(data)?;
    let ids_shape = host_shape(segment_ids)?;
    if ids_shape.len() > 1 {
        return Err(BackendError::value_error(format!(
            "Argument `segment_ids` should be an 1-D vector, got shape: {}. Consider either \
             flatten input with segment_ids.reshape((-1)) and data.reshape((-1, ) + \
             data.shape[len(segment_ids.shape):]) or vectorize with vmap.",
            ids_shape.len()
        )));
    }
    let out_of_range = || BackendError::raised("IndexError", "tuple index out of range");
    let ids_lead = ids_shape.first().ok_or_else(out_of_range)?;
    let data_lead = data_shape.first().ok_or_else(out_of_range)?;
    if ids_lead != data_lead {
        return Err(BackendError::value_error(format!(
            "Argument `segment_ids` and `data` should have same leading dimension. Got {} v.s. \
             {}.",
            shape_tuple(&ids_shape),
            shape_tuple(&data_shape)
        )));
    }
    Ok(())
}

/// Keras-torch's `_segment_reduction_fn`: segment ids repeated over `data`'s
/// trailing elements, out-of-range ids (negative or `>= num_segments`) sent to
/// an extra segment that is dropped, `num_segments` defaulting to `max(ids) +
/// 1` (also when it is 0), and `scatter_reduce` into a float32 buffer of
/// zeros (`sum`) or -inf (`amax`) from `data.float()`: so every dtype is
/// reduced in float32 and cast back, and an empty segment of `amax` holds
/// -inf cast to the data's dtype.
fn segment_reduce(ctx: Ctx, call: &OpCall, method: &str) -> R<Value> {
    let a = bind(call, &["data", "segment_ids", "num_segments", "sorted"], 2)?;
    validate(a.req(0), a.req(1))?;
    let data = tensor(ctx, a.req(0))?;
    let ids = tensor(ctx, a.req(1))?;
    let shape = data.size();
    let trailing = shape.get(1..).unwrap_or(&[]);
    let repeats: i64 = trailing.iter().product();
    let repeats = convert(ctx, &Value::Int(repeats), Some(DType::Int64))?;
    let ids = ids
        .f_repeat_interleave_self_tensor(&repeats, None, None)
        .py()?
        .f_view(shape.as_slice())
        .py()?
        .f_to_kind(tch::Kind::Int64)
        .py()?;
    let asked = a.opt(2).map(|v| int_arg(v, "num_segments")).transpose()?;
    let n = match asked {
        Some(n) if n != 0 => n,
        _ => ids.f_max().py()?.f_int64_value(&[]).py()?.saturating_add(1),
    };
    let n_t = convert(ctx, &Value::Int(n), Some(DType::Int64))?;
    let zero = convert(ctx, &Value::Int(0), Some(DType::Int64))?;
    let ids = ids.f_where_self(&ids.f_ge_tensor(&zero).py()?, &n_t).py()?;
    let ids = ids.f_where_self(&ids.f_lt_tensor(&n_t).py()?, &n_t).py()?;
    let mut buffer_shape = vec![n.saturating_add(1)];
    buffer_shape.extend_from_slice(trailing);
    let options = (to_torch_dtype(DType::Float32)?, ctx.device);
    let buffer = if method == "amax" {
        let ones = tch::Tensor::f_ones(buffer_shape.as_slice(), options).py()?;
        let minus_inf = convert(ctx, &Value::Float(f64::NEG_INFINITY), None)?;
        ones.f_mul(&minus_inf).py()?
    } else {
        tch::Tensor::f_zeros(buffer_shape.as_slice(), options).py()?
    };
    let src = cast(data.shallow_clone(), DType::Float32)?;
    // scatter's index check is a plain TORCH_CHECK (RuntimeError), though its
    // message reads like the advanced-indexing IndexError one.
    let result = buffer
        .f_internal_scatter_reduce(0, &ids, &src, method, true)
        .py()
        .map_err(|e| match e {
            BackendError::Raised { message, .. } => BackendError::raised("RuntimeError", message),
            other => other,
        })?;
    let result = result.f_slice(0, None::<i64>, Some(-1), 1).py()?;
    output(&cast(result, dtype(&data)?)?)
}

/// `segment_sum(data, segment_ids, num_segments=None, sorted=False)`.
pub fn segment_sum(ctx: Ctx, call: &OpCall) -> R<Value> {
    segment_reduce(ctx, call, "sum")
}

/// `segment_max(data, segment_ids, num_segments=None, sorted=False)`.
pub fn segment_max(ctx: Ctx, call: &OpCall) -> R<Value> {
    segment_reduce(ctx, call, "amax")
}
