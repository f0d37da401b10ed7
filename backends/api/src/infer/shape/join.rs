//! Rules of ops joining tensors or splitting one into a list: `stack`,
//! `hstack`, `vstack`, `unstack`, `split`, `array_split`.

use super::super::util::{index, index_error};
use super::{items_of, keras_tensor, outputs, shape_of, signed};
use crate::call::OpCall;
use crate::error::BackendError;
use crate::infer::util::{bind, canonicalize_axis, promote, require_spec, spec, tensor_spec, Dims};
use crate::promote::Operand;
use crate::python::py_repr;
use crate::value::{TensorSpec, Value};

type R = Result<Value, BackendError>;

/// The specs of a list of tensors (symbolic or concrete).
fn specs(v: Option<&Value>, name: &str) -> Result<Vec<TensorSpec>, BackendError> {
    let items = v.and_then(items_of).ok_or_else(|| {
        BackendError::Unsupported(format!("symbolic `{name}` that is not a list of tensors"))
    })?;
    items
        .iter()
        .map(|v| {
            tensor_spec(v).ok_or_else(|| {
                BackendError::Unsupported(format!("a {} in the symbolic `{name}` list", v.kind()))
            })
        })
        .collect()
}

/// `shape_equal(shape1, shape2, axis, allow_none=True)`: equal lengths and
/// dimensions, ignoring `axis` and unknown dimensions. Keras masks `axis` by
/// list assignment, so a shape too short for it is an `IndexError`.
fn shape_equal(a: &Dims, b: &Dims, axis: Option<usize>) -> Result<bool, BackendError> {
    if a.len() != b.len() {
        return Ok(false);
    }
    if axis.is_some_and(|ax| ax >= a.len()) {
        return Err(index_error("list assignment index out of range"));
    }
    Ok(a.iter()
        .zip(b)
        .enumerate()
        .all(|(i, (x, y))| Some(i) == axis || x.is_none() || y.is_none() || x == y))
}

/// `dtypes.result_type` of the specs' dtypes.
fn joined_dtype(xs: &[TensorSpec]) -> Result<crate::dtype::DType, BackendError> {
    let ops: Vec<Operand> = xs.iter().map(|s| Operand::Strong(s.dtype)).collect();
    promote(&ops)
}

/// `Stack`: every shape must match the first (unknown dimensions match
/// anything); the count is inserted at `axis`.
pub fn stack(call: &OpCall) -> R {
    let args = bind(call, &["x", "axis"], 1)?;
    let xs = specs(args[0], "x")?;
    let first = xs
        .first()
        .ok_or_else(|| index_error("list index out of range"))?;
    let axis = canonicalize_axis(args[1].map_or(Ok(0), index)?, first.shape.len() + 1)?;
    for a in &xs {
        if !shape_equal(&a.shape, &first.shape, None)? {
            return Err(BackendError::value_error(format!(
                "Every value in `x` must have the same shape. But found element of shape {},  \
                 which is different from the first element's shape {}.",
                shape_of(a),
                shape_of(first)
            )));
        }
    }
    let mut shape = first.shape.clone();
    shape.insert(axis, Some(xs.len()));
    Ok(spec(shape, joined_dtype(&xs)?))
}

/// `Hstack`/`Vstack`: shapes must match the first except on `axis`, whose
/// sizes add up (unknown if any is).
fn concat_rule(call: &OpCall, axis: usize) -> R {
    let args = bind(call, &["xs"], 1)?;
    let xs = specs(args[0], "xs")?;
    let first = xs
        .first()
        .ok_or_else(|| index_error("list index out of range"))?;
    let mut total = Some(0usize);
    for x in &xs {
        if !shape_equal(&x.shape, &first.shape, Some(axis))? {
            return Err(BackendError::value_error(format!(
                "Every value in `xs` must have the same shape except on the `axis` dim. But \
                 found element of shape {}, which is different from the first element's shape \
                 {}.",
                shape_of(x),
                shape_of(first)
            )));
        }
        total = total.zip(x.shape[axis]).map(|(t, d)| t + d);
    }
    let mut shape = first.shape.clone();
    shape[axis] = total;
    Ok(spec(shape, joined_dtype(&xs)?))
}

/// `Hstack`: joins along axis 1, whatever the rank (so 1-D inputs, which
/// eager mode joins along axis 0, raise `IndexError`).
pub fn hstack(call: &OpCall) -> R {
    concat_rule(call, 1)
}

/// `Vstack`: joins along axis 0 (1-D inputs, which eager mode stacks as
/// rows, come out as one longer vector).
pub fn vstack(call: &OpCall) -> R {
    concat_rule(call, 0)
}

/// `Unstack`: `num` specs without `axis` (`num` defaults to that
/// dimension, which must then be known).
pub fn unstack(call: &OpCall) -> R {
    let args = bind(call, &["x", "num", "axis"], 1)?;
    let x = require_spec(args[0], "x")?;
    let axis = canonicalize_axis(args[2].map_or(Ok(0), index)?, x.shape.len())?;
    let mut shape = x.shape.clone();
    let dim = shape.remove(axis);
    let num = match args[1].filter(|v| !matches!(v, Value::None)) {
        Some(v) => Some(index(v)?.max(0) as usize),
        None => dim,
    };
    let num = num.ok_or_else(|| {
        BackendError::value_error(format!(
            "Cannot infer argument `num` from shape {}. Either provide a tensor with a concrete \
             shape in the `axis` dimension or explicitly pass the `num` argument.",
            shape_of(&x)
        ))
    })?;
    Ok(Value::List(outputs(spec(shape, x.dtype), num)?))
}

