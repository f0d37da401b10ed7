//! Shape rules: `concatenate`, `diagonal`, `flip`, `ndim`, `reshape`,
//! `squeeze`, `take`, `take_along_axis`.

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{
    axes_arg, bind, broadcast_shapes, canonicalize_axis, index_error, int_arg, list_repr, operand,
    promote, require_spec, spec, tensor_spec, tuple_repr, Dims,
};
use crate::python::py_repr;
use crate::value::{TensorSpec, Value};

/// Python's `seq[i]` on a list of length `n` (negative `i` counts from the end).
fn py_index(i: i64, n: usize) -> Option<usize> {
    let j = if i < 0 { i + n as i64 } else { i };
    (0..n as i64).contains(&j).then_some(j as usize)
}

/// `concatenate(xs, axis=0)`: every shape equal to the first's off `axis`
/// (unknown dims match anything); the axis dim is the sum, unknown if any is.
pub fn concatenate(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["xs", "axis"], 1)?;
    let axis = match args[1] {
        None => 0,
        Some(Value::None) => {
            return Err(BackendError::value_error(
                "`axis` cannot be None for `concatenate`.",
            ))
        }
        v => int_arg(v)?.unwrap_or(0),
    };
    let items = match args[0] {
        Some(Value::List(items) | Value::Tuple(items)) => items,
        _ => return Err(BackendError::Unsupported("`xs` that is not a list".into())),
    };
    let specs = items
        .iter()
        .map(|v| require_spec(Some(v), "xs"))
        .collect::<Result<Vec<TensorSpec>, _>>()?;
    let first = &specs
        .first()
        .ok_or_else(|| index_error("list index out of range"))?
        .shape;
    let axis = canonicalize_axis(axis, first.len())?;
    let mut total = Some(0usize);
    for s in &specs {
        let equal = s.shape.len() == first.len()
            && s.shape
                .iter()
                .zip(first)
                .enumerate()
                .all(|(i, (a, b))| i == axis || a.is_none() || b.is_none() || a == b);
        if !equal {
            return Err(BackendError::value_error(format!(
                "Every value in `xs` must have the same shape except on the `axis` dim. But \
                 found element of shape {}, which is different from the first element's shape {}.",
                tuple_repr(&s.shape),
                tuple_repr(first)
            )));
        }
        total = total.zip(s.shape[axis]).map(|(t, d)| t + d);
    }
    let mut shape = first.clone();
    shape[axis] = total;
    let operands = items.iter().map(operand).collect::<Result<Vec<_>, _>>()?;
    Ok(spec(shape, promote(&operands)?))
}

/// `diagonal(x, offset=0, axis1=0, axis2=1)`: the other dims, then the
/// diagonal's length (unknown when either axis is).
pub fn diagonal(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "offset", "axis1", "axis2"], 1)?;
    let x = require_spec(args[0], "x")?;
    let offset = int_arg(args[1])?.unwrap_or(0);
    let (axis1, axis2) = (
        int_arg(args[2])?.unwrap_or(0),
        int_arg(args[3])?.unwrap_or(1),
    );
    let n = x.shape.len();
    let (a1, a2) = (canonicalize_axis(axis1, n)?, canonicalize_axis(axis2, n)?);
    if a1 == a2 {
        return Err(BackendError::value_error(format!(
            "`axis1` and `axis2` cannot be the same. Received: axis1={axis1}, axis2={axis2}"
        )));
    }
    let mut shape: Dims = (0..n)
        .filter(|&i| i != a1 && i != a2)
        .map(|i| x.shape[i])
        .collect();
    shape.push(match (x.shape[a1], x.shape[a2]) {
        (Some(d1), Some(d2)) => {
            let (d1, d2) = (d1 as i64, d2 as i64);
            let remaining = if offset > 0 { d2 - offset } else { d1 + offset };
            Some(remaining.min(d1.min(d2)).max(0) as usize)
        }
        _ => None,
    });
    Ok(spec(shape, x.dtype))
}

/// `flip(x, axis=None)`: the input's spec, once the axes are checked.
pub fn flip(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "axis"], 1)?;
    let x = require_spec(args[0], "x")?;
    for a in axes_arg(args[1])?.unwrap_or_default() {
        canonicalize_axis(a, x.shape.len())?;
    }
    Ok(spec(x.shape, x.dtype))
}

