//! `keras.ops.convert_to_numpy`: `np.array(x)` for anything that is not a
//! JAX array, so nothing is narrowed to 32 bits (unlike `convert_to_tensor`):
//! NumPy arrays keep their dtype, Python `int`/`float` become `int64`/`float64`.

use kconform_api::{DType, OpCall, Tensor, TensorData, Value};

use crate::args::Args;
use crate::convert::flatten;
use crate::error::{OpError, OpResult};

/// `np.array(v)` of a Python scalar or nested list of them.
fn numpy_array(v: &Value) -> OpResult<Tensor> {
    let mut leaves = Vec::new();
    let shape = flatten(v, 0, &mut leaves)?;
    let dtype = if leaves.iter().any(|l| matches!(l, Value::Float(_))) {
        DType::Float64
    } else if leaves.iter().any(|l| matches!(l, Value::Int(_))) {
        DType::Int64
    } else if leaves.is_empty() && !matches!(v, Value::Bool(_)) {
        DType::Float64
    } else {
        DType::Bool
    };
    let unsupported = |l: &Value| {
        OpError::Unsupported(format!(
            "convert_to_numpy of a {} (an object or mixed array)",
            l.kind()
        ))
    };
    let as_f64 = |l: &&Value| match l {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        other => Err(unsupported(other)),
    };
    let as_i64 = |l: &&Value| match l {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        other => Err(unsupported(other)),
    };
    let as_bool = |l: &&Value| match l {
        Value::Bool(b) => Ok(*b),
        other => Err(unsupported(other)),
    };
    let data = match dtype {
        DType::Float64 => TensorData::Float64(leaves.iter().map(as_f64).collect::<OpResult<_>>()?),
        DType::Int64 => TensorData::Int64(leaves.iter().map(as_i64).collect::<OpResult<_>>()?),
        _ => TensorData::Bool(leaves.iter().map(as_bool).collect::<OpResult<_>>()?),
    };
    Tensor::new(shape, data).map_err(|e| OpError::Internal(e.to_string()))
}

/// `keras.ops.convert_to_numpy(x)`.
pub fn convert_to_numpy(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x"], 1)?;
    match args.value(0) {
        Value::Tensor(t) => Ok(Value::Tensor(t.clone())),
        v @ (Value::Int(_)
        | Value::Float(_)
        | Value::Bool(_)
        | Value::List(_)
        | Value::Tuple(_)) => numpy_array(v).map(Value::Tensor),
        other => Err(OpError::Unsupported(format!(
            "convert_to_numpy of a {} (an object array)",
            other.kind()
        ))),
    }
}
