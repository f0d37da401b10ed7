//! Constant tensors: `zeros`, `ones`, `full` and their `_like` forms.

use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, IxDyn};

use super::permute::{broadcast_array, shape_arg};
use crate::args::{dtype, py_type_name, Args};
use crate::array::{with_dtype, Array};
use crate::convert::{convert, to_array};
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{check_size, int_tuple_repr, OpError, OpResult};

/// A dtype handed straight to `jnp` (Keras does not standardize it):
/// `default` when `None`, NumPy's `TypeError` for an unknown name.
pub(super) fn jnp_dtype(v: Option<&Value>, default: DType) -> OpResult<DType> {
    match v {
        None | Some(Value::None) => Ok(default),
        Some(Value::Str(s)) => s
            .parse::<DType>()
            .map_err(|_| OpError::Type(format!("data type '{s}' not understood"))),
        Some(other) => Err(OpError::Unsupported(format!(
            "a {} given as a dtype",
            other.kind()
        ))),
    }
}

/// The nonnegative dimensions of a shape argument, or the `TypeError` of
/// `lax.broadcast_in_dim` for a negative one.
fn dims_of(v: &Value) -> OpResult<Vec<usize>> {
    let dims = shape_arg(v)?;
    if dims.iter().any(|&d| d < 0) {
        return Err(OpError::Type(format!(
            "broadcast_in_dim shape must have every element be nonnegative, got {}.",
            int_tuple_repr(dims.iter().copied())
        )));
    }
    let dims: Vec<usize> = dims.iter().map(|&d| d as usize).collect();
    check_size(&dims)?;
    Ok(dims)
}

/// A tensor of `shape` and `dtype` holding `value` everywhere (converted to
/// the dtype as XLA converts: integers wrap, floats truncate and saturate).
fn filled(shape: &[usize], dtype: DType, value: Scalar) -> Array {
    with_dtype!(dtype, T => T::wrap(ArrayD::from_elem(IxDyn(shape), T::from_scalar(value))))
}

/// A Python value accepted as a fill by `jnp` (`check_arraylike`), refused
/// with the `TypeError` naming `position` otherwise.
fn fill_arg(v: &Value, jnp_name: &str, position: usize) -> OpResult<()> {
    match v {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Tensor(_) => Ok(()),
        Value::Str(_) => convert(v).map(|_| ()),
        other => Err(OpError::Type(format!(
            "{jnp_name} requires ndarray or scalar arguments, got <class '{}'> at position \
             {position}.",
            py_type_name(other)
        ))),
    }
}

/// The exact value of a scalar fill: a Python scalar as given, or the only
/// element of a 0-d tensor.
fn scalar_fill(v: &Value) -> Option<Scalar> {
    match v {
        Value::Int(i) => Some(Scalar::Int((*i).into())),
        Value::Float(f) => Some(Scalar::Float(*f)),
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        Value::Tensor(t) if t.rank() == 0 => Some(t.scalar(0)),
        _ => None,
    }
}

/// `value` as `shape` and `dtype`: a scalar converted once, or a tensor cast
/// and broadcast.
fn full_of(shape: &[usize], dtype: DType, value: &Value) -> OpResult<Array> {
    match scalar_fill(value) {
        Some(s) => Ok(filled(shape, dtype, s)),
        None => {
            let wanted: Vec<i64> = shape.iter().map(|&d| d as i64).collect();
            broadcast_array(to_array(value)?.cast(dtype), &wanted)
        }
    }
}

/// `keras.ops.zeros(shape, dtype=None)` (`float32` by default).
pub fn zeros(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["shape", "dtype"], 1)?;
    let dt = jnp_dtype(args.get(1), DType::Float32)?;
    tensor(filled(&dims_of(args.value(0))?, dt, Scalar::Int(0)))
}

/// `keras.ops.ones(shape, dtype=None)` (`float32` by default).
pub fn ones(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["shape", "dtype"], 1)?;
    let dt = jnp_dtype(args.get(1), DType::Float32)?;
    tensor(filled(&dims_of(args.value(0))?, dt, Scalar::Int(1)))
}

/// `keras.ops.full(shape, fill_value, dtype=None)`: `float32` by default,
/// whatever the fill's dtype.
pub fn full(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["shape", "fill_value", "dtype"], 2)?;
    let dt = dtype(args.get(2))?.unwrap_or(DType::Float32);
    let fill = args.value(1);
    fill_arg(fill, "full", 0)?;
    let shape = dims_of(args.value(0))?;
    tensor(full_of(&shape, dt, fill)?)
}

/// The input of a `_like` op: a tensor or Python scalar (`jnp` refuses lists).
fn like_input(v: &Value, jnp_name: &str) -> OpResult<Array> {
    fill_arg(v, jnp_name, 0)?;
    to_array(v)
}

/// `keras.ops.zeros_like(x, dtype=None)`.
pub fn zeros_like(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "dtype"], 1)?;
    let dt = dtype(args.get(1))?;
    let x = like_input(args.value(0), "zeros_like")?;
    tensor(filled(x.shape(), dt.unwrap_or(x.dtype()), Scalar::Int(0)))
}

/// `keras.ops.ones_like(x, dtype=None)`.
pub fn ones_like(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "dtype"], 1)?;
    let dt = dtype(args.get(1))?;
    let x = like_input(args.value(0), "ones_like")?;
    tensor(filled(x.shape(), dt.unwrap_or(x.dtype()), Scalar::Int(1)))
}

/// `keras.ops.full_like(x, fill_value, dtype=None)`: `x`'s dtype by default;
/// the fill is converted to it (Python scalars included, so `2.7` fills an
/// integer tensor with `2`).
pub fn full_like(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "fill_value", "dtype"], 2)?;
    let dt = dtype(args.get(2))?;
    let fill = args.value(1);
    let x_value = args.value(0);
    if !matches!(x_value, Value::Tensor(_)) {
        fill_arg(x_value, "full_like", 0)?;
    }
    fill_arg(fill, "full_like", 1)?;
    let x = to_array(x_value)?;
    tensor(full_of(x.shape(), dt.unwrap_or(x.dtype()), fill)?)
}