/// `ndim(x)` on a symbolic tensor: `KerasTensor([len(x.shape)])`, a rank-1
/// `float32` tensor of length `ndim` (not a Python int as in eager mode).
pub fn ndim(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x"], 1)?;
    let x = require_spec(args[0], "x")?;
    Ok(spec(vec![Some(x.shape.len())], DType::Float32))
}

/// A `newshape` entry: an int, or a dynamic value (`None` in the output).
fn new_dims(v: &Value) -> Result<(Vec<Option<i64>>, String), BackendError> {
    let items: Vec<Value> = match v {
        Value::List(items) | Value::Tuple(items) => items.clone(),
        Value::Spec(_) | Value::Tensor(_) => {
            return Err(BackendError::Unsupported("a tensor `newshape`".into()))
        }
        other => vec![other.clone()],
    };
    let dims = items
        .iter()
        .map(|d| match d {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        })
        .collect();
    Ok((dims, py_repr(&Value::Tuple(items))))
}

/// `reshape(x, newshape)`: `compute_reshape_output_shape`, `-1` resolved
/// when every input dim is known.
pub fn reshape(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "newshape"], 2)?;
    let x = require_spec(args[0], "x")?;
    let (dims, repr) = new_dims(args[1].unwrap_or(&Value::None))?;
    if dims.iter().flatten().any(|&d| d < -1) {
        return Err(BackendError::value_error(format!(
            "Each dimension in `newshape` must be a non-negative integer, or `-1` for a single \
             unknown dimension. Received: newshape={repr}."
        )));
    }
    let unknown = dims.iter().filter(|&&d| d == Some(-1)).count();
    if unknown > 1 {
        return Err(BackendError::value_error(format!(
            "There must be at most one unknown dimension (-1) in `newshape`. Received: \
             newshape={repr}."
        )));
    }
    let as_dim = |d: &Option<i64>| d.filter(|&d| d != -1).map(|d| d as usize);
    if x.shape.contains(&None) || dims.contains(&None) {
        return Ok(spec(dims.iter().map(as_dim).collect(), x.dtype));
    }
    let input_shape = tuple_repr(&x.shape);
    let size: i128 = x.shape.iter().flatten().map(|&d| d as i128).product();
    let known: i128 = dims
        .iter()
        .flatten()
        .filter(|&&d| d != -1)
        .map(|&d| d as i128)
        .product();
    if unknown == 0 {
        if size != known {
            return Err(BackendError::value_error(format!(
                "The total size of the tensor must be unchanged. Received: \
                 input_shape={input_shape}, newshape={repr}"
            )));
        }
        return Ok(spec(dims.iter().map(as_dim).collect(), x.dtype));
    }
    if known == 0 || size % known != 0 {
        return Err(BackendError::value_error(format!(
            "The total size of the tensor must be unchanged, however, the input size cannot by \
             divided by the specified dimensions in newshape. Received: \
             input_shape={input_shape}, newshape={repr}"
        )));
    }
    let shape = dims
        .iter()
        .map(|d| match d {
            Some(-1) => Some((size / known) as usize),
            other => as_dim(other),
        })
        .collect();
    Ok(spec(shape, x.dtype))
}

/// `squeeze(x, axis=None)`: every named dim must be exactly 1 (an unknown
/// dim is not), checked before the axes are canonicalized.
pub fn squeeze(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "axis"], 1)?;
    let x = require_spec(args[0], "x")?;
    let Some(axes) = axes_arg(args[1])? else {
        let shape = x.shape.into_iter().filter(|&d| d != Some(1)).collect();
        return Ok(spec(shape, x.dtype));
    };
    let n = x.shape.len();
    for &a in &axes {
        let i = py_index(a, n).ok_or_else(|| index_error("list index out of range"))?;
        if x.shape[i] != Some(1) {
            return Err(BackendError::value_error(format!(
                "Cannot squeeze axis {a}, because the dimension is not 1."
            )));
        }
    }
    let mut canon = axes
        .iter()
        .map(|&a| canonicalize_axis(a, n))
        .collect::<Result<Vec<_>, _>>()?;
    canon.sort_unstable();
    let mut shape = x.shape;
    for &a in canon.iter().rev() {
        // A repeated axis deletes the next dim too, as `del input_shape[a]` does.
        if a < shape.len() {
            shape.remove(a);
        } else {
            return Err(index_error("list assignment index out of range"));
        }
    }
    Ok(spec(shape, x.dtype))
}

