//! `keras.ops.linalg`'s square-matrix ops: `cholesky`, `det`, `inv`, `solve`,
//! `solve_triangular` (with the shape checks of `keras/src/ops/linalg.py`,
//! which print `torch.Size`s), and `logdet` / `slogdet` (`keras.ops.math` /
//! `keras.ops.numpy`, unchecked). Each is one `torch.linalg` call on the
//! converted input, so torch's dtype rules apply: integer inputs raise, and
//! float64 stays float64.

use kconform_api::python::py_float_repr;
use kconform_api::{BackendError, DType, OpCall, Value};

use super::torch_bool;
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{dtype, output, tensor, Ctx, R};
use crate::ops::torch_size;

/// Keras's `_assert_2d`.
fn assert_2d(x: &tch::Tensor) -> R<()> {
    if x.dim() < 2 {
        return Err(BackendError::value_error(format!(
            "Expected input to have rank >= 2. Received input with shape {}.",
            torch_size(x)
        )));
    }
    Ok(())
}

/// Keras's `_assert_square` (after `_assert_2d`).
fn assert_square(x: &tch::Tensor) -> R<()> {
    let s = x.size();
    if s[s.len() - 2] != s[s.len() - 1] {
        return Err(BackendError::value_error(format!(
            "Expected a square matrix. Received non-square input with shape {}",
            torch_size(x)
        )));
    }
    Ok(())
}

/// A 0-d torch tensor in an f-string: `Tensor.__format__` formats its
/// `.item()`, so `2.0`, `3`, `True`.
fn item_str(x: &tch::Tensor) -> R<String> {
    let d = dtype(x)?;
    Ok(if d == DType::Bool {
        if x.f_int64_value(&[]).py()? != 0 {
            "True"
        } else {
            "False"
        }
        .to_string()
    } else if d.is_integer() {
        x.f_int64_value(&[]).py()?.to_string()
    } else {
        py_float_repr(x.f_double_value(&[]).py()?)
    })
}

/// Keras's `_assert_1d`.
fn assert_1d(x: &tch::Tensor) -> R<()> {
    if x.dim() < 1 {
        return Err(BackendError::value_error(format!(
            "Expected input to have rank >= 1. Received scalar input {}.",
            item_str(x)?
        )));
    }
    Ok(())
}

/// Keras's `_assert_a_b_compat`.
fn assert_a_b_compat(a: &tch::Tensor, b: &tch::Tensor) -> R<()> {
    let (sa, sb) = (a.size(), b.size());
    let (na, nb) = (sa.len(), sb.len());
    let mismatch = if na == nb {
        (sa[na - 2] != sb[nb - 2]).then_some("a.shape[-2] == b.shape[-2]")
    } else if na + 1 == nb {
        (sa[na - 1] != sb[nb - 1]).then_some("a.shape[-1] == b.shape[-1]")
    } else {
        None
    };
    match mismatch {
        Some(expected) => Err(BackendError::value_error(format!(
            "Incompatible shapes between `a` and `b`. Expected `{expected}`. \
             Received: a.shape={}, b.shape={}",
            torch_size(a),
            torch_size(b)
        ))),
        None => Ok(()),
    }
}

/// The converted, checked square input of `name(x, ...)`.
fn square(ctx: Ctx, call: &OpCall, params: &[&str]) -> R<tch::Tensor> {
    let a = bind(call, params, 1)?;
    let x = tensor(ctx, a.req(0))?;
    assert_2d(&x)?;
    assert_square(&x)?;
    Ok(x)
}

/// `cholesky(x, upper=False)`: `torch.linalg.cholesky`, any error it raises
/// re-raised by Keras as `ValueError("Cholesky decomposition failed: ...")`.
pub fn cholesky(ctx: Ctx, call: &OpCall) -> R<Value> {
    let x = square(ctx, call, &["x", "upper"])?;
    let upper = bind(call, &["x", "upper"], 1)?.get(1);
    let factor = torch_bool(upper, false, "linalg_cholesky", "upper", false)
        .and_then(|upper| x.f_linalg_cholesky(upper).py());
    match factor {
        Ok(l) => output(&l),
        Err(BackendError::Raised { message, .. }) => Err(BackendError::value_error(format!(
            "Cholesky decomposition failed: {message}"
        ))),
        Err(other) => Err(other),
    }
}

/// `det(x)`: `torch.det`.
pub fn det(ctx: Ctx, call: &OpCall) -> R<Value> {
    output(&square(ctx, call, &["x"])?.f_det().py()?)
}

/// `inv(x)`: `torch.linalg.inv`.
pub fn inv(ctx: Ctx, call: &OpCall) -> R<Value> {
    output(&tch::Tensor::f_linalg_inv(&square(ctx, call, &["x"])?).py()?)
}

/// `logdet(x)` (`keras.ops.math`): `torch.logdet`, with no shape checks of
/// Keras's own (NaN for a negative determinant).
pub fn logdet(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    output(&tensor(ctx, a.req(0))?.f_logdet().py()?)
}

/// `slogdet(x)` (`keras.ops.numpy`): `tuple(torch.linalg.slogdet(x))`.
pub fn slogdet(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let (sign, logabsdet) = tch::Tensor::f_linalg_slogdet(&tensor(ctx, a.req(0))?).py()?;
    Ok(Value::Tuple(vec![output(&sign)?, output(&logabsdet)?]))
}

/// The converted, checked `(a, b)` of `solve` and `solve_triangular`.
fn system(ctx: Ctx, call: &OpCall, params: &[&str]) -> R<(tch::Tensor, tch::Tensor)> {
    let args = bind(call, params, 2)?;
    let a = tensor(ctx, args.req(0))?;
    let b = tensor(ctx, args.req(1))?;
    assert_2d(&a)?;
    assert_square(&a)?;
    assert_1d(&b)?;
    assert_a_b_compat(&a, &b)?;
    Ok((a, b))
}

/// `solve(a, b)`: `torch.linalg.solve` (a 1-D-batch `b` of `a`'s rank less
/// one is a batch of vectors).
pub fn solve(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (a, b) = system(ctx, call, &["a", "b"])?;
    output(&tch::Tensor::f_linalg_solve(&a, &b, true).py()?)
}

/// `solve_triangular(a, b, lower=False)`: `torch.linalg.solve_triangular(a,
/// b, upper=not lower)`, a `b` of `a`'s rank less one solved as a column.
pub fn solve_triangular(ctx: Ctx, call: &OpCall) -> R<Value> {
    let params = ["a", "b", "lower"];
    let (a, b) = system(ctx, call, &params)?;
    let upper = !bind(call, &params, 2)?.flag(2)?;
    if b.dim() + 1 == a.dim() {
        let column = b.f_unsqueeze(-1).py()?;
        let x = a
            .f_linalg_solve_triangular(&column, upper, true, false)
            .py()?;
        return output(&x.f_squeeze_dim(-1).py()?);
    }
    output(&a.f_linalg_solve_triangular(&b, upper, true, false).py()?)
}
