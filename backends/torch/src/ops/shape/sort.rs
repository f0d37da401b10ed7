//! Sorting: `sort`, `argsort`.

use kconform_api::{DType, OpCall, Value};

use super::torch_args::torch_int;
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, tensor, Ctx, R};

/// The sort axis: `-1` when not given; for `axis=None`, `x` flattened and
/// `flat_axis`; else the int `axis` (`what` names torch's `dim` parameter in
/// a `TypeError`).
fn sort_axis(
    x: tch::Tensor,
    axis: Option<&Value>,
    flat_axis: i64,
    what: &str,
) -> R<(tch::Tensor, i64)> {
    match axis {
        None => Ok((x, -1)),
        Some(Value::None) => Ok((x.f_reshape([-1i64]).py()?, flat_axis)),
        Some(v) => Ok((x, torch_int(v, what)?)),
    }
}

/// `sort(x, axis=-1)`: `torch.sort(x, dim=axis).values` (flattened for
/// `axis=None`); bools go through uint8 on CUDA, as Keras-torch does.
pub fn sort(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let (x, axis) = sort_axis(x, a.get(1), 0, "sort(): argument 'dim'")?;
    let on_cuda_bool = ctx.device != tch::Device::Cpu && dtype(&x)? == DType::Bool;
    if on_cuda_bool {
        let x = cast(x, DType::Uint8)?;
        return output(&cast(x.f_sort(axis, false).py()?.0, DType::Bool)?);
    }
    output(&x.f_sort(axis, false).py()?.0)
}

/// `argsort(x, axis=-1)`: bools as uint8, `torch.argsort(x, dim=axis,
/// stable=True)` (flattened on the last axis for `axis=None`), cast to int32.
pub fn argsort(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis"], 1)?;
    let mut x = tensor(ctx, a.req(0))?;
    if dtype(&x)? == DType::Bool {
        x = cast(x, DType::Uint8)?;
    }
    let (x, axis) = sort_axis(x, a.get(1), -1, "argsort(): argument 'dim'")?;
    output(&cast(
        x.f_argsort_stable(true, axis, false).py()?,
        DType::Int32,
    )?)
}
