//! Reductions: all, any, amax, amin, max, min, mean, sum, prod, std, var.
//!
//! Keras-torch quirks kept on purpose (they are what Keras does): with
//! `axis=None`, `amax`, `amin`, `max`, `min`, `sum` and `prod` ignore
//! `keepdims`; `axis=()` returns the input unchanged for `amax`, `amin`,
//! `mean`, `sum` and `all`/`any` (cast to bool), but reduces everything for `std`.

use kconform_api::promote::Operand;
use kconform_api::{BackendError, DType, OpCall, Value};

use crate::args::{axes, bind, canonicalize_axis, Bound};
use crate::error::TorchResult;
use crate::keras::{cast, convert, dtype, dtype_arg, output, result_type, tensor, Ctx, R};
use crate::ops::is_int_or_bool;

/// Binds `name(x, axis=None, keepdims=False)`.
fn reduction(call: &OpCall) -> R<(Bound<'_>, Option<Vec<i64>>, bool)> {
    let a = bind(call, &["x", "axis", "keepdims"], 1)?;
    let axis = axes(a.get(1))?;
    let keepdims = a.flag(2)?;
    Ok((a, axis, keepdims))
}

/// `stack(x)` for a list or tuple `x` (mean and sum accept them), else `convert_to_tensor(x)`.
fn stacked(ctx: Ctx, v: &Value) -> R<tch::Tensor> {
    match v {
        Value::List(items) | Value::Tuple(items) => {
            let parts = items
                .iter()
                .map(|x| tensor(ctx, x))
                .collect::<R<Vec<_>>>()?;
            tch::Tensor::f_stack(&parts, 0).py()
        }
        other => tensor(ctx, other),
    }
}

fn all_any(ctx: Ctx, call: &OpCall, any: bool) -> R<Value> {
    let (a, axis, keepdims) = reduction(call)?;
    let x = tensor(ctx, a.req(0))?;
    if axis.as_ref().is_some_and(Vec::is_empty) {
        return output(&cast(x, DType::Bool)?);
    }
    let dims = axis.as_deref();
    let r = if any {
        x.f_any_dims(dims, keepdims)
    } else {
        x.f_all_dims(dims, keepdims)
    };
    output(&cast(r.py()?, DType::Bool)?)
}

/// `all(x, axis=None, keepdims=False)`: `torch.all`, cast to bool.
pub fn all(ctx: Ctx, call: &OpCall) -> R<Value> {
    all_any(ctx, call, false)
}

/// `any(x, axis=None, keepdims=False)`: `torch.any`, cast to bool.
pub fn any(ctx: Ctx, call: &OpCall) -> R<Value> {
    all_any(ctx, call, true)
}

/// Keras-torch's `amax`/`amin` body on a converted tensor.
fn extremum(x: tch::Tensor, axis: Option<&[i64]>, keepdims: bool, max: bool) -> R<tch::Tensor> {
    match axis {
        None if max => x.f_amax(&[] as &[i64], false).py(),
        None => x.f_amin(&[] as &[i64], false).py(),
        Some([]) => Ok(x),
        Some(dims) if max => x.f_amax(dims, keepdims).py(),
        Some(dims) => x.f_amin(dims, keepdims).py(),
    }
}

/// `amax(x, axis=None, keepdims=False)`: `torch.amax`.
pub fn amax(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (a, axis, keepdims) = reduction(call)?;
    output(&extremum(
        tensor(ctx, a.req(0))?,
        axis.as_deref(),
        keepdims,
        true,
    )?)
}

/// `amin(x, axis=None, keepdims=False)`: `torch.amin`.
pub fn amin(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (a, axis, keepdims) = reduction(call)?;
    output(&extremum(
        tensor(ctx, a.req(0))?,
        axis.as_deref(),
        keepdims,
        false,
    )?)
}

/// `torch.tensor(v)` / `torch.full(shape, v)` for a Python scalar `v`: the
/// dtype is inferred (bool, int64, or the default float32).
fn inferred_full(ctx: Ctx, shape: &[usize], v: &Value) -> R<tch::Tensor> {
    let d = match v {
        Value::Bool(_) => DType::Bool,
        Value::Int(_) => DType::Int64,
        Value::Float(_) => DType::Float32,
        other => {
            return Err(BackendError::Unsupported(format!(
                "`initial` as a {}",
                other.kind()
            )))
        }
    };
    let one = convert(ctx, v, Some(d))?;
    let dims: Vec<i64> = shape.iter().map(|&n| n as i64).collect();
    one.f_expand(dims.as_slice(), false)
        .py()?
        .f_contiguous()
        .py()
}

fn max_min(ctx: Ctx, call: &OpCall, max: bool) -> R<Value> {
    let a = bind(call, &["x", "axis", "keepdims", "initial"], 1)?;
    let axis = axes(a.get(1))?;
    let keepdims = a.flag(2)?;
    let initial = a.opt(3);
    let x = tensor(ctx, a.req(0))?;
    let shape = x.size();
    if shape.contains(&0) {
        let Some(init) = initial else {
            let what = if max { "max" } else { "min" };
            return Err(BackendError::value_error(format!(
                "Cannot compute the {what} of an empty tensor."
            )));
        };
        let out_shape = if keepdims {
            vec![1usize; shape.len()]
        } else {
            vec![]
        };
        return output(&inferred_full(ctx, &out_shape, init)?);
    }
    let result = match axis.as_deref() {
        None if max => x.f_max().py()?,
        None => x.f_min().py()?,
        Some(dims) => extremum(x, Some(dims), keepdims, max)?,
    };
    let Some(init) = initial else {
        return output(&result);
    };
    let init = convert(ctx, init, Some(dtype(&result)?))?;
    output(
        &if max {
            result.f_maximum(&init)
        } else {
            result.f_minimum(&init)
        }
        .py()?,
    )
}

