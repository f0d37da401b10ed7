//! `stft` (`keras/src/backend/torch/math.py`), and the analysis window that
//! `stft` and `istft` share.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::sequence_stride;
use crate::args::{bind, py_type_name};
use crate::error::TorchResult;
use crate::keras::{convert, output, tensor, to_torch_dtype, Ctx, R};
use crate::ops::torch_size;

/// A Python `int` argument that Keras-torch hands to torch as a size.
pub(super) fn size_arg(v: &Value, what: &str) -> R<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(BackendError::Unsupported(format!(
            "`{what}` as a {} (only an int)",
            other.kind()
        ))),
    }
}

/// Keras's check of a string `window`: only `"hann"` and `"hamming"`.
pub(super) fn check_window_name(window: Option<&Value>) -> R<()> {
    match window {
        Some(Value::Str(name)) if name != "hann" && name != "hamming" => {
            Err(BackendError::value_error(format!(
                "If a string is passed to `window`, it must be one of `\"hann\"`, `\"hamming\"`. \
                 Received: window={name}"
            )))
        }
        _ => Ok(()),
    }
}

/// The window Keras-torch builds in `dtype`: `None` for `window=None`, a
/// periodic `torch.hann_window` / `torch.hamming_window`, or the converted
/// `window`, which must have shape `[sequence_length]`.
pub(super) fn window(
    ctx: Ctx,
    window: Option<&Value>,
    sequence_length: i64,
    dtype: DType,
) -> R<Option<tch::Tensor>> {
    let options = (to_torch_dtype(dtype)?, ctx.device);
    let win = match window {
        None => tch::Tensor::f_hann_window_periodic(sequence_length, true, options).py()?,
        Some(Value::None) => return Ok(None),
        Some(Value::Str(name)) if name == "hann" => {
            tch::Tensor::f_hann_window_periodic(sequence_length, true, options).py()?
        }
        Some(Value::Str(_)) => {
            tch::Tensor::f_hamming_window_periodic(sequence_length, true, options).py()?
        }
        Some(other) => convert(ctx, other, Some(dtype))?,
    };
    let shape = win.size();
    if shape.len() != 1 || shape[0] != sequence_length {
        return Err(BackendError::value_error(format!(
            "The shape of `window` must be equal to [sequence_length].Received: window shape={}",
            torch_size(&win)
        )));
    }
    Ok(Some(win))
}

/// `torch.stft(x, ..., center=center, pad_mode="reflect")` as PyTorch's
/// Python wrapper runs it: a centered signal is reflect-padded by
/// `n_fft // 2` on each side (as a 3-D view) before `_VF.stft`.
fn torch_stft(
    x: &tch::Tensor,
    n_fft: i64,
    hop: i64,
    win_length: i64,
    win: &tch::Tensor,
    center: bool,
) -> R<tch::Tensor> {
    let padded = if center {
        let dims = x.size();
        let mut extended = vec![1i64; 3usize.saturating_sub(dims.len())];
        extended.extend_from_slice(&dims);
        let pad = n_fft.div_euclid(2);
        let p = x
            .f_view(extended.as_slice())
            .py()?
            .f_pad([pad, pad].as_slice(), "reflect", None::<f64>)
            .py()?;
        let padded_dims = p.size();
        let keep = if dims.is_empty() {
            padded_dims.len()
        } else {
            dims.len()
        };
        p.f_view(&padded_dims[padded_dims.len() - keep..]).py()?
    } else {
        x.shallow_clone()
    };
    padded
        .f_stft(n_fft, hop, win_length, Some(win), false, true, true, false)
        .py()
}

/// `sequence_stride` as `torch.stft`'s `hop_length` (an `int` only): the
/// `True` that Keras's check lets through matches no overload.
fn hop_length(v: &Value, stride: i64) -> R<i64> {
    match v {
        Value::Bool(_) => Err(BackendError::type_error(
            "stft() received an invalid combination of arguments - got (Tensor, int, bool, ...)",
        )),
        _ => Ok(stride),
    }
}

/// `stft(x, sequence_length, sequence_stride, fft_length, window="hann",
/// center=True)`: only float32/float64 arrays (checked on the array itself,
/// so a list raises AttributeError), then `torch.stft` with the window in
/// `x`'s dtype, frames moved before bins; `(real, imag)`. `center` is read
/// for truthiness (so `center=0` does not center).
pub fn stft(ctx: Ctx, call: &OpCall) -> R<Value> {
    let params = [
        "x",
        "sequence_length",
        "sequence_stride",
        "fft_length",
        "window",
        "center",
    ];
    let a = bind(call, &params, 4)?;
    let stride = sequence_stride(a.req(2))?;
    let x = a.req(0);
    let Value::Tensor(host) = x else {
        return Err(BackendError::raised(
            "AttributeError",
            format!("'{}' object has no attribute 'dtype'", py_type_name(x)),
        ));
    };
    if !matches!(host.dtype(), DType::Float32 | DType::Float64) {
        return Err(BackendError::type_error(format!(
            "Invalid input type. Expected `float32` or `float64`. Received: input type={}",
            host.dtype()
        )));
    }
    let sequence_length = size_arg(a.req(1), "sequence_length")?;
    let fft_length = size_arg(a.req(3), "fft_length")?;
    if fft_length < sequence_length {
        return Err(BackendError::value_error(format!(
            "`fft_length` must equal or larger than `sequence_length`. Received: \
             sequence_length={sequence_length}, fft_length={fft_length}"
        )));
    }
    check_window_name(a.get(4))?;
    let x = tensor(ctx, x)?;
    let dtype = host.dtype();
    let win = match window(ctx, a.get(4), sequence_length, dtype)? {
        Some(w) => w,
        None => tch::Tensor::f_ones(
            [sequence_length].as_slice(),
            (to_torch_dtype(dtype)?, ctx.device),
        )
        .py()?,
    };
    let center = match a.get(5) {
        None => true,
        Some(_) => a.flag(5)?,
    };
    let dims = x.size();
    if dims.is_empty() {
        return Err(BackendError::value_error(
            "not enough values to unpack (expected at least 1, got 0)",
        ));
    }
    let (batch, samples) = dims.split_at(dims.len() - 1);
    let flat = if dims.len() > 2 {
        let rows: i64 = batch.iter().product();
        x.f_reshape([rows, samples[0]].as_slice()).py()?
    } else {
        x
    };
    let hop = hop_length(a.req(2), stride)?;
    let mut out = torch_stft(&flat, fft_length, hop, sequence_length, &win, center)?;
    if dims.len() > 2 {
        let s = out.size();
        let mut shape = batch.to_vec();
        shape.extend_from_slice(s.get(s.len().saturating_sub(2)..).unwrap_or(&[]));
        out = out.f_reshape(shape.as_slice()).py()?;
    }
    let out = out.f_swapaxes(-2, -1).py()?;
    Ok(Value::Tuple(vec![
        output(&out.f_real().py()?)?,
        output(&out.f_imag().py()?)?,
    ]))
}
