//! The crossentropy losses, as Keras 3.15.1's torch backend runs them.

use kconform_api::{BackendError, DType, OpCall, Value};
use tch::Reduction;

use super::util::{list_index, py_float, py_index, torch_size, truthy, EPSILON};
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{convert, output, tensor, Ctx, R};

/// `torch.clip(output, epsilon, 1.0 - epsilon)` with Python-float bounds.
fn clip_to_epsilon(x: &tch::Tensor) -> R<tch::Tensor> {
    let (lo, hi) = (py_float(EPSILON)?, py_float(1.0 - EPSILON)?);
    x.f_clamp_tensor(Some(&lo), Some(&hi)).py()
}

/// `torch.log(clip(output / sum(output, dim, keepdim=True)))`: probabilities
/// renormalized along `dim`, clipped away from 0 and 1, then logged.
fn log_of_normalized(output: &tch::Tensor, dim: i64) -> R<tch::Tensor> {
    let total = output
        .f_sum_dim_intlist([dim].as_slice(), true, None)
        .py()?;
    clip_to_epsilon(&output.f_div(&total).py()?)?.f_log().py()
}

/// The `axis` argument (a Python int).
fn axis_arg(v: Option<&Value>) -> R<i64> {
    match v {
        None => Ok(-1),
        Some(v) => list_index(v, "tuple"),
    }
}

fn same_shape_error(target: &tch::Tensor, output: &tch::Tensor) -> BackendError {
    BackendError::value_error(format!(
        "Arguments `target` and `output` must have the same shape. Received: target.shape={}, output.shape={}",
        torch_size(&target.size()),
        torch_size(&output.size())
    ))
}

/// `binary_crossentropy(target, output, from_logits=False)`: same shapes
/// required, then `F.binary_cross_entropy_with_logits(output, target)` or
/// `F.binary_cross_entropy(clip(output, eps, 1 - eps), target)`, unreduced
/// (torch's own dtype rules: integer targets raise, half precision kept).
pub fn binary_crossentropy(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["target", "output", "from_logits"], 2)?;
    let target = tensor(ctx, a.req(0))?;
    let out = tensor(ctx, a.req(1))?;
    if target.size() != out.size() {
        return Err(same_shape_error(&target, &out));
    }
    let loss = if truthy(a.get(2))? {
        out.f_binary_cross_entropy_with_logits::<tch::Tensor>(&target, None, None, Reduction::None)
    } else {
        clip_to_epsilon(&out)?.f_binary_cross_entropy::<tch::Tensor>(&target, None, Reduction::None)
    };
    output(&loss.py()?)
}

/// `categorical_crossentropy(target, output, from_logits=False, axis=-1)`:
/// same shapes and rank >= 1 required, then `-sum(target * log_prob, axis)`
/// with `log_prob = log_softmax(output, axis)` or the log of the clipped,
/// renormalized probabilities.
pub fn categorical_crossentropy(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["target", "output", "from_logits", "axis"], 2)?;
    let target = tensor(ctx, a.req(0))?;
    let out = tensor(ctx, a.req(1))?;
    if target.size() != out.size() {
        return Err(same_shape_error(&target, &out));
    }
    if target.dim() < 1 {
        return Err(BackendError::value_error(format!(
            "Arguments `target` and `output` must be at least rank 1. Received: target.shape={}, output.shape={}",
            torch_size(&target.size()),
            torch_size(&out.size())
        )));
    }
    let axis = axis_arg(a.get(3))?;
    let log_prob = if truthy(a.get(2))? {
        out.f_log_softmax(axis, None).py()?
    } else {
        log_of_normalized(&out, axis)?
    };
    let summed = target
        .f_mul(&log_prob)
        .py()?
        .f_sum_dim_intlist([axis].as_slice(), false, None)
        .py()?;
    output(&summed.f_neg().py()?)
}

/// `sparse_categorical_crossentropy(target, output, from_logits=False,
/// axis=-1)`: int64 targets (a trailing size-1 class axis squeezed), shapes
/// checked against `output` without its class axis, the class axis moved to
/// 1, then `F.cross_entropy` or `F.nll_loss` of the clipped log-probabilities,
/// unreduced, so the result keeps `output`'s dtype and a target of -100 (torch's
/// `ignore_index`) costs 0 while other out-of-range targets raise.
pub fn sparse_categorical_crossentropy(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["target", "output", "from_logits", "axis"], 2)?;
    let mut target = convert(ctx, a.req(0), Some(DType::Int64))?;
    let mut out = tensor(ctx, a.req(1))?;
    let axis = axis_arg(a.get(3))?;
    if target.dim() == out.dim() {
        let at = py_index(axis, target.dim())
            .ok_or_else(|| BackendError::raised("IndexError", "tuple index out of range"))?;
        if target.size()[at] == 1 {
            target = target.f_squeeze_dim(axis).py()?;
        }
    }
    if out.dim() < 1 {
        return Err(BackendError::value_error(format!(
            "Argument `output` must be at least rank 1. Received: output.shape={}",
            torch_size(&out.size())
        )));
    }
    let mut without_class = out.size();
    let at = py_index(axis, without_class.len())
        .ok_or_else(|| BackendError::raised("IndexError", "list assignment index out of range"))?;
    without_class.remove(at);
    if target.size() != without_class {
        return Err(BackendError::value_error(format!(
            "Arguments `target` and `output` must have the same shape up until the last dimension: target.shape={}, output.shape={}",
            torch_size(&target.size()),
            torch_size(&out.size())
        )));
    }
    let squeeze = out.dim() == 1;
    if squeeze {
        out = out.f_unsqueeze(0).py()?;
        target = target.f_unsqueeze(0).py()?;
    } else {
        let class_axis = axis.rem_euclid(out.dim() as i64);
        if class_axis != 1 {
            out = out.f_movedim_int(class_axis, 1).py()?;
        }
    }
    let mut loss = if truthy(a.get(2))? {
        out.f_cross_entropy_loss::<tch::Tensor>(&target, None, Reduction::None, -100, 0.0)
            .py()?
    } else {
        log_of_normalized(&out, 1)?
            .f_nll_loss_nd::<tch::Tensor>(&target, None, Reduction::None, -100)
            .py()?
    };
    if squeeze {
        loss = loss.f_squeeze_dim(0).py()?;
    }
    output(&loss)
}
