//! Shape ops: reshape, squeeze, concatenate, flip, diagonal, ndim.

use kconform_api::{BackendError, OpCall, Value};

use crate::args::{axes, bind, canonicalize_axis, one_axis, py_int, py_repr, py_type_name};
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};

/// `newshape` as `keras.ops.reshape` takes it: an int, a sequence, or an
/// array of ints, checked by `validate_reshape_shape`.
fn new_shape(v: &Value) -> R<Vec<i64>> {
    let (dims, shown): (Vec<Value>, String) = match v {
        Value::List(items) | Value::Tuple(items) => {
            (items.clone(), py_repr(&Value::Tuple(items.clone())))
        }
        Value::Tensor(t) if t.rank() == 1 && t.dtype().is_integer() => {
            let items: Vec<Value> = t
                .to_f64_vec()
                .into_iter()
                .map(|f| Value::Int(f as i64))
                .collect();
            (items.clone(), py_repr(&Value::Tuple(items)))
        }
        Value::Int(_) | Value::Bool(_) => {
            (vec![v.clone()], py_repr(&Value::Tuple(vec![v.clone()])))
        }
        other => {
            return Err(BackendError::Unsupported(format!(
                "`newshape` as a {}",
                other.kind()
            )))
        }
    };
    let ints = dims
        .iter()
        .enumerate()
        .map(|(i, d)| {
            py_int(d).ok_or_else(|| {
                BackendError::type_error(format!(
                    "reshape(): argument 'shape' (position 2) must be tuple of ints, but found element of type {} at pos {i}",
                    d.kind()
                ))
            })
        })
        .collect::<R<Vec<_>>>();
    // validate_reshape_shape looks at the int dims before torch sees any.
    let int_dims: Vec<i64> = dims.iter().filter_map(py_int).collect();
    if int_dims.iter().any(|&d| d < -1) {
        return Err(BackendError::value_error(format!(
            "Each dimension in `newshape` must be a non-negative integer, or `-1` for a single unknown dimension. Received: newshape={shown}."
        )));
    }
    if int_dims.iter().filter(|&&d| d == -1).count() > 1 {
        return Err(BackendError::value_error(format!(
            "There must be at most one unknown dimension (-1) in `newshape`. Received: newshape={shown}."
        )));
    }
    ints
}

/// `reshape(x, newshape)`: `torch.reshape`.
pub fn reshape(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "newshape"], 2)?;
    let shape = new_shape(a.req(1))?;
    let x = tensor(ctx, a.req(0))?;
    output(&x.f_reshape(shape.as_slice()).py()?)
}

/// `squeeze(x, axis=None)`: `torch.squeeze`, which leaves a named axis of
/// size other than 1 alone instead of raising.
pub fn squeeze(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let out = match a.opt(1) {
        None => x.f_squeeze(),
        Some(v) if py_int(v).is_some() => x.f_squeeze_dim(py_int(v).unwrap_or_default()),
        Some(v) => {
            let dims = axes(Some(v))?.unwrap_or_default();
            x.f_squeeze_dims(dims.as_slice())
        }
    };
    output(&out.py()?)
}

/// `concatenate(xs, axis=0)`: `torch.cat` (which promotes across inputs).
pub fn concatenate(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["xs", "axis"], 1)?;
    let items = match a.req(0) {
        Value::List(items) | Value::Tuple(items) => items,
        other => {
            return Err(BackendError::Unsupported(format!(
                "`xs` as a {}",
                other.kind()
            )))
        }
    };
    let axis = match a.get(1) {
        None => 0,
        Some(Value::None) => {
            return Err(BackendError::raised(
                "RuntimeError",
                "Please look up dimensions by name, got: name = None.",
            ))
        }
        Some(v) => one_axis(Some(v), "axis")?.unwrap_or(0),
    };
    let xs = items
        .iter()
        .map(|x| tensor(ctx, x))
        .collect::<R<Vec<_>>>()?;
    output(&tch::Tensor::f_cat(&xs, axis).py()?)
}

/// `flip(x, axis=None)`: `torch.flip` over the given axes (all when `None`).
pub fn flip(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let dims = axes(a.get(1))?.unwrap_or_else(|| (0..x.dim() as i64).collect());
    output(&x.f_flip(dims.as_slice()).py()?)
}

/// `diagonal(x, offset=0, axis1=0, axis2=1)`: Keras checks the axes on
/// `x.shape` first (so `x` must be an array), then `torch.diagonal`.
pub fn diagonal(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "offset", "axis1", "axis2"], 1)?;
    let ndim = match a.req(0) {
        Value::Tensor(t) => t.rank(),
        other => {
            return Err(BackendError::raised(
                "AttributeError",
                format!("'{}' object has no attribute 'shape'", py_type_name(other)),
            ))
        }
    };
    let int =
        |i: usize, default: i64, what: &str| one_axis(a.get(i), what).map(|v| v.unwrap_or(default));
    let (offset, axis1, axis2) = (
        int(1, 0, "offset")?,
        int(2, 0, "axis1")?,
        int(3, 1, "axis2")?,
    );
    if canonicalize_axis(axis1, ndim)? == canonicalize_axis(axis2, ndim)? {
        return Err(BackendError::value_error(format!(
            "`axis1` and `axis2` cannot be the same. Received: axis1={axis1}, axis2={axis2}"
        )));
    }
    let x = tensor(ctx, a.req(0))?;
    output(&x.f_diagonal(offset, axis1, axis2).py()?)
}

/// `ndim(x)`: a Python int.
pub fn ndim(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    Ok(Value::Int(tensor(ctx, a.req(0))?.dim() as i64))
}
