//! `istft` (`keras/src/backend/torch/math.py`): `torch.istft` when it
//! applies, else Keras-torch's own `irfft` + windowed overlap-add.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::fft::{complex_from_pair, irfft_of};
use super::stft::{size_arg, window};
use super::{sequence_stride, truth_value_of};
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{dtype, output, Ctx, R};
use crate::ops::torch_int;

/// Keras-torch's `_overlap_sequences(x, sequence_stride)`: frames of shape
/// `(..., num_sequences, sequence_length)` added at `sequence_stride` steps,
/// by padding, shearing the flattened frames and summing.
fn overlap_sequences(x: &tch::Tensor, stride: i64) -> R<tch::Tensor> {
    let dims = x.size();
    if dims.len() < 2 {
        return Err(BackendError::value_error(format!(
            "not enough values to unpack (expected at least 2, got {})",
            dims.len()
        )));
    }
    let (batch, frame) = dims.split_at(dims.len() - 2);
    let (n, l) = (frame[0], frame[1]);
    if stride > l {
        return Err(BackendError::value_error(format!(
            "`sequence_stride` must equal or less than x.shape[-1]. Received: \
             sequence_stride={stride}, x.shape[-1]={l}"
        )));
    }
    if n == 0 {
        return Err(BackendError::raised(
            "ZeroDivisionError",
            "division by zero",
        ));
    }
    if (stride as f64) < l as f64 / n as f64 {
        return Err(BackendError::value_error(format!(
            "`sequence_stride` must equal or greater than x.shape[-1] / x.shape[-2]. Received: \
             sequence_stride={stride}, x.shape[-1]={l}, x.shape[-2]={n}"
        )));
    }
    let b: i64 = batch.iter().product();
    let output_size = stride.saturating_mul(n - 1).saturating_add(l);
    let steps = 1 + (l - 1).div_euclid(stride);
    let padded_len = steps * stride;
    let x = x
        .f_reshape([b, n, l].as_slice())
        .py()?
        .f_constant_pad_nd([0, padded_len - l, 0, 0, 0, 0].as_slice())
        .py()?
        .f_reshape([b, n, steps, stride].as_slice())
        .py()?
        .f_permute([0i64, 2, 1, 3].as_slice())
        .py()?
        .f_constant_pad_nd([0, 0, 0, n, 0, 0, 0, 0].as_slice())
        .py()?;
    let shrinked = x.size()[2] - 1;
    let x = x
        .f_reshape([b, -1].as_slice())
        .py()?
        .f_slice(1, None::<i64>, Some(steps * shrinked * stride), 1)
        .py()?
        .f_reshape([b, steps, shrinked * stride].as_slice())
        .py()?
        .f_sum_dim_intlist([1i64].as_slice(), false, None::<tch::Kind>)
        .py()?
        .f_slice(1, None::<i64>, Some(output_size), 1)
        .py()?;
    let mut shape = batch.to_vec();
    shape.push(-1);
    x.f_reshape(shape.as_slice()).py()
}

/// `torch.istft` on Keras-torch's fast path: frames moved after bins (a
/// batch of more than one axis flattened and restored), `onesided` as torch
/// defaults it (`bins != n_fft`), a real result.
fn torch_istft(
    c: &tch::Tensor,
    n_fft: i64,
    hop: i64,
    win: &tch::Tensor,
    length: Option<i64>,
) -> R<tch::Tensor> {
    let dims = c.size();
    if dims.len() < 2 {
        return Err(BackendError::value_error(format!(
            "not enough values to unpack (expected at least 2, got {})",
            dims.len()
        )));
    }
    let (batch, frame) = dims.split_at(dims.len() - 2);
    let unpack = dims.len() > 3;
    let c = if unpack {
        let b: i64 = batch.iter().product();
        c.f_reshape([b, frame[0], frame[1]].as_slice()).py()?
    } else {
        c.shallow_clone()
    };
    let c = c.f_swapaxes(-2, -1).py()?;
    let onesided = frame[1] != n_fft;
    let x = c
        .f_istft(
            n_fft,
            hop,
            n_fft,
            Some(win),
            true,
            false,
            onesided,
            length,
            false,
        )
        .py()?;
    if unpack {
        let mut shape = batch.to_vec();
        shape.push(x.size().last().copied().unwrap_or(0));
        return x.f_reshape(shape.as_slice()).py();
    }
    Ok(x)
}

