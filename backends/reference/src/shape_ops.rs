//! Shape ops: `reshape`, `squeeze`, `flip`, `concatenate`, `diagonal`, `ndim`.

use kconform_api::promote::Operand;
use kconform_api::{OpCall, Value};
use ndarray::{ArrayD, Axis, IxDyn};

use crate::args::{axes, index, py_repr, py_type_name, Args};
use crate::array::{from_vec, with_array, with_dtype, Array};
use crate::axes::{canonical_axis, keras_canonical_axis};
use crate::binary::promote;
use crate::convert::{convert, to_array, to_array_strict};
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{int_tuple_repr, shape_repr, OpError, OpResult};

/// One entry of a `newshape`: an int, or something JAX will refuse.
enum Dim {
    Int(i64),
    Other,
}

/// `newshape` as Keras reads it: a tensor, a sequence, or one int.
fn new_shape(v: &Value) -> OpResult<(Vec<Dim>, String)> {
    let items: Vec<Value> = match v {
        Value::List(items) | Value::Tuple(items) => items.clone(),
        Value::Tensor(t) if t.rank() == 1 => to_array(v)?
            .scalars()
            .into_iter()
            .map(|s| Value::Int(s.as_f64() as i64))
            .collect(),
        other => vec![other.clone()],
    };
    let dims = items
        .iter()
        .map(|d| match d {
            Value::Int(i) => Dim::Int(*i),
            Value::Bool(b) => Dim::Int(i64::from(*b)),
            _ => Dim::Other,
        })
        .collect();
    Ok((dims, py_repr(&Value::Tuple(items))))
}

/// `keras.ops.reshape`.
pub fn reshape(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "newshape"], 2)?;
    let (dims, repr) = new_shape(args.value(1))?;
    let ints = || {
        dims.iter()
            .filter_map(|d| if let Dim::Int(i) = d { Some(*i) } else { None })
    };
    if ints().any(|i| i < -1) {
        return Err(OpError::Value(format!(
            "Each dimension in `newshape` must be a non-negative integer, or `-1` for a single \
             unknown dimension. Received: newshape={repr}."
        )));
    }
    if ints().filter(|&i| i == -1).count() > 1 {
        return Err(OpError::Value(format!(
            "There must be at most one unknown dimension (-1) in `newshape`. Received: \
             newshape={repr}."
        )));
    }
    let x = to_array(args.value(0))?;
    if dims.iter().any(|d| matches!(d, Dim::Other)) {
        return Err(OpError::Type(format!(
            "Shapes must be 1D sequences of concrete values of integer type, got {repr}."
        )));
    }
    let wanted: Vec<i64> = ints().collect();
    let size = x.len() as i128;
    let known: i128 = wanted
        .iter()
        .filter(|&&d| d != -1)
        .fold(1i128, |acc, &d| acc.saturating_mul(d.into()));
    let from = format!("{} (size {size})", shape_repr(x.shape()));
    let shape: Vec<usize> = if wanted.contains(&-1) {
        if known == 0 {
            return Err(OpError::ZeroDivision("integer modulo by zero".into()));
        }
        if size % known != 0 {
            return Err(OpError::Type(format!(
                "cannot reshape array of shape {from} into shape {} because the product of \
                 specified axis sizes ({known}) does not evenly divide {size}",
                int_tuple_repr(wanted.iter().copied())
            )));
        }
        wanted
            .iter()
            .map(|&d| {
                if d == -1 {
                    (size / known) as usize
                } else {
                    d as usize
                }
            })
            .collect()
    } else {
        if known != size {
            return Err(OpError::Type(format!(
                "cannot reshape array of shape {from} into shape {} (size {known})",
                int_tuple_repr(wanted.iter().copied())
            )));
        }
        wanted.iter().map(|&d| d as usize).collect()
    };
    tensor(x.reshaped(&shape)?)
}

/// `keras.ops.squeeze`.
pub fn squeeze(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis"], 1)?;
    let x = to_array(args.value(0))?;
    let shape = x.shape().to_vec();
    let dims: Vec<usize> = match axes(args.get(1))? {
        None => (0..shape.len()).filter(|&i| shape[i] == 1).collect(),
        Some(list) => {
            let canon = list
                .iter()
                .map(|&a| canonical_axis(a, shape.len()))
                .collect::<OpResult<Vec<_>>>()?;
            let repr = || int_tuple_repr(canon.iter().map(|&d| d as i64));
            let mut sorted = canon.clone();
            sorted.sort_unstable();
            sorted.dedup();
            if sorted.len() != canon.len() {
                return Err(OpError::Value(format!(
                    "dimensions are not unique: {}",
                    repr()
                )));
            }
            if canon.iter().any(|&d| shape[d] != 1) {
                return Err(OpError::Value(format!(
                    "cannot select an axis to squeeze out which has size not equal to one, got \
                     shape={} and dimensions={}",
                    shape_repr(&shape),
                    repr()
                )));
            }
            canon
        }
    };
    let kept: Vec<usize> = (0..shape.len())
        .filter(|i| !dims.contains(i))
        .map(|i| shape[i])
        .collect();
    tensor(x.reshaped(&kept)?)
}

/// `keras.ops.flip` (`jnp.flip`, which refuses lists).
pub fn flip(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis"], 1)?;
    let x = to_array_strict(args.value(0), "flip")?;
    let ndim = x.ndim();
    let dims: Vec<usize> = match axes(args.get(1))? {
        None => (0..ndim).collect(),
        Some(list) => list
            .iter()
            .map(|&a| canonical_axis(a, ndim))
            .collect::<OpResult<_>>()?,
    };
    let mut unique = dims.clone();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != dims.len() {
        return Err(OpError::Type(format!(
            "rev dimensions must be unique, got {}.",
            int_tuple_repr(dims.iter().map(|&d| d as i64))
        )));
    }
    tensor(with_array!(x, a => {
        let mut a = a;
        for &d in &dims {
            a.invert_axis(Axis(d));
        }
        Elem::wrap(a.as_standard_layout().into_owned())
    }))
}

