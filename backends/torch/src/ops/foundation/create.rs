//! Tensor creation and conversion: arange, convert_to_tensor, cast.

use kconform_api::promote::Operand;
use kconform_api::{BackendError, DType, OpCall, Value};

use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{convert, dtype_arg, output, result_type, to_torch_dtype, Ctx, R};
use crate::raw::{self, Number};

/// An `arange` bound: a Python number, or something `torch.arange` rejects.
enum Bound {
    Number(Number, Operand),
    Other(&'static str, Operand),
}

impl Bound {
    fn operand(&self) -> Operand {
        match self {
            Bound::Number(_, o) | Bound::Other(_, o) => *o,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Bound::Number(Number::Int(_), Operand::Strong(_)) => "bool",
            Bound::Number(Number::Int(_), _) => "int",
            Bound::Number(Number::Float(_), _) => "float",
            Bound::Other(name, _) => name,
        }
    }
}

/// A bound and its operand in `result_type` (`getattr(x, "dtype", type(x))`).
fn bound(v: &Value) -> R<Bound> {
    match v {
        Value::Bool(b) => Ok(Bound::Number(
            Number::Int(i64::from(*b)),
            Operand::Strong(DType::Bool),
        )),
        Value::Int(i) => Ok(Bound::Number(Number::Int(*i), Operand::WeakInt)),
        Value::Float(f) => Ok(Bound::Number(Number::Float(*f), Operand::WeakFloat)),
        Value::Tensor(t) => Ok(Bound::Other("numpy.ndarray", Operand::Strong(t.dtype()))),
        other => Err(BackendError::Unsupported(format!(
            "arange bounds as a {}",
            other.kind()
        ))),
    }
}

/// `arange(start, stop=None, step=None, dtype=None)`: the dtype defaults to
/// `result_type` of the given bounds (Python ints are weak: int32), then
/// `torch.arange(start, stop, step, dtype)`, whatever the bounds' range.
pub fn arange(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["start", "stop", "step", "dtype"], 1)?;
    let asked = a.opt(3).map(dtype_arg).transpose()?;
    let start = bound(a.req(0))?;
    let stop = a.opt(1).map(bound).transpose()?;
    let step = a.opt(2).map(bound).transpose()?;
    let d = match asked {
        Some(d) => d,
        None => {
            let ops: Vec<Operand> = [Some(&start), stop.as_ref(), step.as_ref()]
                .into_iter()
                .flatten()
                .map(Bound::operand)
                .collect();
            result_type(&ops)?
        }
    };
    let kind = to_torch_dtype(d)?;
    let (start, stop) = match stop {
        None => (Bound::Number(Number::Int(0), Operand::WeakInt), start),
        Some(stop) => (start, stop),
    };
    let step = step.unwrap_or(Bound::Number(Number::Int(1), Operand::WeakInt));
    match (&start, &stop, &step) {
        (Bound::Number(a, _), Bound::Number(b, _), Bound::Number(c, _)) => output(&raw::arange(*a, *b, *c, kind, ctx.device).py()?),
        _ => Err(BackendError::type_error(format!(
            "arange() received an invalid combination of arguments - got ({}, {}, device=str, dtype=torch.dtype, step={}), \
             but expected one of: (Number end), (Number start, Number end), (Number start, Number end, Number step)",
            start.type_name(),
            stop.type_name(),
            step.type_name()
        ))),
    }
}

fn truthy(v: Option<&Value>) -> bool {
    !matches!(
        v,
        None | Some(Value::None) | Some(Value::Bool(false)) | Some(Value::Int(0))
    )
}

/// `convert_to_tensor(x, dtype=None, sparse=None, ragged=None)`.
pub fn convert_to_tensor(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "dtype", "sparse", "ragged"], 1)?;
    let d = a.opt(1).map(dtype_arg).transpose()?;
    if truthy(a.get(2)) {
        return Err(BackendError::value_error(
            "`sparse=True` is not supported with torch backend",
        ));
    }
    if truthy(a.get(3)) {
        return Err(BackendError::value_error(
            "`ragged=True` is not supported with torch backend",
        ));
    }
    output(&convert(ctx, a.req(0), d)?)
}

/// `cast(x, dtype)`: `convert_to_tensor(x, dtype)` for a non-torch `x` (so a
/// bfloat16 array stays bfloat16, whatever `dtype` says: Keras-torch's
/// conversion forces it).
pub fn cast(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "dtype"], 2)?;
    let d = dtype_arg(a.req(1))?;
    to_torch_dtype(d)?;
    output(&convert(ctx, a.req(0), Some(d))?)
}
