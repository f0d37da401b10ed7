//! Selection: where.

use kconform_api::{BackendError, DType, OpCall, Value};

use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{convert, output, tensor, Ctx, R};

/// `where(condition, x1=None, x2=None)`: Keras checks that `x1` and `x2` are
/// both given or both not, then the torch backend converts `condition` to
/// bool (any nonzero, NaN and float32 denormals included, is true). With both
/// branches: `torch.where(condition, x1, x2)` on the converted branches, with
/// torch's promotion. With neither: `torch.stack(torch.where(condition))`, one
/// int64 tensor of shape `(ndim, count)` rather than NumPy's tuple (a 0-d
/// condition counts as 1-d).
pub fn where_(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["condition", "x1", "x2"], 1)?;
    let (x1, x2) = (a.opt(1), a.opt(2));
    if x1.is_some() != x2.is_some() {
        return Err(BackendError::value_error(
            "`x1` and `x2` either both should be `None` or both should have non-None value.",
        ));
    }
    let condition = convert(ctx, a.req(0), Some(DType::Bool))?;
    match (x1, x2) {
        (Some(x1), Some(x2)) => {
            let x1 = tensor(ctx, x1)?;
            let x2 = tensor(ctx, x2)?;
            output(&x1.f_where_self(&condition, &x2).py()?)
        }
        _ => {
            let indices = condition.f_nonzero_numpy().py()?;
            output(&tch::Tensor::f_stack(&indices, 0).py()?)
        }
    }
}
