//! Ops that move, add, reverse or broadcast axes: `broadcast_to`,
//! `expand_dims`, `fliplr`, `flipud`, `moveaxis`, `ravel`, `rot90`,
//! `swapaxes`, `transpose`.

use kconform_api::{BackendError, OpCall, Value};

use super::py::py_len;
use super::torch_args::{torch_int, torch_ints, torch_type_name};
use crate::args::{axes, bind, canonicalize_axis, py_int, py_repr};
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};

/// `broadcast_to(x, shape)`: `torch.broadcast_to(x, shape)`, which takes only
/// a tuple of ints (an int or an array shape is a `TypeError`) and keeps an
/// existing dimension for `-1`.
pub fn broadcast_to(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "shape"], 2)?;
    let x = tensor(ctx, a.req(0))?;
    let size = torch_ints(a.req(1), "broadcast_to(): argument 'size' (position 2)")?;
    output(&x.f_broadcast_to(size.as_slice()).py()?)
}

/// `expand_dims(x, axis)`: the axes (an int or a sequence) canonicalized
/// against the output rank and sorted, then one `torch.unsqueeze` each, so a
/// repeated axis adds two dimensions instead of raising.
pub fn expand_dims(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis"], 2)?;
    let mut x = tensor(ctx, a.req(0))?;
    let Some(axis) = axes(a.get(1))? else {
        return Err(BackendError::type_error(
            "object of type 'NoneType' has no len()",
        ));
    };
    let out_ndim = x.dim() + axis.len();
    let mut dims = axis
        .iter()
        .map(|&d| canonicalize_axis(d, out_ndim))
        .collect::<R<Vec<_>>>()?;
    dims.sort_unstable();
    for d in dims {
        x = x.f_unsqueeze(d).py()?;
    }
    output(&x)
}

/// `fliplr(x)`: `torch.fliplr` (a `RuntimeError` below 2 dimensions).
pub fn fliplr(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    output(&tensor(ctx, a.req(0))?.f_fliplr().py()?)
}

/// `flipud(x)`: `torch.flipud` (a `RuntimeError` on a 0-d tensor).
pub fn flipud(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    output(&tensor(ctx, a.req(0))?.f_flipud().py()?)
}

/// `moveaxis(x, source, destination)`: `torch.moveaxis`, whose overloads take
/// two ints or two sequences of ints (an int with a sequence is a
/// `TypeError`); repeated axes are torch's `RuntimeError`.
pub fn moveaxis(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "source", "destination"], 3)?;
    let x = tensor(ctx, a.req(0))?;
    let (source, destination) = (a.req(1), a.req(2));
    let out = match (source, destination) {
        (Value::Int(s), Value::Int(d)) => x.f_moveaxis_int(*s, *d),
        (Value::List(_) | Value::Tuple(_), Value::List(_) | Value::Tuple(_)) => {
            let s = torch_ints(source, "moveaxis(): argument 'source'")?;
            let d = torch_ints(destination, "moveaxis(): argument 'destination'")?;
            x.f_moveaxis(s.as_slice(), d.as_slice())
        }
        _ => {
            return Err(BackendError::type_error(format!(
                "moveaxis() received an invalid combination of arguments - got (Tensor, \
                 destination={}, source={}), but expected one of:\n \
                 * (Tensor input, tuple of ints source, tuple of ints destination)\n \
                 * (Tensor input, int source, int destination)",
                torch_type_name(destination),
                torch_type_name(source)
            )))
        }
    };
    output(&out.py()?)
}

/// `ravel(x)`: `torch.ravel`.
pub fn ravel(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    output(&tensor(ctx, a.req(0))?.f_ravel().py()?)
}

/// `rot90(array, k=1, axes=(0, 1))`: Keras-torch's own checks (rank >= 2; two
/// different axes as given; both in range after adding `ndim` to negative
/// ones, reported canonicalized), then `torch.rot90(x, k, dims)`, which
/// takes only an int `k` and raises its own `RuntimeError` for axes that are
/// equal once canonicalized.
pub fn rot90(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["array", "k", "axes"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let ndim = x.dim() as i64;
    if ndim < 2 {
        return Err(BackendError::value_error(format!(
            "Input array must have at least 2 dimensions. Received: array.ndim={ndim}"
        )));
    }
    let default_axes = Value::Tuple(vec![Value::Int(0), Value::Int(1)]);
    let given = a.get(2).unwrap_or(&default_axes);
    let items = match given {
        Value::List(items) | Value::Tuple(items) => items.clone(),
        other => {
            py_len(other)?;
            return Err(BackendError::Unsupported(format!(
                "`axes` as a {}",
                other.kind()
            )));
        }
    };
    if items.len() != 2 || items[0] == items[1] {
        return Err(BackendError::value_error(format!(
            "Invalid axes: {}. Axes must be a tuple of two different dimensions.",
            py_repr(given)
        )));
    }
    let dims = items
        .iter()
        .map(|v| {
            py_int(v)
                .map(|d| if d >= 0 { d } else { ndim + d })
                .ok_or_else(|| BackendError::Unsupported(format!("an axis as a {}", v.kind())))
        })
        .collect::<R<Vec<_>>>()?;
    if !dims.iter().all(|&d| (0..ndim).contains(&d)) {
        return Err(BackendError::value_error(format!(
            "Invalid axes ({}, {}) for tensor with {ndim} dimensions",
            dims[0], dims[1]
        )));
    }
    let k = torch_int(a.get(1).unwrap_or(&Value::Int(1)), "rot90(): argument 'k'")?;
    output(&x.f_rot90(k, dims.as_slice()).py()?)
}

/// `swapaxes(x, axis1, axis2)`: `torch.swapaxes(x, axis0=axis1, axis1=axis2)`.
pub fn swapaxes(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis1", "axis2"], 3)?;
    let x = tensor(ctx, a.req(0))?;
    let axis0 = torch_int(a.req(1), "swapaxes(): argument 'axis0'")?;
    let axis1 = torch_int(a.req(2), "swapaxes(): argument 'axis1'")?;
    output(&x.f_swapaxes(axis0, axis1).py()?)
}

/// `transpose(x, axes=None)`: `x.T` (all axes reversed) without `axes`, else
/// `torch.permute(x, dims=axes)` with torch's errors for a bad permutation.
pub fn transpose(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axes"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let out = match a.opt(1) {
        None => x.f_numpy_t(),
        Some(v) => x.f_permute(torch_ints(v, "permute(): argument 'dims'")?.as_slice()),
    };
    output(&out.py()?)
}
