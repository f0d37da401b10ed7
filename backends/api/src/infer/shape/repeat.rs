//! Rules of ops that grow dimensions: `tile`, `repeat`, `pad`.

use super::super::util::{index, index_error};
use super::{keras_tensor, len_of, process_pad_width, shape_of, signed};
use crate::call::OpCall;
use crate::error::BackendError;
use crate::infer::util::{bind, require_spec};
use crate::python::{py_repr, py_type_name};
use crate::value::Value;

type R = Result<Value, BackendError>;

/// A Python int, or the `TypeError` of multiplying an int by `v`.
fn factor(v: &Value) -> Result<i64, BackendError> {
    index(v).map_err(|_| {
        BackendError::type_error(format!(
            "unsupported operand type(s) for *: 'int' and '{}'",
            py_type_name(v)
        ))
    })
}

/// `Tile`: repeats are left-padded with ones (or the shape with ones) and
/// multiply known dimensions.
pub fn tile(call: &OpCall) -> R {
    let args = bind(call, &["x", "repeats"], 2)?;
    let x = require_spec(args[0], "x")?;
    let reps_value = args[1].unwrap_or(&Value::None);
    let mut reps: Vec<i64> = match reps_value {
        Value::Int(_) | Value::Bool(_) => vec![index(reps_value)?],
        Value::List(items) | Value::Tuple(items) => {
            items.iter().map(factor).collect::<Result<_, _>>()?
        }
        other => {
            return Err(BackendError::type_error(format!(
                "'{}' object is not iterable",
                py_type_name(other)
            )))
        }
    };
    let mut shape = signed(&x.shape);
    if shape.len() > reps.len() {
        let mut padded = vec![1; shape.len() - reps.len()];
        padded.extend(reps);
        reps = padded;
    } else {
        let mut padded = vec![Some(1); reps.len() - shape.len()];
        padded.extend(shape);
        shape = padded;
    }
    let out: Vec<Option<i64>> = shape
        .iter()
        .zip(&reps)
        .map(|(d, &r)| d.map(|n| n.saturating_mul(r)))
        .collect();
    keras_tensor(&out, x.dtype)
}

/// `Repeat`: an int repeats every element; a list (or tensor) gives each
/// element along `axis` its own count and must match that dimension.
/// `axis` indexes the shape list as Python does (no canonicalization).
pub fn repeat(call: &OpCall) -> R {
    let args = bind(call, &["x", "repeats", "axis"], 2)?;
    let x = require_spec(args[0], "x")?;
    let reps_value = args[1].unwrap_or(&Value::None);
    let counts: Vec<i64> = match reps_value {
        Value::Int(_) | Value::Bool(_) => vec![index(reps_value)?],
        Value::List(items) | Value::Tuple(items) => {
            items.iter().map(index).collect::<Result<_, _>>()?
        }
        Value::Tensor(t) if t.rank() == 1 => {
            (0..t.len()).map(|i| t.scalar(i).as_f64() as i64).collect()
        }
        other => {
            return Err(len_of(other).err().unwrap_or_else(|| {
                BackendError::Unsupported(format!("repeats given as {}", py_repr(other)))
            }))
        }
    };
    let broadcast = counts.len() == 1;
    let total: i64 = counts.iter().fold(0i64, |acc, &c| acc.saturating_add(c));
    let axis = args[2].filter(|v| !matches!(v, Value::None));
    let Some(axis) = axis else {
        let Some(size) = x
            .shape
            .iter()
            .try_fold(1i64, |acc, d| d.map(|n| acc.saturating_mul(n as i64)))
        else {
            return keras_tensor(&[None], x.dtype);
        };
        let out = if broadcast {
            size.saturating_mul(counts[0])
        } else if counts.len() as i64 != size {
            return Err(BackendError::value_error(format!(
                "Size of `repeats` and dimensions of `x` after flattening should be compatible. \
                 Received: {} and {size}",
                counts.len()
            )));
        } else {
            total
        };
        return keras_tensor(&[Some(out)], x.dtype);
    };
    let a = index(axis)?;
    let rank = x.shape.len() as i64;
    if !(-rank..rank).contains(&a) {
        return Err(index_error("list index out of range"));
    }
    let a = a.rem_euclid(rank) as usize;
    let mut shape = signed(&x.shape);
    let Some(size) = shape[a] else {
        return keras_tensor(&shape, x.dtype);
    };
    shape[a] = Some(if broadcast {
        size.saturating_mul(counts[0])
    } else if counts.len() as i64 != size {
        let dims: Vec<String> = x
            .shape
            .iter()
            .map(|d| d.map_or_else(|| "None".into(), |n| n.to_string()))
            .collect();
        return Err(BackendError::value_error(format!(
            "Size of `repeats` and dimensions of `axis {} of x` should be compatible. Received: \
             {} and [{}]",
            py_repr(axis),
            counts.len(),
            dims.join(", ")
        )));
    } else {
        total
    });
    keras_tensor(&shape, x.dtype)
}

/// `Pad`: one row of widths applies to every axis, else one row per axis;
/// unknown dimensions stay unknown. Neither the mode nor the widths' signs
/// are checked.
pub fn pad(call: &OpCall) -> R {
    let args = bind(call, &["x", "pad_width", "mode", "constant_values"], 2)?;
    let width = process_pad_width(args[1].unwrap_or(&Value::None))?;
    let rows = &width.rows;
    let x = require_spec(args[0], "x")?;
    let ndim = x.shape.len();
    if rows.len() != 1 && rows.len() != ndim {
        return Err(BackendError::value_error(format!(
            "`pad_width` must have the same length as `x.shape`. Received: pad_width={} (of \
             length {}) and x.shape={} (of length {ndim})",
            py_repr(&width.shown),
            rows.len(),
            shape_of(&x)
        )));
    }
    let mut shape = signed(&x.shape);
    for (i, d) in shape.iter_mut().enumerate() {
        let row = &rows[if rows.len() == 1 { 0 } else { i }];
        let side = |k: usize| {
            row.get(k)
                .map_or_else(|| Err(index_error("tuple index out of range")), index)
        };
        let grow = side(0)?.saturating_add(side(1)?);
        *d = d.map(|n| n.saturating_add(grow));
    }
    keras_tensor(&shape, x.dtype)
}
