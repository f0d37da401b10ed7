//! `norm(x, ord=None, axis=None, keepdims=False)` (`keras/src/backend/torch/linalg.py`).

use kconform_api::promote::Operand;
use kconform_api::{BackendError, DType, OpCall, Value};

use super::torch_bool;
use crate::args::{axes, bind};
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, result_type, tensor, Ctx, R};
use crate::raw::{self, Number};

/// `norm`: the input cast to `result_type(x, float)` (so float64 is computed
/// and returned as float32, integers as float32), then `torch.linalg.norm(x,
/// ord=ord, dim=axis, keepdim=keepdims)`: `ord=None` is the 2-norm of the
/// vectors (the Frobenius norm over two axes or the whole tensor), a number
/// is a vector or matrix norm by the number of axes, `"fro"`/`"nuc"` are
/// matrix norms.
pub fn norm(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "ord", "axis", "keepdims"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let d = match dtype(&x)? {
        DType::Int64 => DType::Float32,
        other => result_type(&[Operand::Strong(other), Operand::WeakFloat])?,
    };
    let x = cast(x, d)?;
    let dim = axes(a.get(2))?;
    let keepdim = torch_bool(a.get(3), false, "linalg_norm", "keepdim", true)?;
    let out = match a.opt(1) {
        None => two_norm(&x, dim.as_deref(), keepdim)?,
        Some(Value::Str(ord)) => x
            .f_linalg_norm_ord_str(ord, dim.as_deref(), keepdim, None::<tch::Kind>)
            .py()?,
        Some(Value::Int(i)) => {
            raw::linalg_norm(&x, Number::Int(*i), dim.as_deref(), keepdim).py()?
        }
        Some(Value::Bool(b)) => {
            raw::linalg_norm(&x, Number::Int(i64::from(*b)), dim.as_deref(), keepdim).py()?
        }
        Some(Value::Float(f)) => {
            raw::linalg_norm(&x, Number::Float(*f), dim.as_deref(), keepdim).py()?
        }
        Some(other) => {
            return Err(BackendError::Unsupported(format!(
                "`ord` as a {}",
                other.kind()
            )))
        }
    };
    output(&out)
}

/// `dim` wrapped as libtorch's `maybe_wrap_dim` does, with its IndexError.
fn wrap_dim(d: i64, ndim: usize) -> R<i64> {
    let n = ndim.max(1) as i64;
    if d < -n || d >= n {
        return Err(BackendError::raised(
            "IndexError",
            format!(
                "Dimension out of range (expected to be in range of [{}, {}], but got {d})",
                -n,
                n - 1
            ),
        ));
    }
    Ok(if d < 0 { d + n } else { d })
}

/// `torch.linalg.norm(x, ord=None, dim, keepdim)`: after the length check of
/// `dim`, always `linalg.vector_norm(x, 2, dim, keepdim)`. tch has no
/// optional `ord`, so each case goes through a call that computes the same:
/// `ord=2` on one dim or a vector, `"fro"` on two dims (itself
/// `vector_norm(x, 2, dim)` once its checks pass, which are made here first
/// with vector_norm's messages), and `ord=2` on the flattened input for the
/// whole of a tensor that is not a vector.
fn two_norm(x: &tch::Tensor, dim: Option<&[i64]>, keepdim: bool) -> R<tch::Tensor> {
    let two = Number::Float(2.0);
    let ndim = x.dim();
    match dim {
        Some(d) if d.len() == 1 => raw::linalg_norm(x, two, Some(d), keepdim).py(),
        Some([d0, d1]) => {
            let (w0, w1) = (wrap_dim(*d0, ndim)?, wrap_dim(*d1, ndim)?);
            if w0 == w1 {
                return Err(BackendError::raised(
                    "RuntimeError",
                    format!("dim {w0} appears multiple times in the list of dims"),
                ));
            }
            x.f_linalg_norm_ord_str("fro", &[*d0, *d1][..], keepdim, None::<tch::Kind>)
                .py()
        }
        Some(d) => {
            let shown: Vec<String> = d.iter().map(i64::to_string).collect();
            Err(BackendError::raised(
                "RuntimeError",
                format!(
                    "linalg.norm: If dim is specified, it must be of length 1 or 2. Got [{}]",
                    shown.join(", ")
                ),
            ))
        }
        None if ndim == 1 => raw::linalg_norm(x, two, None, keepdim).py(),
        None => {
            let flat = x.f_flatten(0, -1).py()?;
            let n = raw::linalg_norm(&flat, two, None, false).py()?;
            if keepdim {
                n.f_reshape(vec![1i64; ndim].as_slice()).py()
            } else {
                Ok(n)
            }
        }
    }
}