/// `keras.ops.concatenate` (`axis=None` concatenates the flattened inputs).
pub fn concatenate(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["xs", "axis"], 1)?;
    let items = match args.value(0) {
        Value::List(items) | Value::Tuple(items) => items,
        Value::Tensor(t) if t.len() > 1 => {
            return Err(OpError::Value(
                "The truth value of an array with more than one element is ambiguous. Use \
                 a.any() or a.all()"
                    .into(),
            ))
        }
        other => {
            return Err(OpError::Type(format!(
                "'{}' object is not iterable",
                py_type_name(other)
            )))
        }
    };
    if items.is_empty() {
        return Err(OpError::Index("list index out of range".into()));
    }
    let converted = items.iter().map(convert).collect::<OpResult<Vec<_>>>()?;
    let dtype = promote(
        &converted
            .iter()
            .map(|c| c.operand)
            .collect::<Vec<Operand>>(),
    )?;
    let mut arrays: Vec<Array> = converted.into_iter().map(|c| c.array.cast(dtype)).collect();
    let axis = match args.given(1) {
        None => 0,
        Some(Value::None) => {
            arrays = arrays
                .into_iter()
                .map(Array::ravel)
                .collect::<OpResult<_>>()?;
            0
        }
        Some(v) => index(v)?,
    };
    let ndim = arrays[0].ndim();
    if arrays.iter().any(|a| a.ndim() == 0) {
        return Err(OpError::Value(
            "Zero-dimensional arrays cannot be concatenated.".into(),
        ));
    }
    let axis = canonical_axis(axis, ndim)?;
    let shapes = || {
        arrays
            .iter()
            .map(|a| shape_repr(a.shape()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if arrays.iter().any(|a| a.ndim() != ndim) {
        return Err(OpError::Type(format!(
            "Cannot concatenate arrays with different numbers of dimensions: got {}.",
            shapes()
        )));
    }
    let first = arrays[0].shape().to_vec();
    let mismatch = arrays.iter().any(|a| {
        a.shape()
            .iter()
            .zip(&first)
            .enumerate()
            .any(|(i, (x, y))| i != axis && x != y)
    });
    if mismatch {
        return Err(OpError::Type(format!(
            "Cannot concatenate arrays with shapes that differ in dimensions other than the one \
             being concatenated: concatenating along dimension {axis} for shapes {}.",
            shapes()
        )));
    }
    let out = with_dtype!(dtype, T => {
        let typed: Vec<ArrayD<T>> = arrays.into_iter().map(|a| a.into_typed::<T>()).collect();
        let views: Vec<_> = typed.iter().map(|a| a.view()).collect();
        T::wrap(ndarray::concatenate(Axis(axis), &views).map_err(|e| OpError::Internal(e.to_string()))?)
    });
    tensor(out)
}

/// `keras.ops.diagonal`.
pub fn diagonal(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "offset", "axis1", "axis2"], 1)?;
    let x = match args.value(0) {
        v @ Value::Tensor(_) => to_array(v)?,
        other => {
            return Err(OpError::Attribute(format!(
                "'{}' object has no attribute 'shape'",
                py_type_name(other)
            )))
        }
    };
    let int_or = |i: usize, default: i64| args.get(i).map_or(Ok(default), index);
    let (offset, axis1, axis2) = (int_or(1, 0)?, int_or(2, 0)?, int_or(3, 1)?);
    let ndim = x.ndim();
    let (a1, a2) = (
        keras_canonical_axis(axis1, ndim)?,
        keras_canonical_axis(axis2, ndim)?,
    );
    if a1 == a2 {
        return Err(OpError::Value(format!(
            "`axis1` and `axis2` cannot be the same. Received: axis1={axis1}, axis2={axis2}"
        )));
    }
    let shape = x.shape().to_vec();
    let others: Vec<usize> = (0..ndim).filter(|&i| i != a1 && i != a2).collect();
    let (d1, d2) = (shape[a1] as i64, shape[a2] as i64);
    let n = if offset >= 0 {
        d1.min(d2.saturating_sub(offset))
    } else {
        d1.saturating_add(offset).min(d2)
    }
    .max(0) as usize;
    let shift = offset.unsigned_abs() as usize;
    let (r0, c0) = if offset >= 0 { (0, shift) } else { (shift, 0) };
    let mut perm = others.clone();
    perm.extend([a1, a2]);
    let outer: usize = others.iter().map(|&i| shape[i]).product();
    let mut out_shape: Vec<usize> = others.iter().map(|&i| shape[i]).collect();
    out_shape.push(n);
    tensor(with_array!(x, a => {
        let v = a.view().permuted_axes(IxDyn(&perm));
        let v = v.as_standard_layout();
        let m = v
            .to_shape((outer, shape[a1], shape[a2]))
            .map_err(|e| OpError::Internal(e.to_string()))?;
        let mut data = Vec::with_capacity(outer * n);
        for o in 0..outer {
            for i in 0..n {
                data.push(m[[o, r0 + i, c0 + i]]);
            }
        }
        Elem::wrap(from_vec(&out_shape, data)?)
    }))
}

/// `keras.ops.ndim`: a Python `int`.
pub fn ndim(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x"], 1)?;
    let n = match args.value(0) {
        v @ (Value::Tensor(_) | Value::List(_) | Value::Tuple(_)) => to_array(v)?.ndim(),
        Value::Spec(s) => s.shape.len(),
        _ => 0,
    };
    Ok(Value::Int(n as i64))
}
