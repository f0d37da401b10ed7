//! `sparsemax`, Keras-torch's sort / cumsum / threshold formulation.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::parser::{invalid_combination, torch_type_name};
use super::py_number;
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{convert, output, tensor, Ctx, R};
use crate::raw::{arange, Number};
use crate::shim::{call_op, OpArg, PyScalar};

/// `torch.sort(logits, dim=axis, descending=True)`'s parsing of `dim`.
fn sort_dim(axis: &Value) -> R<i64> {
    match axis {
        Value::Int(d) => Ok(*d),
        Value::None | Value::Str(_) => Err(BackendError::raised(
            "RuntimeError",
            "sort: You passed a dimname (string) to this op in place of a dimension index but it \
             does not yet support this behavior. Please pass a dimension index to work around this.",
        )),
        other => Err(invalid_combination(
            "sort",
            &format!("Tensor, descending=bool, dim={}", torch_type_name(other)),
            &[
                "(Tensor input, *, bool stable, int dim = -1, bool descending = False, tuple of Tensors out = None)",
                "(Tensor input, int dim = -1, bool descending = False, *, tuple of Tensors out = None)",
                "(Tensor input, *, bool stable, name dim, bool descending = False, tuple of Tensors out = None)",
                "(Tensor input, name dim, bool descending = False, *, tuple of Tensors out = None)",
            ],
        )),
    }
}

/// `logits.size(axis)`, with torch's `IndexError`s.
fn size_along(shape: &[i64], axis: i64) -> R<(usize, i64)> {
    let n = shape.len() as i64;
    if n == 0 {
        return Err(BackendError::raised(
            "IndexError",
            format!("Dimension specified as {axis} but tensor has no dimensions"),
        ));
    }
    if !(-n..n).contains(&axis) {
        return Err(BackendError::raised(
            "IndexError",
            format!(
                "Dimension out of range (expected to be in range of [{}, {}], but got {axis})",
                -n,
                n - 1
            ),
        ));
    }
    let i = if axis < 0 { axis + n } else { axis } as usize;
    Ok((i, shape[i]))
}

/// `sparsemax(x, axis=-1)`: Keras-torch sorts `x` descending along `axis`,
/// takes the cumulative sums, finds the support `sorted - (cumsum - 1) / r > 0`
/// (`r = arange(1, n + 1)` in `x`'s dtype, so bool inputs fail there), and
/// returns `clamp(x - tau, min=0.0)` with
/// `tau = (sum(where(support, cumsum, 0.0)) - 1) / sum(support)`.
pub fn sparsemax(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis"], 1)?;
    let logits = tensor(ctx, a.req(0))?;
    let axis = sort_dim(a.get(1).unwrap_or(&Value::Int(-1)))?;
    let (sorted, _) = logits.f_sort(axis, true).py()?;
    let cumsum = sorted.f_cumsum(axis, None::<tch::Kind>).py()?;
    let shape = logits.size();
    let (at, n) = size_along(&shape, axis)?;
    let kind = logits.f_kind().py()?;
    let r = arange(
        Number::Int(1),
        Number::Int(n + 1),
        Number::Int(1),
        kind,
        ctx.device,
    )
    .py()?;
    let mut r_shape = vec![1i64; shape.len()];
    r_shape[at] = -1;
    let r = r.f_view(r_shape.as_slice()).py()?;
    let one = py_number(PyScalar::Int(1))?;
    let shifted = cumsum.f_sub(&one).py()?.f_div(&r).py()?;
    let support = sorted
        .f_sub(&shifted)
        .py()?
        .f_gt_tensor(&py_number(PyScalar::Int(0))?)
        .py()?;
    let k = support
        .f_sum_dim_intlist([axis].as_slice(), true, None::<tch::Kind>)
        .py()?;
    let zero = convert(ctx, &Value::Float(0.0), Some(DType::Float32))?;
    let safe = cumsum.f_where_self(&support, &zero).py()?;
    let tau = safe
        .f_sum_dim_intlist([axis].as_slice(), true, None::<tch::Kind>)
        .py()?
        .f_sub(&one)
        .py()?
        .f_div(&k)
        .py()?;
    let centered = logits.f_sub(&tau).py()?;
    output(
        &call_op(
            "aten::clamp",
            "",
            &[OpArg::Tensor(&centered), OpArg::Float(0.0)],
        )
        .py()?,
    )
}
