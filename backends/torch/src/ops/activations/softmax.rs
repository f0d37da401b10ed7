//! `softmax` and `log_softmax` (Keras's tuple-axis handling around
//! `tnn.softmax` / `tnn.log_softmax`), and `glu`.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::parser::{int, invalid_combination, torch_type_name};
use crate::args::{bind, py_type_name};
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, tensor, Ctx, R};

/// Which of the two normalizations.
#[derive(Clone, Copy)]
enum Normalize {
    Softmax,
    LogSoftmax,
}

impl Normalize {
    fn name(self) -> &'static str {
        match self {
            Normalize::Softmax => "softmax",
            Normalize::LogSoftmax => "log_softmax",
        }
    }

    /// `input.softmax(dim)` / `input.log_softmax(dim)`.
    fn along(self, x: &tch::Tensor, dim: i64) -> R<tch::Tensor> {
        match self {
            Normalize::Softmax => x.f_softmax(dim, None::<tch::Kind>),
            Normalize::LogSoftmax => x.f_log_softmax(dim, None::<tch::Kind>),
        }
        .py()
    }
}

/// `x.shape` of a Keras argument: a NumPy array has one, a Python value does not.
fn shape_attr(x: &Value) -> R<Vec<usize>> {
    match x {
        Value::Tensor(t) => Ok(t.shape().to_vec()),
        other => Err(BackendError::raised(
            "AttributeError",
            format!("'{}' object has no attribute 'shape'", py_type_name(other)),
        )),
    }
}

/// `tnn.softmax(x, dim=dim)`'s parsing of `dim` (`Tensor.softmax(int dim)` or
/// `(name dim)`), then the call.
fn torch_normalize(f: Normalize, x: &tch::Tensor, dim: &Value) -> R<tch::Tensor> {
    match dim {
        Value::Int(d) => f.along(x, *d),
        Value::Str(name) => {
            let dims = vec!["None"; x.dim()].join(", ");
            Err(BackendError::raised(
                "RuntimeError",
                format!("Name '{name}' not found in Tensor[{dims}]."),
            ))
        }
        other => Err(invalid_combination(
            f.name(),
            torch_type_name(other),
            &[
                "(int dim, torch.dtype dtype = None)",
                "(name dim, *, torch.dtype dtype = None)",
            ],
        )),
    }
}

/// Keras-torch's `backend.nn.softmax(x, axis)` / `log_softmax`: float16 is
/// computed in float32 on the CPU; `axis=None` normalizes over every element
/// (torch would read `None` as the last axis); the result is cast back to
/// `x`'s dtype.
fn backend(ctx: Ctx, f: Normalize, x: tch::Tensor, axis: &Value) -> R<tch::Tensor> {
    let d = dtype(&x)?;
    let x = if ctx.device == tch::Device::Cpu && d == DType::Float16 {
        cast(x, DType::Float32)?
    } else {
        x
    };
    let out = match axis {
        Value::None => {
            let flat = x.f_reshape([-1i64]).py()?;
            f.along(&flat, -1)?.f_reshape(x.size()).py()?
        }
        dim => torch_normalize(f, &x, dim)?,
    };
    cast(out, d)
}

/// An element of a tuple `axis`, as Python's `in` compares it and
/// `torch.permute` unpacks it.
fn axis_element(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Keras's tuple-`axis` path: move the axes last, flatten them into one,
/// normalize over it, and undo the reshape and the transpose.
fn over_axes(ctx: Ctx, f: Normalize, x: &Value, axes: &[Value]) -> R<tch::Tensor> {
    let shape = shape_attr(x)?;
    let keep: Vec<usize> = (0..shape.len())
        .filter(|&v| !axes.iter().any(|a| axis_element(a) == Some(v as f64)))
        .collect();
    let mut order: Vec<i64> = keep.iter().map(|&v| v as i64).collect();
    for (i, a) in axes.iter().enumerate() {
        match a {
            Value::Int(n) => order.push(*n),
            Value::Bool(b) => order.push(i64::from(*b)),
            other => {
                return Err(BackendError::type_error(format!(
                    "permute(): argument 'dims' failed to unpack the object at pos {} with error \
                     \"type must be tuple of ints,but got {}\"",
                    keep.len() + i + 1,
                    torch_type_name(other)
                )))
            }
        }
    }
    let transposed = tensor(ctx, x)?.f_permute(order.as_slice()).py()?;
    let mut flat: Vec<i64> = keep.iter().map(|&v| shape[v] as i64).collect();
    flat.push(-1);
    let reshaped = transposed.f_reshape(flat.as_slice()).py()?;
    let normalized = backend(ctx, f, reshaped, &Value::Int(-1))?;
    let restored = normalized.f_reshape(transposed.size()).py()?;
    let mut inverse: Vec<i64> = (0..order.len() as i64).collect();
    inverse.sort_by_key(|&i| order[i as usize]);
    restored.f_permute(inverse.as_slice()).py()
}

/// `keras.ops.softmax` / `log_softmax` from the argument handling on.
fn normalize(ctx: Ctx, call: &OpCall, f: Normalize) -> R<Value> {
    let a = bind(call, &["x", "axis"], 1)?;
    let x = a.req(0);
    let axis = a.get(1).unwrap_or(&Value::Int(-1));
    // `softmax` reads `x.shape` for its size-1-axis warning when `axis` is an int.
    if matches!(f, Normalize::Softmax) && matches!(axis, Value::Int(_) | Value::Bool(_)) {
        shape_attr(x)?;
    }
    match axis {
        Value::Tuple(axes) => output(&over_axes(ctx, f, x, axes)?),
        _ => output(&backend(ctx, f, tensor(ctx, x)?, axis)?),
    }
}

/// `softmax(x, axis=-1)`: `tnn.softmax` along `axis` (ints and bools are
/// refused by torch's kernel); a tuple `axis` is flattened into one first.
pub fn softmax(ctx: Ctx, call: &OpCall) -> R<Value> {
    normalize(ctx, call, Normalize::Softmax)
}

/// `log_softmax(x, axis=-1)`: `tnn.log_softmax`, with `softmax`'s axis handling.
pub fn log_softmax(ctx: Ctx, call: &OpCall) -> R<Value> {
    normalize(ctx, call, Normalize::LogSoftmax)
}

/// `glu(x, axis=-1)`: `tnn.glu(x, dim=axis)`, which refuses 0-d tensors
/// before torch parses `dim` as an `int`.
pub fn glu(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    if x.dim() == 0 {
        return Err(BackendError::raised(
            "RuntimeError",
            "glu does not support scalars because halving size must be even",
        ));
    }
    let dim = match a.get(1) {
        Some(v) => int(v, "glu", "dim", Some(2))?,
        None => -1,
    };
    output(&x.f_glu(dim).py()?)
}
