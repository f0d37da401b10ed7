//! Cumulative reductions: cumsum, cumprod.

use kconform_api::promote::Operand;
use kconform_api::{BackendError, DType, OpCall, Value};

use crate::args::{bind, py_type_name};
use crate::error::TorchResult;
use crate::keras::{cast, dtype, dtype_arg, output, result_type, tensor, to_torch_dtype, Ctx, R};

/// A torch scan: `torch.cumsum` or `torch.cumprod` (`dim`, `dtype`).
type Scan = fn(&tch::Tensor, i64, Option<tch::Kind>) -> Result<tch::Tensor, tch::TchError>;

/// `axis` as torch's `dim=` takes it: an int, else the parser's `TypeError`.
fn scan_dim(v: &Value, name: &str) -> R<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(BackendError::type_error(format!(
            "{name}() received an invalid combination of arguments - got (Tensor, dtype=torch.dtype, dim={}), \
             but expected one of:\n * (Tensor input, int dim, *, torch.dtype dtype = None, Tensor out = None)\n \
             * (Tensor input, name dim, *, torch.dtype dtype = None, Tensor out = None)",
            py_type_name(other)
        ))),
    }
}

/// Keras-torch's `cumsum`/`cumprod` body: `dtype` standardized first; with
/// `axis=None`, `x` is flattened and scanned on axis 0; the accumulation dtype
/// is `result_type(dtype or x.dtype)` (so int64 and float64 narrow to 32
/// bits, and an explicit `float64` gives float32), bool becomes int32, and
/// float16 on the CPU is accumulated in float32 and cast back.
fn scan(ctx: Ctx, call: &OpCall, name: &str, op: Scan) -> R<Value> {
    let a = bind(call, &["x", "axis", "dtype"], 1)?;
    let asked = a.opt(2).map(dtype_arg).transpose()?;
    let x = tensor(ctx, a.req(0))?;
    let (x, axis) = match a.opt(1) {
        None => (x.f_flatten(0, -1).py()?, 0),
        Some(v) => (x, scan_dim(v, name)?),
    };
    let d = match result_type(&[Operand::Strong(asked.unwrap_or(dtype(&x)?))])? {
        DType::Bool => DType::Int32,
        DType::Float16 if ctx.device == tch::Device::Cpu => {
            let r = op(&x, axis, Some(tch::Kind::Float)).py()?;
            return output(&cast(r, DType::Float16)?);
        }
        other => other,
    };
    output(&op(&x, axis, Some(to_torch_dtype(d)?)).py()?)
}

/// `cumsum(x, axis=None, dtype=None)`: `torch.cumsum`.
pub fn cumsum(ctx: Ctx, call: &OpCall) -> R<Value> {
    scan(ctx, call, "cumsum", |x, dim, kind| x.f_cumsum(dim, kind))
}

/// `cumprod(x, axis=None, dtype=None)`: `torch.cumprod`.
pub fn cumprod(ctx: Ctx, call: &OpCall) -> R<Value> {
    scan(ctx, call, "cumprod", |x, dim, kind| x.f_cumprod(dim, kind))
}
