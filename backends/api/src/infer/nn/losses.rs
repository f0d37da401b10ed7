//! Inference rules of the cross-entropy losses, after `compute_output_spec`
//! of `keras/src/ops/nn.py` (3.15.1): the result always has the output's
//! dtype (eager may promote), and `categorical_crossentropy` always drops the
//! last axis whatever `axis` says.

use super::super::util::{bind, canonicalize_axis, int_arg, require_spec, spec, tuple_repr};
use crate::call::OpCall;
use crate::error::BackendError;
use crate::value::{TensorSpec, Value};

type R<T> = Result<T, BackendError>;

/// Binds `(target, output, from_logits[, axis])` and returns both specs.
fn specs(call: &OpCall, with_axis: bool) -> R<(TensorSpec, TensorSpec, Vec<Option<&Value>>)> {
    let params: &[&str] = if with_axis {
        &["target", "output", "from_logits", "axis"]
    } else {
        &["target", "output", "from_logits"]
    };
    let args = bind(call, params, 2)?;
    let t = require_spec(args[0], "target")?;
    let o = require_spec(args[1], "output")?;
    Ok((t, o, args))
}

/// The equal-shape check of the binary and categorical losses.
fn same_shape(t: &TensorSpec, o: &TensorSpec) -> R<()> {
    if t.shape != o.shape {
        return Err(BackendError::value_error(format!(
            "Arguments `target` and `output` must have the same shape. Received: \
             target.shape={}, output.shape={}",
            tuple_repr(&t.shape),
            tuple_repr(&o.shape)
        )));
    }
    Ok(())
}

/// `keras.ops.binary_crossentropy`.
pub fn binary_crossentropy(call: &OpCall) -> R<Value> {
    let (t, o, _) = specs(call, false)?;
    same_shape(&t, &o)?;
    Ok(spec(o.shape, o.dtype))
}

/// `keras.ops.categorical_crossentropy`.
pub fn categorical_crossentropy(call: &OpCall) -> R<Value> {
    let (t, o, _) = specs(call, true)?;
    same_shape(&t, &o)?;
    if t.shape.is_empty() {
        return Err(BackendError::value_error(format!(
            "Arguments `target` and `output` must be at least rank 1. Received: \
             target.shape={}, output.shape={}",
            tuple_repr(&t.shape),
            tuple_repr(&o.shape)
        )));
    }
    Ok(spec(o.shape[..o.shape.len() - 1].to_vec(), o.dtype))
}

/// `keras.ops.sparse_categorical_crossentropy`.
pub fn sparse_categorical_crossentropy(call: &OpCall) -> R<Value> {
    let (t, o, args) = specs(call, true)?;
    if o.shape.is_empty() {
        return Err(BackendError::value_error(format!(
            "Argument `output` must be at least rank 1. Received: output.shape={}",
            tuple_repr(&o.shape)
        )));
    }
    let axis = canonicalize_axis(int_arg(args[3])?.unwrap_or(-1), o.shape.len())?;
    let mut target_shape = t.shape.clone();
    if target_shape.len() == o.shape.len() && target_shape.last() == Some(&Some(1)) {
        target_shape.pop();
    }
    let mut without_class = o.shape.clone();
    without_class.remove(axis);
    if target_shape != without_class {
        return Err(BackendError::value_error(format!(
            "Arguments `target` and `output` must have the same shape up until the last \
             dimension: target.shape={}, output.shape={}",
            tuple_repr(&t.shape),
            tuple_repr(&o.shape)
        )));
    }
    Ok(spec(without_class, o.dtype))
}