/// `np.array(v).shape` of a non-tensor `indices` argument (a Python scalar or
/// a nested list of them).
fn nested_shape(v: &Value) -> Result<Dims, BackendError> {
    match v {
        Value::List(items) | Value::Tuple(items) => {
            let mut shape = vec![Some(items.len())];
            if let Some(first) = items.first() {
                shape.extend(nested_shape(first)?);
            }
            Ok(shape)
        }
        other => match tensor_spec(other) {
            Some(s) => Ok(s.shape),
            None => Ok(Vec::new()),
        },
    }
}

/// `take(x, indices, axis=None)`: the indices' shape (flattened input), or
/// `x.shape[:axis] + indices.shape + x.shape[axis + 1:]`.
pub fn take(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "indices", "axis"], 2)?;
    let x = require_spec(args[0], "x")?;
    let indices = nested_shape(args[1].unwrap_or(&Value::None))?;
    let Some(axis) = int_arg(args[2])? else {
        return Ok(spec(indices, x.dtype));
    };
    let axis = canonicalize_axis(axis, x.shape.len())?;
    let mut shape = x.shape[..axis].to_vec();
    shape.extend(indices);
    shape.extend_from_slice(&x.shape[axis + 1..]);
    Ok(spec(shape, x.dtype))
}

/// `take_along_axis(x, indices, axis=None)`:
/// `compute_take_along_axis_output_shape`.
pub fn take_along_axis(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "indices", "axis"], 2)?;
    let x = require_spec(args[0], "x")?;
    let indices = require_spec(args[1], "indices")?.shape;
    let axis = int_arg(args[2])?;
    let mut input: Dims = match axis {
        Some(_) => x.shape.clone(),
        None if x.shape.contains(&None) => vec![None],
        None => vec![Some(x.shape.iter().flatten().product())],
    };
    if input.len() != indices.len() {
        return Err(BackendError::value_error(format!(
            "`x` and `indices` must have the same number of dimensions, but receive shape {} \
             and {}.",
            list_repr(&input),
            list_repr(&indices)
        )));
    }
    let axis = match axis {
        Some(a) => canonicalize_axis(a, input.len())?,
        None => 0,
    };
    input[axis] = indices[axis];
    Ok(spec(broadcast_shapes(&input, &indices)?, x.dtype))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sym(shape: &[Option<usize>]) -> Value {
        spec(shape.to_vec(), DType::Float32)
    }

    #[test]
    fn squeeze_like_keras() {
        let x = sym(&[None, Some(2), Some(2), Some(1)]);
        let c = OpCall::new("squeeze", vec![x.clone()]);
        assert_eq!(squeeze(&c).unwrap(), sym(&[None, Some(2), Some(2)]));
        for axis in [0, 1] {
            let c = OpCall::new("squeeze", vec![x.clone()]).kwarg("axis", Value::Int(axis));
            assert_eq!(
                squeeze(&c).unwrap_err().to_string(),
                format!("ValueError: Cannot squeeze axis {axis}, because the dimension is not 1.")
            );
        }
        let c = OpCall::new("squeeze", vec![x]).kwarg("axis", Value::Int(5));
        assert_eq!(
            squeeze(&c).unwrap_err().to_string(),
            "IndexError: list index out of range"
        );
    }

    #[test]
    fn reshape_resolves_minus_one() {
        let x = sym(&[Some(4), Some(2), Some(3)]);
        let new = Value::Tuple(vec![Value::Int(-1), Value::Int(4)]);
        let c = OpCall::new("reshape", vec![x.clone(), new]);
        assert_eq!(reshape(&c).unwrap(), sym(&[Some(6), Some(4)]));
        let c = OpCall::new("reshape", vec![sym(&[None, Some(6)]), Value::Int(-1)]);
        assert_eq!(reshape(&c).unwrap(), sym(&[None]));
        let bad = Value::Tuple(vec![Value::Int(5), Value::Int(5)]);
        let c = OpCall::new("reshape", vec![x, bad]);
        assert_eq!(
            reshape(&c).unwrap_err().to_string(),
            "ValueError: The total size of the tensor must be unchanged. Received: \
             input_shape=(4, 2, 3), newshape=(5, 5)"
        );
    }
}