/// `_compute_split_output_spec`: equal sections (the size must divide) or
/// the pieces between split points (a negative piece is refused when its
/// `KerasTensor` is built).
pub fn split(call: &OpCall) -> R {
    let args = bind(call, &["x", "indices_or_sections", "axis"], 2)?;
    let x = require_spec(args[0], "x")?;
    let axis = canonicalize_axis(args[2].map_or(Ok(0), index)?, x.shape.len())?;
    let sections = args[1].unwrap_or(&Value::None);
    let size = x.shape[axis].map(|n| n as i64);
    let mut shape = signed(&x.shape);
    let points: Option<Vec<i64>> = match sections {
        Value::Int(_) | Value::Bool(_) => None,
        Value::List(items) | Value::Tuple(items) => {
            Some(items.iter().map(index).collect::<Result<_, _>>()?)
        }
        Value::Tensor(t) if t.rank() == 1 => {
            Some((0..t.len()).map(|i| t.scalar(i).as_f64() as i64).collect())
        }
        other => {
            return Err(BackendError::Unsupported(format!(
                "split sections given as {}",
                py_repr(other)
            )))
        }
    };
    let Some(points) = points else {
        let n = index(sections)?;
        let count = usize::try_from(n).unwrap_or(0);
        let Some(size) = size else {
            shape[axis] = None;
            return Ok(Value::List(outputs(keras_tensor(&shape, x.dtype)?, count)?));
        };
        // `np.mod(size, 0)` is 0 (with a warning); then `size // 0` raises.
        if n != 0 && i128::from(size).rem_euclid(i128::from(n).abs()) != 0 {
            return Err(BackendError::value_error(format!(
                "`x` size on given `axis` must be divisible by `indices_or_sections` when \
                 `indices_or_sections` is an int. But received {size} and {n}."
            )));
        }
        if n == 0 {
            return Err(BackendError::raised(
                "ZeroDivisionError",
                "integer division or modulo by zero",
            ));
        }
        shape[axis] = Some(size / n); // exact: the size divides
        if count == 0 {
            return Ok(Value::List(Vec::new()));
        }
        return Ok(Value::List(outputs(keras_tensor(&shape, x.dtype)?, count)?));
    };
    let mut bounds: Vec<Option<i64>> = vec![Some(0)];
    bounds.extend(points.into_iter().map(Some));
    bounds.push(size);
    let pieces = bounds
        .windows(2)
        .map(|w| {
            shape[axis] = w[0].zip(w[1]).map(|(s, e)| e.saturating_sub(s));
            keras_tensor(&shape, x.dtype)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Value::List(pieces))
}

/// `array_split`'s argument checks, then `ArraySplit`: the first sections
/// take the remainder; an unknown size gives a *tuple* of unknown pieces
/// (a list otherwise). A negative `axis` is shifted once, unchecked.
pub fn array_split(call: &OpCall) -> R {
    let args = bind(call, &["x", "indices_or_sections", "axis"], 2)?;
    let sections = args[1].unwrap_or(&Value::None);
    let n = match sections {
        Value::Int(n) => *n,
        Value::Bool(b) => i64::from(*b),
        other => {
            return Err(BackendError::type_error(format!(
                "Argument `indices_or_sections` must be of type `int`. Received: \
                 indices_or_sections={}",
                py_repr(other)
            )))
        }
    };
    if n <= 0 {
        return Err(BackendError::value_error(format!(
            "Argument `indices_or_sections` must be a positive integer. Received: \
             indices_or_sections={}",
            py_repr(sections)
        )));
    }
    let axis = match args[2] {
        None => 0,
        Some(v @ (Value::Int(_) | Value::Bool(_))) => index(v)?,
        Some(other) => {
            return Err(BackendError::type_error(format!(
                "Argument `axis` must be of type `int`. Received: {}",
                py_repr(other)
            )))
        }
    };
    let x = require_spec(args[0], "x")?;
    let rank = x.shape.len() as i64;
    let axis = if axis < 0 { axis + rank } else { axis };
    // Python tuple indexing of the shape.
    let axis = if (-rank..rank).contains(&axis) {
        axis.rem_euclid(rank.max(1)) as usize
    } else {
        return Err(index_error("tuple index out of range"));
    };
    let n = n as usize;
    let mut shape = x.shape.clone();
    let Some(total) = x.shape[axis] else {
        return Ok(Value::Tuple(outputs(spec(shape, x.dtype), n)?));
    };
    outputs(Value::None, n)?;
    let (part, rest) = (total / n, total % n);
    let pieces = (0..n)
        .map(|i| {
            shape[axis] = Some(part + usize::from(i < rest));
            spec(shape.clone(), x.dtype)
        })
        .collect();
    Ok(Value::List(pieces))
}
