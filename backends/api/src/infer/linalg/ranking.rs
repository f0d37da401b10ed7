//! Rules of `TopK`, `InTopK`, `SegmentSum` and `SegmentMax`
//! (`keras/src/ops/math.py`).

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{bind, int_arg, require_spec, spec, tensor_spec, tuple_repr};
use crate::value::Value;

type R = Result<Value, BackendError>;

/// `TopK`: the last dimension becomes `k` (unchecked); values keep the
/// dtype, indices are `int32`.
pub fn top_k(call: &OpCall) -> R {
    let args = bind(call, &["x", "k", "sorted"], 2)?;
    let x = require_spec(args[0], "x")?;
    let k = int_arg(args[1])?.unwrap_or(0);
    let mut shape = x.shape.clone();
    let last = shape
        .last_mut()
        .ok_or_else(|| BackendError::raised("IndexError", "list assignment index out of range"))?;
    *last = usize::try_from(k).ok();
    Ok(Value::Tuple(vec![
        spec(shape.clone(), x.dtype),
        spec(shape, DType::Int32),
    ]))
}

/// `InTopK`: the targets' shape, `bool`.
pub fn in_top_k(call: &OpCall) -> R {
    let args = bind(call, &["targets", "predictions", "k"], 3)?;
    let targets = require_spec(args[0], "targets")?;
    Ok(spec(targets.shape, DType::Bool))
}

/// `_segment_reduce_validation`, then `(num_segments,) + data.shape[1:]`.
fn segment(call: &OpCall) -> R {
    let args = bind(call, &["data", "segment_ids", "num_segments", "sorted"], 2)?;
    let data = require_spec(args[0], "data")?;
    let ids = args[1]
        .and_then(tensor_spec)
        .ok_or_else(|| BackendError::raised("AttributeError", "object has no attribute 'shape'"))?;
    if ids.shape.len() > 1 {
        return Err(BackendError::value_error(format!(
            "Argument `segment_ids` should be an 1-D vector, got shape: {}. Consider either \
             flatten input with segment_ids.reshape((-1)) and data.reshape((-1, ) + \
             data.shape[len(segment_ids.shape):]) or vectorize with vmap.",
            ids.shape.len()
        )));
    }
    let (Some(&n_ids), Some(&n_data)) = (ids.shape.first(), data.shape.first()) else {
        return Err(BackendError::raised(
            "IndexError",
            "tuple index out of range",
        ));
    };
    if let (Some(a), Some(b)) = (n_ids, n_data) {
        if a != b {
            return Err(BackendError::value_error(format!(
                "Argument `segment_ids` and `data` should have same leading dimension. Got {} \
                 v.s. {}.",
                tuple_repr(&ids.shape),
                tuple_repr(&data.shape)
            )));
        }
    }
    let num_segments = int_arg(args[2])?.and_then(|n| usize::try_from(n).ok());
    let mut shape = vec![num_segments];
    shape.extend_from_slice(&data.shape[1..]);
    Ok(spec(shape, data.dtype))
}

/// `SegmentSum`.
pub fn segment_sum(call: &OpCall) -> R {
    segment(call)
}

/// `SegmentMax`.
pub fn segment_max(call: &OpCall) -> R {
    segment(call)
}
