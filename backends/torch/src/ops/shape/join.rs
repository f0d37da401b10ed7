//! Joining tensors: `hstack`, `vstack`, `stack`.

use kconform_api::{BackendError, OpCall, Value};

use super::torch_args::torch_int;
use crate::args::{bind, py_type_name};
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};

/// `[convert_to_tensor(x) for x in xs]`: a list or tuple (or a string's
/// characters) element by element;
/// an array is iterated over its first axis (its rows, as NumPy yields them),
/// a 0-d array or a Python scalar cannot be iterated.
fn elements(ctx: Ctx, xs: &Value) -> R<Vec<tch::Tensor>> {
    match xs {
        Value::List(items) | Value::Tuple(items) => items.iter().map(|x| tensor(ctx, x)).collect(),
        Value::Str(s) => s
            .chars()
            .map(|c| tensor(ctx, &Value::Str(c.to_string())))
            .collect(),
        Value::Tensor(t) if t.rank() == 0 => {
            Err(BackendError::type_error("iteration over a 0-d array"))
        }
        Value::Tensor(_) => tensor(ctx, xs)?.f_unbind(0).py(),
        other => Err(BackendError::type_error(format!(
            "'{}' object is not iterable",
            py_type_name(other)
        ))),
    }
}

/// `hstack(xs)`: `torch.hstack` of the converted elements (`torch.cat`
/// promotion, 0-d elements made 1-d first).
pub fn hstack(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["xs"], 1)?;
    output(&tch::Tensor::f_hstack(&elements(ctx, a.req(0))?).py()?)
}

/// `vstack(xs)`: `torch.vstack` of the converted elements.
pub fn vstack(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["xs"], 1)?;
    output(&tch::Tensor::f_vstack(&elements(ctx, a.req(0))?).py()?)
}

/// `stack(x, axis=0)`: `torch.stack(xs, dim=axis)` of the converted elements.
pub fn stack(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis"], 1)?;
    let xs = elements(ctx, a.req(0))?;
    let axis = torch_int(
        a.get(1).unwrap_or(&Value::Int(0)),
        "stack(): argument 'dim'",
    )?;
    output(&tch::Tensor::f_stack(&xs, axis).py()?)
}