/// `max(x, axis=None, keepdims=False, initial=None)`.
pub fn max(ctx: Ctx, call: &OpCall) -> R<Value> {
    max_min(ctx, call, true)
}

/// `min(x, axis=None, keepdims=False, initial=None)`.
pub fn min(ctx: Ctx, call: &OpCall) -> R<Value> {
    max_min(ctx, call, false)
}

/// `mean(x, axis=None, keepdims=False)`: computed in `result_type(x, float32)`;
/// integer and bool inputs give that dtype, float inputs keep theirs (so
/// float64 is averaged in float32 and returned as float64).
pub fn mean(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (a, axis, keepdims) = reduction(call)?;
    let x = stacked(ctx, a.req(0))?;
    if axis.as_ref().is_some_and(Vec::is_empty) {
        return output(&x);
    }
    let ori = dtype(&x)?;
    let compute = result_type(&[Operand::Strong(ori), Operand::Strong(DType::Float32)])?;
    let result = if is_int_or_bool(ori) { compute } else { ori };
    let x = cast(x, compute)?;
    output(&cast(
        x.f_mean_dim(axis.as_deref(), keepdims, None::<tch::Kind>)
            .py()?,
        result,
    )?)
}

/// `sum(x, axis=None, keepdims=False)`: `torch.sum`, then cast to the input
/// dtype, with bool, uint8, int8 and int16 summed to int32.
pub fn sum(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (a, axis, keepdims) = reduction(call)?;
    let x = stacked(ctx, a.req(0))?;
    if axis.as_ref().is_some_and(Vec::is_empty) {
        return output(&x);
    }
    let d = match dtype(&x)? {
        DType::Bool | DType::Uint8 | DType::Int8 | DType::Int16 => DType::Int32,
        other => other,
    };
    let r = match axis.as_deref() {
        Some(dims) => x.f_sum_dim_intlist(dims, keepdims, None::<tch::Kind>),
        None => x.f_sum(None::<tch::Kind>),
    };
    output(&cast(r.py()?, d)?)
}

/// `prod(x, axis=None, keepdims=False, dtype=None)`: accumulates in
/// `result_type(x)` (64-bit narrowed; bool, int8, int16 and uint8 to int32),
/// float16 through float32 on the CPU, one axis at a time from the last.
pub fn prod(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis", "keepdims", "dtype"], 1)?;
    let axis = axes(a.get(1))?;
    let keepdims = a.flag(2)?;
    let asked = a.opt(3).map(dtype_arg).transpose()?;
    let mut x = tensor(ctx, a.req(0))?;
    let d = match asked {
        Some(d) => d,
        None => match result_type(&[Operand::Strong(dtype(&x)?)])? {
            DType::Bool | DType::Int8 | DType::Int16 | DType::Uint8 => DType::Int32,
            other => other,
        },
    };
    let compute = if ctx.device == tch::Device::Cpu && d == DType::Float16 {
        DType::Float32
    } else {
        d
    };
    let kind = crate::keras::to_torch_dtype(compute)?;
    let Some(axis) = axis else {
        return output(&cast(x.f_prod(kind).py()?, d)?);
    };
    let ndim = x.dim();
    let mut dims = axis
        .iter()
        .map(|&ax| canonicalize_axis(ax, ndim))
        .collect::<R<Vec<_>>>()?;
    dims.sort_unstable_by(|a, b| b.cmp(a));
    for ax in dims {
        x = cast(x.f_prod_dim_int(ax, keepdims, kind).py()?, d)?;
    }
    output(&x)
}

/// `std(x, axis=None, keepdims=False)`: integers and bools in float32, floats
/// in their own dtype; `torch.std(unbiased=False)`.
pub fn std(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (a, axis, keepdims) = reduction(call)?;
    let x = tensor(ctx, a.req(0))?;
    let x = if is_int_or_bool(dtype(&x)?) {
        cast(x, DType::Float32)?
    } else {
        x
    };
    output(&x.f_std_dim(axis.as_deref(), false, keepdims).py()?)
}

/// `var(x, axis=None, keepdims=False)`: computed in `result_type(x, float32)`,
/// returned as `result_type(x, float)`; `axis=()` gives zeros.
pub fn var(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (a, axis, keepdims) = reduction(call)?;
    let x = tensor(ctx, a.req(0))?;
    let d = dtype(&x)?;
    let compute = result_type(&[Operand::Strong(d), Operand::Strong(DType::Float32)])?;
    let result = result_type(&[Operand::Strong(d), Operand::WeakFloat])?;
    if axis.as_ref().is_some_and(Vec::is_empty) {
        let kind = crate::keras::to_torch_dtype(result)?;
        return output(&tch::Tensor::f_zeros(x.size(), (kind, ctx.device)).py()?);
    }
    let x = cast(x, compute)?;
    output(&cast(
        x.f_var_dim(axis.as_deref(), false, keepdims).py()?,
        result,
    )?)
}
