//! Diagonals: `diag` and `trace` (`keras/src/backend/torch/numpy.py`).

use kconform_api::{DType, OpCall, Value};

use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{dtype, output, tensor, to_torch_dtype, Ctx, R};
use crate::ops::torch_int;

/// `diag(x, k=0)`: `torch.diag(x, diagonal=k)` (1-D in, 2-D out, or back).
pub fn diag(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "k"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let k = a
        .get(1)
        .map(|v| torch_int(v, "diag", "diagonal", None))
        .transpose()?
        .unwrap_or(0);
    output(&x.f_diag(k).py()?)
}

/// `trace(x, offset=0, axis1=0, axis2=1)`: `torch.sum(torch.diagonal(...),
/// dim=-1)` in the input's dtype, with bool, int8, int16 and uint8 summed
/// (and returned) as int32.
pub fn trace(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "offset", "axis1", "axis2"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let int = |i: usize, name: &str, default: i64| {
        a.get(i)
            .map(|v| torch_int(v, "diagonal", name, Some(i + 1)))
            .transpose()
            .map(|v| v.unwrap_or(default))
    };
    let (offset, axis1, axis2) = (int(1, "offset", 0)?, int(2, "dim1", 0)?, int(3, "dim2", 1)?);
    let d = match dtype(&x)? {
        DType::Bool | DType::Int8 | DType::Int16 | DType::Uint8 => DType::Int32,
        other => other,
    };
    let diagonal = x.f_diagonal(offset, axis1, axis2).py()?;
    output(
        &diagonal
            .f_sum_dim_intlist(&[-1i64][..], false, to_torch_dtype(d)?)
            .py()?,
    )
}
