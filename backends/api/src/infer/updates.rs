//! Inference rules: scatter and slice updates, `convert_to_numpy`.

use super::util::{bind, require_spec, spec, tensor_spec};
use super::Rule;
use crate::call::OpCall;
use crate::error::BackendError;
use crate::python::{py_repr, py_type_name};
use crate::value::Value;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
    ("convert_to_numpy", convert_to_numpy),
    ("scatter", scatter),
    ("scatter_update", scatter_update),
    ("slice_update", slice_update),
];

/// `np.array(keras_tensor)` raises: a symbolic tensor has no values.
fn convert_to_numpy(call: &OpCall) -> Result<Value, BackendError> {
    bind(call, &["x"], 1)?;
    Err(BackendError::value_error(
        "A KerasTensor is symbolic: it's a placeholder for a shape an a dtype. It doesn't have \
         any actual numerical value. You cannot convert it to a NumPy array.",
    ))
}

/// `KerasTensor(shape, dtype=values.dtype)`.
fn scatter(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["indices", "values", "shape"], 3)?;
    let values = require_spec(args[1], "values")?;
    let shape = args[2].unwrap_or(&Value::None);
    let dims = match shape {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(|d| match d {
                Value::Int(i) if *i >= 0 => Ok(Some(*i as usize)),
                Value::None => Ok(None),
                _ => Err(BackendError::value_error(format!(
                    "Cannot convert '{}' to a shape.",
                    py_repr(shape)
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?,
        other => {
            return Err(BackendError::value_error(format!(
                "Cannot convert '{}' to a shape.",
                py_repr(other)
            )))
        }
    };
    Ok(spec(dims, values.dtype))
}

/// The spec of `inputs`, which Keras reads as `inputs.shape`/`inputs.dtype`.
fn inputs_spec(v: Option<&Value>) -> Result<Value, BackendError> {
    let v = v.unwrap_or(&Value::None);
    let s = tensor_spec(v).ok_or_else(|| {
        BackendError::raised(
            "AttributeError",
            format!("'{}' object has no attribute 'shape'", py_type_name(v)),
        )
    })?;
    Ok(spec(s.shape, s.dtype))
}

/// `KerasTensor(inputs.shape, dtype=inputs.dtype)`, after Keras checks the
/// reduction name.
fn scatter_update(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["inputs", "indices", "updates", "reduction"], 3)?;
    match args[3] {
        None | Some(Value::None) => {}
        Some(Value::Str(s)) => {
            let name = s.to_lowercase();
            if !["add", "max", "min", "mul"].contains(&name.as_str()) {
                return Err(BackendError::value_error(format!(
                    "Invalid reduction: {name}. Supported values are: None, 'add', 'max', \
                     'min', 'mul'."
                )));
            }
        }
        Some(other) => {
            return Err(BackendError::raised(
                "AttributeError",
                format!("'{}' object has no attribute 'lower'", py_type_name(other)),
            ))
        }
    }
    inputs_spec(args[0])
}

/// `KerasTensor(inputs.shape, dtype=inputs.dtype)`.
fn slice_update(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["inputs", "start_indices", "updates"], 3)?;
    inputs_spec(args[0])
}