/// The synthesis window of Keras-torch's overlap-add: the window zero-padded
/// to `fft_length` (centered) and divided by the overlapped sum of its
/// squares.
fn synthesis_window(
    win: &tch::Tensor,
    fft_length: i64,
    sequence_length: i64,
    stride: i64,
) -> R<tch::Tensor> {
    let gap = fft_length.saturating_sub(sequence_length);
    let l_pad = gap.div_euclid(2);
    let r_pad = gap - l_pad;
    let win = win.f_constant_pad_nd([l_pad, r_pad].as_slice()).py()?;
    let padded_length = sequence_length.saturating_add(gap);
    let overlaps = -(-padded_length).div_euclid(stride);
    let overlapped = overlaps.saturating_mul(stride);
    let denom = win
        .f_square()
        .py()?
        .f_constant_pad_nd([0, overlapped.saturating_sub(padded_length)].as_slice())
        .py()?
        .f_reshape([overlaps, stride].as_slice())
        .py()?
        .f_sum_dim_intlist([0i64].as_slice(), true, None::<tch::Kind>)
        .py()?
        .f_tile([overlaps, 1].as_slice())
        .py()?
        .f_reshape([overlapped].as_slice())
        .py()?
        .f_slice(0, None::<i64>, Some(padded_length), 1)
        .py()?;
    win.f_div(&denom).py()
}

/// `istft((real, imag), sequence_length, sequence_stride, fft_length,
/// length=None, window="hann", center=True)`: any window name other than
/// `"hann"` is a Hamming window (Keras-torch's istft does not check it); with `sequence_length ==
/// fft_length`, `center is True` and a window, `torch.istft`; otherwise
/// Keras-torch's `irfft`, the frames times the synthesis window, overlap-add,
/// and a slice that starts at `fft_length // 2` unless `center is False` and
/// ends at `start + length`, at `-(fft_length // 2)` when `center is True`,
/// else at the full length (so `center=0` is neither).
pub fn istft(ctx: Ctx, call: &OpCall) -> R<Value> {
    let params = [
        "x",
        "sequence_length",
        "sequence_stride",
        "fft_length",
        "length",
        "window",
        "center",
    ];
    let a = bind(call, &params, 4)?;
    let stride = sequence_stride(a.req(2))?;
    truth_value_of(a.req(0))?;
    let c = complex_from_pair(ctx, a.req(0))?;
    let real_dtype: DType = dtype(&c.f_real().py()?)?;
    let sequence_length = size_arg(a.req(1), "sequence_length")?;
    let fft_length = size_arg(a.req(3), "fft_length")?;
    let length = a.opt(4).map(|v| size_arg(v, "length")).transpose()?;
    let win = window(ctx, a.get(5), sequence_length, real_dtype)?;
    let center_is_true = matches!(a.get(6), None | Some(Value::Bool(true)));
    let center_is_false = matches!(a.get(6), Some(Value::Bool(false)));
    if let (true, true, Some(w)) = (sequence_length == fft_length, center_is_true, &win) {
        let hop = torch_int(a.req(2), "istft", "hop_length", None)?;
        return output(&torch_istft(&c, fft_length, hop, w, length)?);
    }
    let mut x = irfft_of(ctx, a.req(0), Some(fft_length))?;
    let frames = x
        .size()
        .len()
        .checked_sub(2)
        .map(|i| x.size()[i])
        .ok_or_else(|| BackendError::raised("IndexError", "tuple index out of range"))?;
    let expected_output_len = stride.saturating_mul(frames - 1).saturating_add(fft_length);
    if let Some(w) = &win {
        let w = synthesis_window(w, fft_length, sequence_length, stride)?;
        x = x.f_mul(&w).py()?;
    }
    let x = overlap_sequences(&x, stride)?;
    let start = if center_is_false {
        0
    } else {
        fft_length.div_euclid(2)
    };
    let end = match length {
        Some(n) => start.saturating_add(n),
        None if center_is_true => -fft_length.div_euclid(2),
        None => expected_output_len,
    };
    output(&x.f_slice(-1, Some(start), Some(end), 1).py()?)
}
