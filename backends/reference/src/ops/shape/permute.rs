//! Axis rearrangements: `transpose`, `swapaxes`, `moveaxis`, `expand_dims`,
//! `ravel`, `broadcast_to`, `rot90`, `fliplr`, `flipud`.

use kconform_api::{OpCall, Value};
use ndarray::IxDyn;

use super::{index_tuple, reversed, transposed};
use crate::args::{index, py_repr, Args};
use crate::array::{with_array, Array};
use crate::axes::canonical_axis;
use crate::convert::{to_array, to_array_strict};
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{check_size, int_tuple_repr, shape_repr, OpError, OpResult};

/// `keras.ops.transpose(x, axes=None)`.
pub fn transpose(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axes"], 1)?;
    let x = to_array(args.value(0))?;
    let ndim = x.ndim();
    let perm: Vec<usize> = match args.get(1) {
        None => (0..ndim).rev().collect(),
        Some(v @ (Value::List(_) | Value::Tuple(_))) => index_tuple(v)?
            .into_iter()
            .map(|a| canonical_axis(a, ndim))
            .collect::<OpResult<_>>()?,
        Some(other) => {
            return Err(OpError::Type(format!(
                "'{}' object is not iterable",
                crate::args::py_type_name(other)
            )))
        }
    };
    tensor(transposed(x, &perm)?)
}

/// `keras.ops.swapaxes(x, axis1, axis2)`: NumPy indexing of the identity
/// permutation, so a bad axis is an `IndexError`.
pub fn swapaxes(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis1", "axis2"], 3)?;
    let x = to_array(args.value(0))?;
    let ndim = x.ndim();
    let position = |v: &Value| -> OpResult<usize> {
        let i = index(v).map_err(|_| {
            OpError::Index(
                "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and \
                 integer or boolean arrays are valid indices"
                    .into(),
            )
        })?;
        canonical_axis(i, ndim).map_err(|_| {
            OpError::Index(format!(
                "index {i} is out of bounds for axis 0 with size {ndim}"
            ))
        })
    };
    // Python evaluates `perm[axis2]` first.
    let a2 = position(args.value(2))?;
    let a1 = position(args.value(1))?;
    let mut perm: Vec<usize> = (0..ndim).collect();
    perm.swap(a1, a2);
    tensor(transposed(x, &perm)?)
}

/// `keras.ops.moveaxis(x, source, destination)` (`jnp.moveaxis` refuses lists).
pub fn moveaxis(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "source", "destination"], 3)?;
    let x = to_array_strict(args.value(0), "moveaxis")?;
    let ndim = x.ndim();
    let canon = |v: &Value| -> OpResult<Vec<usize>> {
        index_tuple(v)?
            .into_iter()
            .map(|a| canonical_axis(a, ndim))
            .collect()
    };
    let source = canon(args.value(1))?;
    let destination = canon(args.value(2))?;
    if source.len() != destination.len() {
        return Err(OpError::Value(format!(
            "Inconsistent number of elements: {} vs {}",
            source.len(),
            destination.len()
        )));
    }
    let mut perm: Vec<usize> = (0..ndim).filter(|i| !source.contains(i)).collect();
    let mut moves: Vec<(usize, usize)> = destination.into_iter().zip(source).collect();
    moves.sort_unstable();
    for (dest, src) in moves {
        perm.insert(dest.min(perm.len()), src);
    }
    tensor(transposed(x, &perm)?)
}

/// `keras.ops.expand_dims(x, axis)` (`lax.expand_dims`: axes are positions
/// in the result).
pub fn expand_dims(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis"], 2)?;
    let x = to_array(args.value(0))?;
    let axes = index_tuple(args.value(1))?;
    let repeated =
        |list: String| OpError::Value(format!("repeated axis in lax.expand_dims: {list}"));
    let mut unique = axes.clone();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != axes.len() {
        let items: Vec<Value> = axes.iter().map(|&a| Value::Int(a)).collect();
        return Err(repeated(py_repr(&Value::Tuple(items))));
    }
    let out_ndim = x.ndim() + axes.len();
    let canon = axes
        .iter()
        .map(|&a| canonical_axis(a, out_ndim))
        .collect::<OpResult<Vec<_>>>()?;
    let mut unique = canon.clone();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != canon.len() {
        let items: Vec<Value> = canon.iter().map(|&a| Value::Int(a as i64)).collect();
        return Err(repeated(py_repr(&Value::List(items))));
    }
    let mut dims = x.shape().iter().copied();
    let shape: Vec<usize> = (0..out_ndim)
        .map(|i| {
            if canon.contains(&i) {
                1
            } else {
                dims.next().unwrap_or(1)
            }
        })
        .collect();
    tensor(x.reshaped(&shape)?)
}

/// `keras.ops.ravel(x)`.
pub fn ravel(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x"], 1)?;
    tensor(to_array(args.value(0))?.ravel()?)
}

/// A shape argument as JAX's `canonicalize_shape` reads it: an int, a
/// sequence of ints, or an integer tensor; anything else is its `TypeError`.
pub(super) fn shape_arg(v: &Value) -> OpResult<Vec<i64>> {
    let items: Vec<Value> = match v {
        Value::List(items) | Value::Tuple(items) => items.clone(),
        Value::Tensor(t) if t.rank() == 1 => to_array(v)?
            .scalars()
            .into_iter()
            .map(|s| match s {
                kconform_api::tensor::Scalar::Float(f) => Value::Float(f),
                other => Value::Int(other.as_f64() as i64),
            })
            .collect(),
        other => vec![other.clone()],
    };
    items
        .iter()
        .map(|d| match d {
            Value::Int(i) => Ok(*i),
            Value::Tensor(t) if t.rank() == 0 && !t.dtype().is_float() => index(d),
            _ => Err(OpError::Type(format!(
                "Shapes must be 1D sequences of concrete values of integer type, got {}.",
                py_repr(&Value::Tuple(items.clone()))
            ))),
        })
        .collect()
}

