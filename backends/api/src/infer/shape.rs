//! Inference rules: shape manipulation and tensor creation, one submodule per
//! kind of op, each rule mirroring its op's `compute_output_spec` in Keras
//! 3.15.1 (`keras/src/ops/numpy.py`, `core.py`), Keras's bugs included.
//!
//! `zeros`, `ones`, `eye`, `identity` and `tri` have no rule: they take no
//! tensor, so Keras never builds them symbolically.
//!
//! [`process_pad_width`] is public: the eager `pad` of a backend applies the
//! same Keras-level `pad_width` handling before its own.

mod fill;
mod join;
mod permute;
mod repeat;

use super::util::{index_error, spec, tuple_repr, Dims};
use super::Rule;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::python::{py_repr, py_type_name};
use crate::value::{TensorSpec, Value};

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
    ("argsort", permute::argsort),
    ("array_split", join::array_split),
    ("broadcast_to", permute::broadcast_to),
    ("expand_dims", permute::expand_dims),
    ("fliplr", permute::fliplr),
    ("flipud", permute::flipud),
    ("full", fill::full),
    ("full_like", fill::full_like),
    ("hstack", join::hstack),
    ("linspace", fill::linspace),
    ("logspace", fill::logspace),
    ("moveaxis", permute::moveaxis),
    ("ones_like", fill::ones_like),
    ("pad", repeat::pad),
    ("ravel", permute::ravel),
    ("repeat", repeat::repeat),
    ("roll", permute::roll),
    ("rot90", permute::rot90),
    ("sort", permute::sort),
    ("split", join::split),
    ("stack", join::stack),
    ("swapaxes", permute::swapaxes),
    ("tile", repeat::tile),
    ("transpose", permute::transpose),
    ("tril", permute::tril),
    ("triu", permute::triu),
    ("unstack", join::unstack),
    ("vstack", join::vstack),
    ("zeros_like", fill::zeros_like),
];

/// The most tensors a rule returns (more are refused, not built).
const MAX_OUTPUTS: usize = 1 << 20;

/// `n` copies of `v`, refusing more than [`MAX_OUTPUTS`].
fn outputs(v: Value, n: usize) -> Result<Vec<Value>, BackendError> {
    if n > MAX_OUTPUTS {
        return Err(BackendError::Unsupported(format!(
            "{n} symbolic outputs (over {MAX_OUTPUTS})"
        )));
    }
    Ok(vec![v; n])
}

/// The items of a list or tuple argument.
fn items_of(v: &Value) -> Option<&[Value]> {
    match v {
        Value::List(items) | Value::Tuple(items) => Some(items),
        _ => None,
    }
}

/// Python's `len(v)`, or its `TypeError`.
fn len_of(v: &Value) -> Result<usize, BackendError> {
    match v {
        Value::List(items) | Value::Tuple(items) => Ok(items.len()),
        Value::Str(s) => Ok(s.chars().count()),
        Value::Tensor(t) if t.rank() > 0 => Ok(t.shape()[0]),
        Value::Tensor(_) => Err(BackendError::type_error("len() of unsized object")),
        other => Err(BackendError::type_error(format!(
            "object of type '{}' has no len()",
            py_type_name(other)
        ))),
    }
}

/// A `KerasTensor` of a computed shape, where a dimension may have come out
/// negative: Keras refuses those when it builds the tensor.
fn keras_tensor(shape: &[Option<i64>], dtype: DType) -> Result<Value, BackendError> {
    if shape.iter().flatten().any(|&d| d < 0) {
        let items: Vec<Value> = shape
            .iter()
            .map(|d| d.map_or(Value::None, Value::Int))
            .collect();
        return Err(BackendError::value_error(format!(
            "Cannot convert '{}' to a shape. Negative dimensions are not allowed.",
            py_repr(&Value::Tuple(items))
        )));
    }
    Ok(spec(
        shape.iter().map(|d| d.map(|n| n as usize)).collect(),
        dtype,
    ))
}

/// A shape as signed dimensions, for arithmetic that may go negative.
fn signed(shape: &[Option<usize>]) -> Vec<Option<i64>> {
    shape.iter().map(|d| d.map(|n| n as i64)).collect()
}

/// A `KerasTensor`'s shape as Python prints it (a tuple).
fn shape_of(s: &TensorSpec) -> String {
    tuple_repr(&s.shape)
}

/// A shape as a Python list prints (`[None, 3]`).
fn list_of(shape: &Dims) -> String {
    super::util::list_repr(shape)
}

/// `pad_width` after Keras's `Pad._process_pad_width`: the `(before, after)`
/// rows, and the processed value as Python prints it (for error messages).
#[derive(Clone, Debug, PartialEq)]
pub struct PadWidth {
    /// One row per axis, or one row for every axis.
    pub rows: Vec<Vec<Value>>,
    /// The processed `pad_width` itself.
    pub shown: Value,
}

/// Keras's `Pad._process_pad_width`: an int becomes one pair, a sequence
/// starting with an int is one row, and otherwise every row must have the
/// first row's length; a one-value row is doubled in place (so a tuple of
/// rows raises Python's `TypeError`). Shared by the eager and symbolic paths.
pub fn process_pad_width(v: &Value) -> Result<PadWidth, BackendError> {
    if matches!(v, Value::Int(_) | Value::Bool(_)) {
        let row = vec![v.clone(), v.clone()];
        let shown = Value::Tuple(vec![Value::Tuple(row.clone())]);
        return Ok(PadWidth {
            rows: vec![row],
            shown,
        });
    }
    let Some(items) = items_of(v) else {
        return Err(BackendError::Unsupported(format!(
            "pad_width given as a {}",
            v.kind()
        )));
    };
    if matches!(items.first(), Some(Value::Int(_) | Value::Bool(_))) {
        let shown = Value::Tuple(vec![v.clone()]);
        return Ok(PadWidth {
            rows: vec![items.to_vec()],
            shown,
        });
    }
    let mut rows: Vec<Vec<Value>> = items
        .iter()
        .map(|r| match items_of(r) {
            Some(x) => Ok(x.to_vec()),
            None => Err(len_of(r).err().unwrap_or_else(|| {
                BackendError::Unsupported(format!("a pad_width row given as a {}", r.kind()))
            })),
        })
        .collect::<Result<_, _>>()?;
    let first_len = rows
        .first()
        .map(Vec::len)
        .ok_or_else(|| index_error("list index out of range"))?;
    // Rows already doubled print as tuples, the rest as given.
    let mut shown: Vec<Value> = items.to_vec();
    for i in 0..rows.len() {
        if rows[i].len() != first_len {
            return Err(BackendError::value_error(format!(
                "`pad_width` should be a list of tuples of length 1 or 2. Received: pad_width={}",
                py_repr(&Value::List(shown))
            )));
        }
        if first_len == 1 {
            if matches!(v, Value::Tuple(_)) {
                return Err(BackendError::type_error(
                    "'tuple' object does not support item assignment",
                ));
            }
            let p = rows[i][0].clone();
            rows[i] = vec![p.clone(), p];
            shown[i] = Value::Tuple(rows[i].clone());
        }
    }
    let shown = match v {
        Value::Tuple(_) => Value::Tuple(shown),
        _ => Value::List(shown),
    };
    Ok(PadWidth { rows, shown })
}
