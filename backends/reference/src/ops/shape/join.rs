//! Joining tensors: `stack`, `hstack`, `vstack`.

use kconform_api::promote::Operand;
use kconform_api::{OpCall, Value};
use ndarray::{ArrayD, Axis};

use crate::args::{index, py_type_name, Args};
use crate::array::{with_dtype, Array};
use crate::axes::canonical_axis;
use crate::binary::promote;
use crate::convert::{convert, Converted};
use crate::elementwise::tensor;
use crate::error::{shape_repr, OpError, OpResult};
use crate::shape_ops::concatenate;

/// The items Python gets iterating over `v`: a list's or tuple's elements, a
/// tensor's sub-tensors along axis 0 (as Python values).
fn iterate(v: &Value) -> OpResult<Vec<Value>> {
    match v {
        Value::List(items) | Value::Tuple(items) => Ok(items.clone()),
        Value::Tensor(t) if t.rank() == 0 => {
            Err(OpError::Type("iteration over a 0-d array".into()))
        }
        Value::Tensor(_) => {
            let a = crate::convert::to_array(v)?;
            let n = a.shape()[0];
            (0..n)
                .map(|i| {
                    let row = with_array_row(&a, i);
                    Ok(Value::Tensor(row.into_tensor()?))
                })
                .collect()
        }
        other => Err(OpError::Type(format!(
            "'{}' object is not iterable",
            py_type_name(other)
        ))),
    }
}

/// Sub-tensor `i` along axis 0.
fn with_array_row(a: &Array, i: usize) -> Array {
    crate::array::with_array!(a, v => crate::elem::Elem::wrap(v.index_axis(Axis(0), i).to_owned()))
}

/// Converts each item and casts all of them to their promoted dtype (Python
/// scalars weak). `strict` names a `jnp` function that refuses nested lists.
fn promoted(items: &[Value], strict: Option<&str>) -> OpResult<Vec<Array>> {
    if let Some(name) = strict {
        if let Some(pos) = items
            .iter()
            .position(|v| matches!(v, Value::List(_) | Value::Tuple(_)))
        {
            return Err(OpError::Type(format!(
                "{name} requires ndarray or scalar arguments, got <class '{}'> at position {pos}.",
                py_type_name(&items[pos])
            )));
        }
    }
    let converted = items
        .iter()
        .map(convert)
        .collect::<OpResult<Vec<Converted>>>()?;
    let operands: Vec<Operand> = converted.iter().map(|c| c.operand).collect();
    let dtype = promote(&operands)?;
    Ok(converted.into_iter().map(|c| c.array.cast(dtype)).collect())
}

/// `keras.ops.stack(x, axis=0)`.
pub fn stack(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis"], 1)?;
    let items = iterate(args.value(0))?;
    if items.is_empty() {
        return Err(OpError::Value("Need at least one array to stack.".into()));
    }
    let arrays = promoted(&items, None)?;
    let axis = args.get(1).map_or(Ok(0), index)?;
    let axis = canonical_axis(axis, arrays[0].ndim() + 1)?;
    let shapes = || {
        arrays
            .iter()
            .map(|a| shape_repr(a.shape()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if arrays.iter().any(|a| a.ndim() != arrays[0].ndim()) {
        return Err(OpError::Value(format!(
            "Cannot stack arrays with different numbers of dimensions: got {}.",
            shapes()
        )));
    }
    if arrays.iter().any(|a| a.shape() != arrays[0].shape()) {
        return Err(OpError::Value(format!(
            "All input arrays must have the same shape. Got {}.",
            shapes()
        )));
    }
    let dtype = arrays[0].dtype();
    let out = with_dtype!(dtype, T => {
        let typed: Vec<ArrayD<T>> = arrays.into_iter().map(|a| a.into_typed::<T>()).collect();
        let views: Vec<_> = typed.iter().map(|a| a.view()).collect();
        crate::elem::Elem::wrap(
            ndarray::stack(Axis(axis), &views).map_err(|e| OpError::Internal(e.to_string()))?,
        )
    });
    tensor(out)
}

/// `jnp.atleast_1d` / `jnp.atleast_2d`: leading ones up to `rank` dimensions
/// (a 1-D array becomes a row).
fn at_least(a: Array, rank: usize) -> OpResult<Array> {
    if a.ndim() >= rank {
        return Ok(a);
    }
    let mut shape = vec![1; rank - a.ndim()];
    shape.extend_from_slice(a.shape());
    a.reshaped(&shape)
}

/// Concatenates promoted arrays with `keras.ops.concatenate`'s kernel (and so
/// its errors).
fn concatenated(arrays: Vec<Array>, axis: i64) -> OpResult<Value> {
    let tensors = arrays
        .into_iter()
        .map(|a| Ok(Value::Tensor(a.into_tensor()?)))
        .collect::<OpResult<Vec<_>>>()?;
    concatenate(&OpCall::new(
        "concatenate",
        vec![Value::List(tensors), Value::Int(axis)],
    ))
}

/// `keras.ops.hstack(xs)`: 1-D inputs join along axis 0, others along axis 1.
pub fn hstack(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["xs"], 1)?;
    let items = iterate(args.value(0))?;
    let arrays = promoted(&items, Some("hstack"))?
        .into_iter()
        .map(|a| at_least(a, 1))
        .collect::<OpResult<Vec<_>>>()?;
    let first = arrays
        .first()
        .ok_or_else(|| OpError::Index("list index out of range".into()))?;
    let axis = if first.ndim() == 1 { 0 } else { 1 };
    concatenated(arrays, axis)
}

/// `keras.ops.vstack(xs)`: inputs made at least 2-D, joined along axis 0.
pub fn vstack(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["xs"], 1)?;
    let items = iterate(args.value(0))?;
    if items.is_empty() {
        return Err(OpError::Value(
            "Need at least one array to concatenate.".into(),
        ));
    }
    let arrays = promoted(&items, Some("vstack"))?
        .into_iter()
        .map(|a| at_least(a, 2))
        .collect::<OpResult<Vec<_>>>()?;
    concatenated(arrays, 0)
}