/// Dimensions as JAX prints them in a type: `float32[2,-1]`.
fn typed_dims(x: &Array, dims: &[i64]) -> String {
    let dims: Vec<String> = dims.iter().map(i64::to_string).collect();
    format!("{}[{}]", x.dtype(), dims.join(","))
}

/// `x` broadcast to `wanted` as `jnp.broadcast_to` does, with its errors.
pub(super) fn broadcast_array(x: Array, wanted: &[i64]) -> OpResult<Array> {
    let have = x.shape().to_vec();
    if wanted.len() < have.len() {
        return Err(OpError::Value(format!(
            "Cannot broadcast to shape with fewer dimensions: arr_shape={} shape={}",
            shape_repr(&have),
            int_tuple_repr(wanted.iter().copied())
        )));
    }
    let lead = wanted.len() - have.len();
    let compatible = have
        .iter()
        .zip(&wanted[lead..])
        .all(|(&a, &s)| a as i64 == s || a == 1);
    if !compatible {
        let have_dims: Vec<i64> = have.iter().map(|&d| d as i64).collect();
        return Err(OpError::Value(format!(
            "Incompatible types for broadcasting: input type={} and requested type={}",
            typed_dims(&x, &have_dims),
            typed_dims(&x, wanted)
        )));
    }
    if wanted.iter().any(|&d| d < 0) {
        return Err(OpError::Type(format!(
            "broadcast_in_dim shape must have every element be nonnegative, got {}.",
            int_tuple_repr(wanted.iter().copied())
        )));
    }
    let shape: Vec<usize> = wanted.iter().map(|&d| d as usize).collect();
    check_size(&shape)?;
    let bad = || OpError::Internal("broadcast to a checked shape failed".into());
    Ok(with_array!(x, a => {
        Elem::wrap(a.broadcast(IxDyn(&shape)).ok_or_else(bad)?.to_owned())
    }))
}

/// `keras.ops.broadcast_to(x, shape)`.
pub fn broadcast_to(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "shape"], 2)?;
    let x = to_array(args.value(0))?;
    let wanted = shape_arg(args.value(1))?;
    tensor(broadcast_array(x, &wanted)?)
}

/// `keras.ops.rot90(array, k=1, axes=(0, 1))`.
pub fn rot90(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["array", "k", "axes"], 1)?;
    let x = match args.value(0) {
        v @ Value::Tensor(_) => to_array(v)?,
        other => {
            return Err(OpError::Attribute(format!(
                "'{}' object has no attribute 'ndim'",
                crate::args::py_type_name(other)
            )))
        }
    };
    let ndim = x.ndim();
    if ndim < 2 {
        return Err(OpError::Value(format!(
            "Input array must have at least 2 dimensions. Received: array.ndim={ndim}"
        )));
    }
    let axes_value = args
        .get(2)
        .cloned()
        .unwrap_or(Value::Tuple(vec![Value::Int(0), Value::Int(1)]));
    let pair = match &axes_value {
        Value::List(items) | Value::Tuple(items) => {
            items.iter().map(index).collect::<OpResult<Vec<_>>>()?
        }
        other => {
            return Err(OpError::Type(format!(
                "object of type '{}' has no len()",
                crate::args::py_type_name(other)
            )))
        }
    };
    if pair.len() != 2 || pair[0] == pair[1] {
        return Err(OpError::Value(format!(
            "Invalid axes: {}. Axes must be a tuple of two different dimensions.",
            py_repr(&axes_value)
        )));
    }
    if matches!(axes_value, Value::List(_)) {
        return Err(OpError::Value(format!(
            "Non-hashable static arguments are not supported. An error occurred while trying to \
             hash an object of type <class 'list'>, {}. The error was:\nTypeError: unhashable \
             type: 'list'",
            py_repr(&axes_value)
        )));
    }
    let (ax1, ax2) = (
        canonical_axis(pair[0], ndim)?,
        canonical_axis(pair[1], ndim)?,
    );
    if ax1 == ax2 {
        return Err(OpError::Value("Axes must be different".into()));
    }
    // Python's `k % 4`: floats are allowed, and anything but 0, 1, 2 acts as 3.
    let k = match args.get(1) {
        None => 1.0,
        Some(Value::Float(f)) => *f,
        Some(v) => index(v)? as f64,
    }
    .rem_euclid(4.0);
    let mut perm: Vec<usize> = (0..ndim).collect();
    perm.swap(ax1, ax2);
    let out = if k == 0.0 {
        x
    } else if k == 2.0 {
        reversed(x, &[ax1, ax2])
    } else if k == 1.0 {
        transposed(reversed(x, &[ax2]), &perm)?
    } else {
        reversed(transposed(x, &perm)?, &[ax2])
    };
    tensor(out)
}

/// `jnp.flip(x, axis)` for one axis, with JAX's out-of-bounds error.
fn flip_one(call: &OpCall, axis: i64) -> OpResult<Value> {
    let args = Args::bind(call, &["x"], 1)?;
    let x = to_array(args.value(0))?;
    let d = canonical_axis(axis, x.ndim())?;
    tensor(reversed(x, &[d]))
}

/// `keras.ops.fliplr(x)`: reverses axis 1.
pub fn fliplr(call: &OpCall) -> OpResult<Value> {
    flip_one(call, 1)
}

/// `keras.ops.flipud(x)`: reverses axis 0.
pub fn flipud(call: &OpCall) -> OpResult<Value> {
    flip_one(call, 0)
}
