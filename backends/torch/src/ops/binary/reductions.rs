//! Index and count reductions: argmax, argmin, count_nonzero.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::{scalar_zero, torch_int};
use crate::args::{bind, py_type_name};
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, tensor, Ctx, R};

/// Keras-torch's `argmax`/`argmin` body: a bool `x` is cast to uint8, then
/// `torch.argmax(x, dim=axis, keepdim=keepdims)` (so `keepdims` without an
/// axis keeps every dimension, and an empty `x` raises torch's `IndexError`),
/// cast to int32.
fn arg_extremum(ctx: Ctx, call: &OpCall, name: &str, max: bool) -> R<Value> {
    let a = bind(call, &["x", "axis", "keepdims"], 1)?;
    let keepdims = a.flag(2)?;
    let x = tensor(ctx, a.req(0))?;
    let x = if dtype(&x)? == DType::Bool {
        cast(x, DType::Uint8)?
    } else {
        x
    };
    let dim = a.opt(1).map(|v| torch_int(v, name, "dim")).transpose()?;
    let r = if max {
        x.f_argmax(dim, keepdims)
    } else {
        x.f_argmin(dim, keepdims)
    };
    output(&cast(r.py()?, DType::Int32)?)
}

/// `argmax(x, axis=None, keepdims=False)`: torch's first maximum (which for
/// ±0.0 and float32 denormals is torch's, not JAX's, ordering).
pub fn argmax(ctx: Ctx, call: &OpCall) -> R<Value> {
    arg_extremum(ctx, call, "argmax", true)
}

/// `argmin(x, axis=None, keepdims=False)`: torch's first minimum.
pub fn argmin(ctx: Ctx, call: &OpCall) -> R<Value> {
    arg_extremum(ctx, call, "argmin", false)
}

/// The `TypeError` of `torch.count_nonzero`'s two-overload parser.
fn bad_dim(v: &Value) -> BackendError {
    BackendError::type_error(format!(
        "count_nonzero() received an invalid combination of arguments - got (Tensor, dim={}), \
         but expected one of:\n * (Tensor input, int dim = None)\n * (Tensor input, tuple of ints dim)",
        py_type_name(v)
    ))
}

/// `count_nonzero(x, axis=None)`: `axis=()` gives `cast(x != 0, "int32")`;
/// otherwise `torch.count_nonzero(x, dim=axis).T` cast to int32, where `.T`
/// reverses the dimensions of the counts (a Keras-torch quirk: counting a
/// (3, 4, 5) tensor over axis 1 gives shape (5, 3)).
pub fn count_nonzero(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let counts = match a.get(1) {
        None | Some(Value::None) => x.f_count_nonzero(None::<i64>),
        Some(Value::Int(i)) => x.f_count_nonzero(*i),
        Some(Value::List(items)) | Some(Value::Tuple(items)) if items.is_empty() => {
            let nonzero = x.f_ne_tensor(&scalar_zero(&x)?).py()?;
            return output(&cast(nonzero, DType::Int32)?);
        }
        Some(v @ (Value::List(items) | Value::Tuple(items))) => {
            let dims = items
                .iter()
                .map(|d| match d {
                    Value::Int(i) => Ok(*i),
                    _ => Err(bad_dim(v)),
                })
                .collect::<R<Vec<_>>>()?;
            x.f_count_nonzero_dim_intlist(dims.as_slice())
        }
        Some(other) => return Err(bad_dim(other)),
    };
    let transposed = counts.py()?.f_numpy_t().py()?;
    output(&cast(transposed, DType::Int32)?)
}
