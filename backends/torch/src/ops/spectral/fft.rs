//! `fft`, `fft2`, `ifft2`, `rfft` and `irfft` (`keras/src/backend/torch/math.py`).

use kconform_api::{BackendError, OpCall, Value};

use super::truth_value_of;
use crate::args::{bind, py_repr};
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};
use crate::ops::{torch_int, torch_size};

/// Keras-torch's `_get_complex_tensor_from_tuple(x)`: a pair of same-shape
/// float tensors, converted, then `torch.complex(real, imag)` (which raises
/// for mixed or half-precision dtypes where torch has no complex kind).
pub(super) fn complex_from_pair(ctx: Ctx, x: &Value) -> R<tch::Tensor> {
    let not_a_pair = || {
        BackendError::value_error(format!(
            "Input `x` should be a tuple of two tensors - real and imaginary.Received: x={}",
            py_repr(x)
        ))
    };
    let (real, imag) = match x {
        Value::List(items) | Value::Tuple(items) if items.len() == 2 => (&items[0], &items[1]),
        _ => return Err(not_a_pair()),
    };
    let (real, imag) = (tensor(ctx, real)?, tensor(ctx, imag)?);
    if real.size() != imag.size() {
        return Err(BackendError::value_error(format!(
            "Input `x` should be a tuple of two tensors - real and imaginary.Both the real and \
             imaginary parts should have the same shape. Received: x[0].shape = {}, x[1].shape \
             = {}",
            torch_size(&real),
            torch_size(&imag)
        )));
    }
    if !real.f_is_floating_point().py()? || !imag.f_is_floating_point().py()? {
        return Err(BackendError::value_error(format!(
            "At least one tensor in input `x` is not of type float.Received: x={}.",
            py_repr(x)
        )));
    }
    tch::Tensor::f_complex(&real, &imag).py()
}

/// `(c.real, c.imag)` of a complex result.
fn pair(c: &tch::Tensor) -> R<Value> {
    Ok(Value::Tuple(vec![
        output(&c.f_real().py()?)?,
        output(&c.f_imag().py()?)?,
    ]))
}

/// `fft((real, imag))`: `torch.fft.fft` over the last axis.
pub fn fft(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    truth_value_of(a.req(0))?;
    let c = complex_from_pair(ctx, a.req(0))?;
    pair(&c.f_fft_fft(None::<i64>, -1, "backward").py()?)
}

/// `fft2((real, imag))`: `torch.fft.fft2` over the last two axes.
pub fn fft2(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    truth_value_of(a.req(0))?;
    let c = complex_from_pair(ctx, a.req(0))?;
    pair(
        &c.f_fft_fft2(None::<&[i64]>, [-2i64, -1].as_slice(), "backward")
            .py()?,
    )
}

/// `ifft2((real, imag))`: `torch.fft.ifft2` over the last two axes.
pub fn ifft2(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    truth_value_of(a.req(0))?;
    let c = complex_from_pair(ctx, a.req(0))?;
    pair(
        &c.f_fft_ifft2(None::<&[i64]>, [-2i64, -1].as_slice(), "backward")
            .py()?,
    )
}

/// The `fft_length` of `rfft`/`irfft`: `None` or torch's `n`.
fn fft_length(v: Option<&Value>, function: &str) -> R<Option<i64>> {
    v.map(|n| torch_int(n, function, "n", None)).transpose()
}

/// `rfft(x, fft_length=None)`: `torch.fft.rfft(x, n=fft_length)` on the
/// converted `x` (integers and bools computed in float32).
pub fn rfft(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "fft_length"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let n = fft_length(a.opt(1), "fft_rfft")?;
    pair(&x.f_fft_rfft(n, -1, "backward").py()?)
}

/// Keras-torch's `irfft(x, fft_length)` body: `torch.fft.irfft` of the pair.
pub(super) fn irfft_of(ctx: Ctx, x: &Value, n: Option<i64>) -> R<tch::Tensor> {
    complex_from_pair(ctx, x)?
        .f_fft_irfft(n, -1, "backward")
        .py()
}

/// `irfft((real, imag), fft_length=None)`: `torch.fft.irfft(n=fft_length)`.
pub fn irfft(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "fft_length"], 1)?;
    truth_value_of(a.req(0))?;
    let n = fft_length(a.opt(1), "fft_irfft")?;
    output(&irfft_of(ctx, a.req(0), n)?)
}
