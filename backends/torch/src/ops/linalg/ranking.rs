//! `keras.ops.math`'s `top_k`, `in_top_k` and `logsumexp`
//! (`keras/src/backend/torch/math.py`).

use kconform_api::{BackendError, OpCall, Value};

use super::torch_bool;
use crate::args::{axes, bind};
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};
use crate::ops::torch_int;

/// `top_k(x, k, sorted=True)`: `torch.topk(x, k, sorted=sorted)` on the last
/// axis: `(values, indices)`, the indices int64.
pub fn top_k(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "k", "sorted"], 2)?;
    let x = tensor(ctx, a.req(0))?;
    let k = torch_int(a.req(1), "topk", "k", Some(2))?;
    let sorted = torch_bool(a.get(2), true, "topk", "sorted", false)?;
    let (values, indices) = x.f_topk(k, -1, true, sorted).py()?;
    Ok(Value::Tuple(vec![output(&values)?, output(&indices)?]))
}

/// `in_top_k(targets, predictions, k)`: Keras-torch's test `predictions[i,
/// targets[i]] >= any of the top k of row i` (so ties with the k-th value
/// count as in), with the targets taken as int64 and `targets[:, None]`.
pub fn in_top_k(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["targets", "predictions", "k"], 3)?;
    let targets = tensor(ctx, a.req(0))?.f_to_kind(tch::Kind::Int64).py()?;
    if targets.dim() == 0 {
        return Err(BackendError::raised(
            "IndexError",
            "too many indices for tensor of dimension 0",
        ));
    }
    let targets = targets.f_unsqueeze(1).py()?;
    let predictions = tensor(ctx, a.req(1))?;
    let k = torch_int(a.req(2), "topk", "k", Some(2))?;
    let (top, _) = predictions.f_topk(k, -1, true, true).py()?;
    let target_values = predictions.f_take_along_dim(&targets, -1).py()?;
    let mask = target_values.f_ge_tensor(&top).py()?;
    output(&mask.f_any_dims(&[-1i64][..], false).py()?)
}

/// `logsumexp(x, axis=None, keepdims=False)`: `torch.logsumexp` over `axis`
/// (every axis when `None`; integers computed in the default float dtype).
pub fn logsumexp(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis", "keepdims"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let dims = match axes(a.get(1))? {
        Some(d) => d,
        None => (0..x.dim() as i64).collect(),
    };
    let keepdim = torch_bool(a.get(2), false, "logsumexp", "keepdim", true)?;
    output(&x.f_logsumexp(dims.as_slice(), keepdim).py()?)
}
