//! `quantile`, `percentile` and `median` (`keras/src/backend/torch/numpy.py`),
//! all through Keras-torch's `quantile`: the reduced axes moved last and
//! flattened, `torch.quantile(y, q, dim=-1, interpolation=method)`, kept
//! dims re-inserted, the result cast to `result_type(x, float)`.

use kconform_api::promote::Operand;
use kconform_api::{BackendError, DType, OpCall, Value};

use crate::args::{axes, bind, canonicalize_axis};
use crate::error::TorchResult;
use crate::keras::{cast, convert, dtype, output, result_type, tensor, Ctx, R};
use crate::shim::{wrapped_number, PyScalar};

/// The `method=` argument (torch's `interpolation`).
fn method(v: Option<&Value>) -> R<&str> {
    match v {
        None => Ok("linear"),
        Some(Value::Str(s)) => Ok(s),
        Some(other) => Err(BackendError::type_error(format!(
            "quantile() received an invalid combination of arguments - got `interpolation` \
             of type {}",
            other.kind()
        ))),
    }
}

/// Keras-torch's `quantile(x, q, axis, method, keepdims)` body, on a
/// converted `x` and `q`.
fn quantile_of(
    x: tch::Tensor,
    q: tch::Tensor,
    axis: Option<Vec<i64>>,
    method: &str,
    keepdims: bool,
) -> R<tch::Tensor> {
    let d = dtype(&x)?;
    let compute = result_type(&[Operand::Strong(d), Operand::Strong(DType::Float32)])?;
    let result = result_type(&[Operand::Strong(d), Operand::WeakFloat])?;
    let x = cast(x, compute)?;
    let q = if q.f_kind().py()? != x.f_kind().py()? {
        cast(q, compute)?
    } else {
        q
    };
    let ndim = x.dim();
    let axis = axis
        .map(|ax| {
            ax.iter()
                .map(|&a| canonicalize_axis(a, ndim))
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let y = match &axis {
        None => x.f_reshape([-1i64].as_slice()).py()?,
        Some(ax) => {
            let shape = x.size();
            let others: Vec<i64> = (0..ndim as i64).filter(|i| !ax.contains(i)).collect();
            let perm: Vec<i64> = others.iter().chain(ax.iter()).copied().collect();
            let mut full: Vec<i64> = others.iter().map(|&i| shape[i as usize]).collect();
            full.push(ax.iter().map(|&i| shape[i as usize]).product());
            x.f_permute(perm.as_slice())
                .py()?
                .f_reshape(full.as_slice())
                .py()?
        }
    };
    let mut y = y.f_quantile(&q, -1, false, method).py()?;
    if keepdims {
        match &axis {
            None => {
                for _ in 0..ndim {
                    y = y.f_unsqueeze(-1).py()?;
                }
            }
            Some(ax) => {
                let mut sorted = ax.clone();
                sorted.sort_unstable();
                let shift = i64::from(q.dim() > 0);
                for i in sorted {
                    y = y.f_unsqueeze(i + shift).py()?;
                }
            }
        }
    }
    cast(y, result)
}

/// `quantile(x, q, axis=None, method="linear", keepdims=False)`: computed in
/// `result_type(x, float32)` (so float64 stays float64 until the final cast
/// to `result_type(x, float)`, which narrows it to float32).
pub fn quantile(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "q", "axis", "method", "keepdims"], 2)?;
    let x = tensor(ctx, a.req(0))?;
    let q = tensor(ctx, a.req(1))?;
    output(&quantile_of(
        x,
        q,
        axes(a.get(2))?,
        method(a.opt(3))?,
        a.flag(4)?,
    )?)
}

/// `percentile(x, q, axis=None, method="linear", keepdims=False)`: `q`
/// converted to floatx and divided by `100.0` (in float32), then `quantile`.
pub fn percentile(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "q", "axis", "method", "keepdims"], 2)?;
    let x = tensor(ctx, a.req(0))?;
    let q = convert(ctx, a.req(1), Some(DType::Float32))?;
    let q = q.f_div(&wrapped_number(PyScalar::Float(100.0))?).py()?;
    output(&quantile_of(
        x,
        q,
        axes(a.get(2))?,
        method(a.opt(3))?,
        a.flag(4)?,
    )?)
}

/// `median(x, axis=None, keepdims=False)`: Keras-torch's `quantile(x,
/// q=0.5)` (the two middle values averaged; a float result).
pub fn median(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis", "keepdims"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let q = tensor(ctx, &Value::Float(0.5))?;
    output(&quantile_of(x, q, axes(a.get(1))?, "linear", a.flag(2)?)?)
}
