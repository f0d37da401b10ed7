//! Inference rules: activation functions (`keras.ops.relu`, `softmax`, …).
//!
//! Every activation's `compute_output_spec` returns the input's shape and
//! declared dtype (even where the eager call returns `float32` for integer
//! input, or refuses it); `softmax`, `log_softmax` and `sparsemax` check
//! their axes first and `glu` halves its axis.

use super::util::{
    axes_arg, bind, canonicalize_axis, index, require_spec, same_shape, spec, tuple_repr,
};
use super::Rule;
use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::python::{py_repr, py_type_name};
use crate::value::Value;

type R = Result<Value, BackendError>;

/// The dtype rule of every activation: the input's own.
fn same(d: DType) -> Result<DType, BackendError> {
    Ok(d)
}

fn x_only(call: &OpCall) -> R {
    same_shape(call, &["x"], 1, same)
}

/// `swish` and `hard_swish` are `silu` and `hard_silu` themselves: binding
/// errors name those functions.
fn alias_of_silu(call: &OpCall) -> R {
    let name = if call.op == "hard_swish" {
        "hard_silu"
    } else {
        "silu"
    };
    x_only(&OpCall {
        op: name.into(),
        ..call.clone()
    })
}

fn with_threshold(call: &OpCall) -> R {
    same_shape(call, &["x", "threshold"], 1, same)
}

fn elu_like(call: &OpCall) -> R {
    same_shape(call, &["x", "alpha"], 1, same)
}

fn gelu(call: &OpCall) -> R {
    same_shape(call, &["x", "approximate"], 1, same)
}

fn leaky_relu(call: &OpCall) -> R {
    same_shape(call, &["x", "negative_slope"], 1, same)
}

fn squareplus(call: &OpCall) -> R {
    same_shape(call, &["x", "b"], 1, same)
}

fn threshold(call: &OpCall) -> R {
    same_shape(call, &["x", "threshold", "default_value"], 3, same)
}

/// `softmax`/`log_softmax`: `canonicalize_axes(axis, ndim)` unless `axis` is `None`.
fn normalizing(call: &OpCall) -> R {
    let args = bind(call, &["x", "axis"], 1)?;
    let x = require_spec(args[0], "x")?;
    let axis = args[1].unwrap_or(&Value::Int(-1));
    if let Some(list) = axes_arg(Some(axis))? {
        for a in list {
            canonicalize_axis(a, x.shape.len())?;
        }
    }
    Ok(spec(x.shape, x.dtype))
}

/// `sparsemax`: `canonicalize_axis(axis, ndim)`.
fn sparsemax(call: &OpCall) -> R {
    let args = bind(call, &["x", "axis"], 1)?;
    let x = require_spec(args[0], "x")?;
    canonicalize_axis(index(args[1].unwrap_or(&Value::Int(-1)))?, x.shape.len())?;
    Ok(spec(x.shape, x.dtype))
}

/// `glu`: the axis (a Python list index) halves; a known odd length raises.
fn glu(call: &OpCall) -> R {
    let args = bind(call, &["x", "axis"], 1)?;
    let x = require_spec(args[0], "x")?;
    let axis_value = args[1].unwrap_or(&Value::Int(-1));
    let axis = match axis_value {
        Value::Int(_) | Value::Bool(_) => index(axis_value)?,
        other => {
            return Err(BackendError::type_error(format!(
                "list indices must be integers or slices, not {}",
                py_type_name(other)
            )))
        }
    };
    let n = x.shape.len() as i64;
    if !(-n..n).contains(&axis) {
        return Err(BackendError::raised(
            "IndexError",
            "list index out of range",
        ));
    }
    let i = if axis < 0 { axis + n } else { axis } as usize;
    let mut shape = x.shape.clone();
    if let Some(d) = shape[i] {
        if d % 2 != 0 {
            return Err(BackendError::value_error(format!(
                "axis size must be divisible by 2. Received: x.shape={} with axis={}",
                tuple_repr(&x.shape),
                py_repr(axis_value)
            )));
        }
        shape[i] = Some(d / 2);
    }
    Ok(spec(shape, x.dtype))
}

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
    ("celu", elu_like),
    ("elu", elu_like),
    ("gelu", gelu),
    ("glu", glu),
    ("hard_shrink", with_threshold),
    ("hard_sigmoid", x_only),
    ("hard_silu", x_only),
    ("hard_swish", alias_of_silu),
    ("hard_tanh", x_only),
    ("leaky_relu", leaky_relu),
    ("log_sigmoid", x_only),
    ("log_softmax", normalizing),
    ("relu", x_only),
    ("relu6", x_only),
    ("selu", x_only),
    ("sigmoid", x_only),
    ("silu", x_only),
    ("soft_shrink", with_threshold),
    ("softmax", normalizing),
    ("softplus", x_only),
    ("softsign", x_only),
    ("sparse_plus", x_only),
    ("sparse_sigmoid", x_only),
    ("sparsemax", sparsemax),
    ("squareplus", squareplus),
    ("swish", alias_of_silu),
    ("tanh_shrink", x_only),
    ("threshold", threshold),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::TensorSpec;

    fn sym(shape: Vec<Option<usize>>) -> Value {
        Value::Spec(TensorSpec {
            shape,
            dtype: DType::Int8,
        })
    }

    #[test]
    fn glu_halves_and_checks() {
        let c = OpCall::new("glu", vec![sym(vec![None, Some(4)])]);
        assert_eq!(glu(&c).unwrap(), spec(vec![None, Some(2)], DType::Int8));
        let c = OpCall::new("glu", vec![sym(vec![None, Some(3)])]);
        assert_eq!(
            glu(&c).unwrap_err().to_string(),
            "ValueError: axis size must be divisible by 2. Received: x.shape=(None, 3) with axis=-1"
        );
        let c = OpCall::new("softmax", vec![sym(vec![Some(2)])]).kwarg("axis", Value::Int(1));
        assert!(normalizing(&c).is_err());
    }
}
