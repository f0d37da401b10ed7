//! Filled tensors: `zeros`, `ones`, `full` and their `_like` forms.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::py::{py_items, py_len, slice_end};
use super::torch_args::{as_ints, factory_mismatch, torch_ints, torch_type_name};
use crate::args::{bind, py_type_name};
use crate::error::TorchResult;
use crate::keras::{convert, dtype, dtype_arg, output, tensor, to_torch_dtype, Ctx, R};

/// `zeros`/`ones(shape, dtype=None)`: `to_torch_dtype(dtype or floatx)`, an
/// int shape made a 1-tuple, then `torch.zeros/ones(size=shape)` (which
/// takes only a tuple of ints: an array shape is a `TypeError`).
fn constant(ctx: Ctx, call: &OpCall, one: bool) -> R<Value> {
    let a = bind(call, &["shape", "dtype"], 1)?;
    let kind = to_torch_dtype(dtype_arg(a.get(1).unwrap_or(&Value::None))?)?;
    let shape = match a.req(0) {
        Value::Int(n) => Value::Tuple(vec![Value::Int(*n)]),
        Value::Bool(b) => Value::Tuple(vec![Value::Bool(*b)]),
        other => other.clone(),
    };
    let name = if one { "ones" } else { "zeros" };
    let size = as_ints(&shape).ok_or_else(|| {
        let got = format!(
            "device=str, dtype=torch.dtype, size={}, ",
            torch_type_name(&shape)
        );
        factory_mismatch(name, &got, "tuple of ints size")
    })?;
    let t = if one {
        tch::Tensor::f_ones(size.as_slice(), (kind, ctx.device))
    } else {
        tch::Tensor::f_zeros(size.as_slice(), (kind, ctx.device))
    };
    output(&t.py()?)
}

/// `zeros(shape, dtype=None)`.
pub fn zeros(ctx: Ctx, call: &OpCall) -> R<Value> {
    constant(ctx, call, false)
}

/// `ones(shape, dtype=None)`.
pub fn ones(ctx: Ctx, call: &OpCall) -> R<Value> {
    constant(ctx, call, true)
}

/// `zeros_like`/`ones_like(x, dtype=None)`: the op standardizes `dtype`,
/// the backend converts `x`, then `torch.zeros/ones_like(x, dtype=dtype or x.dtype)`.
fn constant_like(ctx: Ctx, call: &OpCall, one: bool) -> R<Value> {
    let a = bind(call, &["x", "dtype"], 1)?;
    let asked = a.opt(1).map(dtype_arg).transpose()?;
    let x = tensor(ctx, a.req(0))?;
    let kind = to_torch_dtype(match asked {
        Some(d) => d,
        None => dtype(&x)?,
    })?;
    let t = if one {
        tch::Tensor::f_ones(x.size(), (kind, ctx.device))
    } else {
        tch::Tensor::f_zeros(x.size(), (kind, ctx.device))
    };
    output(&t.py()?)
}

/// `zeros_like(x, dtype=None)`.
pub fn zeros_like(ctx: Ctx, call: &OpCall) -> R<Value> {
    constant_like(ctx, call, false)
}

/// `ones_like(x, dtype=None)`.
pub fn ones_like(ctx: Ctx, call: &OpCall) -> R<Value> {
    constant_like(ctx, call, true)
}

/// Keras-torch's `full(shape, fill_value, dtype)` body: the fill converted to
/// `dtype` (Python scalars as `torch.as_tensor` stores them, so an
/// out-of-range int raises instead of wrapping); a dimensioned fill is
/// `torch.tile`d by `shape[:len(shape) - fill.ndim]` (its trailing dims are
/// never checked against `shape`), a 0-d one goes to `torch.full(size=shape)`.
fn filled(ctx: Ctx, shape: &Value, fill: &Value, d: DType) -> R<tch::Tensor> {
    let kind = to_torch_dtype(d)?;
    let fill = convert(ctx, fill, Some(d))?;
    let ndim = fill.dim();
    if ndim == 0 {
        let size = as_ints(shape).ok_or_else(|| {
            let got = format!(
                "device=str, dtype=torch.dtype, fill_value=Tensor, size={}, ",
                torch_type_name(shape)
            );
            factory_mismatch("full", &got, "tuple of ints size, Number fill_value")
        })?;
        let mut out = tch::Tensor::f_empty(size.as_slice(), (kind, ctx.device)).py()?;
        return out.f_fill_tensor_(&fill).py();
    }
    let lead = py_len(shape)? as i64 - ndim as i64;
    let items = py_items(shape)?;
    let mut reps = items[..slice_end(items.len(), lead)].to_vec();
    reps.extend(std::iter::repeat_n(Value::Int(1), ndim));
    let reps = torch_ints(&Value::Tuple(reps), "tile(): argument 'dims'")?;
    fill.f_tile(reps.as_slice()).py()
}

/// `full(shape, fill_value, dtype=None)`: the op standardizes `dtype`
/// (`None` is floatx), then [`filled`].
pub fn full(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "fill_value", "dtype"], 2)?;
    let d = dtype_arg(a.get(2).unwrap_or(&Value::None))?;
    output(&filled(ctx, a.req(0), a.req(1), d)?)
}

/// `full_like(x, fill_value, dtype=None)`: `full(x.shape, fill_value, dtype
/// or x.dtype)` on the unconverted `x`, so a Python scalar or list `x` raises
/// `AttributeError`.
pub fn full_like(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "fill_value", "dtype"], 2)?;
    let asked = a.opt(2).map(dtype_arg).transpose()?;
    let no_attribute = |v: &Value, attr: &str| {
        BackendError::raised(
            "AttributeError",
            format!("'{}' object has no attribute '{attr}'", py_type_name(v)),
        )
    };
    let x = a.req(0);
    let d = match (asked, x) {
        (Some(d), _) => d,
        (None, Value::Tensor(t)) => t.dtype(),
        (None, other) => return Err(no_attribute(other, "dtype")),
    };
    let shape = match x {
        Value::Tensor(t) => Value::Tuple(t.shape().iter().map(|&n| Value::Int(n as i64)).collect()),
        other => return Err(no_attribute(other, "shape")),
    };
    output(&filled(ctx, &shape, a.req(1), d)?)
}
