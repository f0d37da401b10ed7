//! Diagonal and triangular matrices: `eye`, `identity`, `tri`, `tril`, `triu`.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::py::{py_is_zero, slice_end};
use super::torch_args::{
    as_ints, factory_mismatch, torch_index, torch_int, torch_symint, torch_type_name,
};
use crate::args::bind;
use crate::args::truthy as py_truthy;
use crate::error::TorchResult;
use crate::keras::{cast, dtype_arg, output, tensor, to_torch_dtype, Ctx, R};

/// The torch kind of a `dtype=` argument defaulting to floatx
/// (`to_torch_dtype(dtype or floatx())`).
fn kind_or_floatx(v: Option<&Value>) -> R<tch::Kind> {
    to_torch_dtype(dtype_arg(v.unwrap_or(&Value::None))?)
}

/// `torch.eye(n, m, dtype)`, through float32 for bfloat16 on the CPU
/// (Keras-torch's workaround: "torch.eye doesn't support bfloat16 with cpu").
fn eye_matrix(ctx: Ctx, n: i64, m: Option<i64>, kind: tch::Kind) -> R<tch::Tensor> {
    let via_f32 = ctx.device == tch::Device::Cpu && kind == tch::Kind::BFloat16;
    let k = if via_f32 { tch::Kind::Float } else { kind };
    let e = match m {
        Some(m) => tch::Tensor::f_eye_m(n, m, (k, ctx.device)),
        None => tch::Tensor::f_eye(n, (k, ctx.device)),
    }
    .py()?;
    if via_f32 {
        cast(e, DType::Bfloat16)
    } else {
        Ok(e)
    }
}

/// `torch.eye(*args, dtype=..., device=...)`'s ints, or PyTorch's `TypeError`
/// naming the arguments' types when an overload does not match.
fn eye_sizes(args: &[&Value]) -> R<Vec<i64>> {
    let ints: Option<Vec<i64>> = args.iter().map(|v| torch_index(v)).collect();
    ints.ok_or_else(|| {
        let types: Vec<&str> = args.iter().map(|v| torch_type_name(v)).collect();
        let tail = "*, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, \
                    torch.device device = None, bool pin_memory = False, bool requires_grad = False)";
        BackendError::type_error(format!(
            "eye() received an invalid combination of arguments - got ({}, device=str, \
             dtype=torch.dtype), but expected one of:\n * (int n, {tail}\n * (int n, int m, {tail}\n",
            types.join(", ")
        ))
    })
}

/// A float (Python or array) `N`/`M`, which `keras.ops.eye` refuses.
fn is_floating(v: &Value) -> bool {
    match v {
        Value::Float(_) => true,
        Value::Tensor(t) => t.dtype().is_float(),
        _ => false,
    }
}

/// `x[:n, :m]` with Python slice bounds.
fn leading_block(x: tch::Tensor, n: i64, m: i64) -> R<tch::Tensor> {
    let size = x.size();
    let rows = slice_end(size.first().copied().unwrap_or(0) as usize, n) as i64;
    let cols = slice_end(size.get(1).copied().unwrap_or(0) as usize, m) as i64;
    x.f_slice(0, 0, rows, 1).py()?.f_slice(1, 0, cols, 1).py()
}

/// `eye(N, M=None, k=0, dtype=None)`: Keras refuses float `N`/`M`; `k == 0`
/// is `torch.eye(N, M)`, any other `k` is `torch.diag(ones(max(N, M)),
/// diagonal=k)[:N, :M]`.
pub fn eye(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["N", "M", "k", "dtype"], 1)?;
    if is_floating(a.req(0)) {
        return Err(BackendError::type_error(
            "Argument `N` must be an integer or an integer tensor.",
        ));
    }
    if a.get(1).is_some_and(is_floating) {
        return Err(BackendError::type_error(
            "Argument `M` must be an integer, an integer tensor, or `None`.",
        ));
    }
    let kind = kind_or_floatx(a.get(3))?;
    let n_value = a.req(0);
    let m_value = a.opt(1).unwrap_or(n_value);
    let k = a.opt(2).unwrap_or(&Value::Int(0));
    let sizes = eye_sizes(&[n_value, m_value])?;
    let (n, m) = (sizes[0], sizes[1]);
    if py_is_zero(k) {
        return output(&eye_matrix(ctx, n, Some(m), kind)?);
    }
    let ones = tch::Tensor::f_ones([n.max(m)], (kind, ctx.device)).py()?;
    let k = torch_int(k, "diag(): argument 'diagonal'")?;
    output(&leading_block(ones.f_diag(k).py()?, n, m)?)
}

/// `identity(n, dtype=None)`: `torch.eye(n)` (float32 then cast for
/// bfloat16 on the CPU).
pub fn identity(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["n", "dtype"], 1)?;
    let kind = kind_or_floatx(a.get(1))?;
    let n = eye_sizes(&[a.req(0)])?[0];
    output(&eye_matrix(ctx, n, None, kind)?)
}

/// `tri(N, M=None, k=0, dtype=None)`: `M = M or N` (so `M=0` means `N`),
/// then `torch.tril(torch.ones((N, M)), diagonal=k)`.
pub fn tri(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["N", "M", "k", "dtype"], 1)?;
    let kind = kind_or_floatx(a.get(3))?;
    let n = a.req(0);
    let m = match a.get(1) {
        Some(m) if py_truthy(m)? => m,
        _ => n,
    };
    let size = as_ints(&Value::Tuple(vec![n.clone(), m.clone()])).ok_or_else(|| {
        factory_mismatch(
            "ones",
            "tuple, device=str, dtype=torch.dtype",
            "tuple of ints size",
        )
    })?;
    let ones = tch::Tensor::f_ones(size.as_slice(), (kind, ctx.device)).py()?;
    let k = torch_symint(
        a.get(2).unwrap_or(&Value::Int(0)),
        "tril(): argument 'diagonal'",
    )?;
    output(&ones.f_tril(k).py()?)
}

fn triangle(ctx: Ctx, call: &OpCall, lower: bool) -> R<Value> {
    let a = bind(call, &["x", "k"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let name = if lower { "tril" } else { "triu" };
    let k = torch_symint(
        a.get(1).unwrap_or(&Value::Int(0)),
        &format!("{name}(): argument 'diagonal'"),
    )?;
    output(&if lower { x.f_tril(k) } else { x.f_triu(k) }.py()?)
}

/// `tril(x, k=0)`: `torch.tril(x, diagonal=k)` (a 0-d integer array `k` is
/// accepted, as torch reads it through `__index__`).
pub fn tril(ctx: Ctx, call: &OpCall) -> R<Value> {
    triangle(ctx, call, true)
}

/// `triu(x, k=0)`: `torch.triu(x, diagonal=k)`.
pub fn triu(ctx: Ctx, call: &OpCall) -> R<Value> {
    triangle(ctx, call, false)
}
