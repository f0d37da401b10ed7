//! `stft` and `istft` as Keras's JAX backend computes them through
//! `jax.scipy.signal.stft`/`istft` (with Keras undoing SciPy's scaling).

use kconform_api::{DType, OpCall, Value};
use rustfft::num_complex::Complex64;

use super::fft::real_transform;
use super::signal::{float32_tensor, hermitian, Signal};
use super::window::Window;
use crate::args::{index, py_repr, py_type_name, truthy, Args};
use crate::array::Array;
use crate::elem::{flush, Elem};
use crate::error::{check_size, shape_repr, OpError, OpResult};

/// Keras's check of `sequence_stride` (an `int`, positive).
fn stride_arg(v: &Value) -> OpResult<usize> {
    match v {
        Value::Int(i) if *i > 0 => Ok(*i as usize),
        Value::Bool(true) => Ok(1),
        other => Err(OpError::Value(format!(
            "`sequence_stride` must be a positive integer. Received: sequence_stride={}",
            py_repr(other)
        ))),
    }
}

/// A length argument read with `operator.index`, refused when negative.
fn length_arg(v: &Value) -> OpResult<usize> {
    usize::try_from(index(v)?).map_err(|_| {
        OpError::Unsupported(format!("a negative length {} in stft/istft", py_repr(v)))
    })
}

/// `center=True` unless given.
fn center_arg(given: Option<&Value>) -> OpResult<bool> {
    given.map_or(Ok(true), truthy)
}

/// The source index of `jnp.pad(mode="reflect")` position `i` for a lane of
/// `n` samples padded by `pad` on each side (repeated mirroring).
fn reflect(i: usize, pad: usize, n: usize) -> usize {
    if n == 1 {
        return 0;
    }
    let period = 2 * (n - 1) as i64;
    let m = (i as i64 - pad as i64).rem_euclid(period);
    (if m >= n as i64 { period - m } else { m }) as usize
}

/// `keras.ops.stft(x, sequence_length, sequence_stride, fft_length,
/// window="hann", center=True)`: `(real, imag)` of shape
/// `(..., frames, fft_length // 2 + 1)`.
pub fn stft(call: &OpCall) -> OpResult<Value> {
    let params = [
        "x",
        "sequence_length",
        "sequence_stride",
        "fft_length",
        "window",
        "center",
    ];
    let args = Args::bind(call, &params, 4)?;
    let stride = stride_arg(args.value(2))?;
    let t = match args.value(0) {
        Value::Tensor(t) => t,
        other => {
            return Err(OpError::Attribute(format!(
                "'{}' object has no attribute 'dtype'",
                py_type_name(other)
            )))
        }
    };
    if !matches!(t.dtype(), DType::Float32 | DType::Float64) {
        return Err(OpError::Type(format!(
            "Invalid input type. Expected `float32` or `float64`. Received: input type={}",
            t.dtype()
        )));
    }
    let (seq, fft) = (length_arg(args.value(1))?, length_arg(args.value(3))?);
    if fft < seq {
        return Err(OpError::Value(format!(
            "`fft_length` must equal or larger than `sequence_length`. Received: \
             sequence_length={seq}, fft_length={fft}"
        )));
    }
    let window = Window::read(args.given(4));
    if let Window::Named(name) = &window {
        if name != "hann" && name != "hamming" {
            return Err(OpError::Value(format!(
                "If a string is passed to `window`, it must be one of `\"hann\"`, `\"hamming\"`. \
                 Received: window={name}"
            )));
        }
    }
    let center = center_arg(args.given(5))?;
    let x = Array::from_tensor(t)?.into_typed::<f32>();
    let Some((&n, batch)) = x.shape().split_last() else {
        // `pad_width[-1] = ...` on the empty list of a scalar's pad widths.
        return Err(if center {
            OpError::Index("list assignment index out of range".into())
        } else {
            OpError::Unsupported("stft of a scalar".into())
        });
    };
    if x.is_empty() || fft == 0 {
        return Err(OpError::Unsupported("stft of an empty signal".into()));
    }
    let pad = if center { fft / 2 } else { 0 };
    let len = n + 2 * pad;
    let win = window.padded(seq, fft)?;
    if len < fft {
        return Err(OpError::Value("window is longer than input signal".into()));
    }
    let frames = (len - fft) / stride + 1;
    let bins = fft / 2 + 1;
    let mut shape = batch.to_vec();
    shape.extend([frames, bins]);
    check_size(&shape)?;
    let flat: Vec<f32> = x.iter().copied().collect();
    let mut data = Vec::with_capacity(shape.iter().product::<usize>() / bins * fft);
    for lane in flat.chunks(n) {
        for f in 0..frames {
            data.extend((0..fft).map(|j| {
                let i = reflect(f * stride + j, pad, n);
                Complex64::new(f64::from(flush(lane[i] * win[j])), 0.0)
            }));
        }
    }
    let mut shape_full = shape.clone();
    if let Some(l) = shape_full.last_mut() {
        *l = fft;
    }
    let frames = Signal {
        shape: shape_full,
        data,
    };
    real_transform(&frames)?.into_pair()
}

/// `_overlap_and_add` of `frames` (each of length `seg`) with hop `step`,
/// summing in `float32` over the hop-shifted copies in JAX's order.
fn overlap_add(frames: &[Vec<f32>], seg: usize, step: usize) -> Vec<f32> {
    let count = frames.len();
    let size = step * (count.max(1) - 1) + seg;
    let copies = 1 + (seg.max(1) - 1) / step;
    (0..size)
        .map(|p| {
            (0..copies).fold(0.0f32, |acc, s| {
                let (frame, offset) = ((p / step).checked_sub(s), s * step + p % step);
                let v = match frame {
                    Some(f) if f < count && offset < seg => frames[f][offset],
                    _ => 0.0,
                };
                flush(acc + v)
            })
        })
        .collect()
}

/// `keras.ops.istft(x, sequence_length, sequence_stride, fft_length,
/// length=None, window="hann", center=True)`.
///
/// Keeps two quirks of Keras 3.15.1 on JAX: with `window=None` the result is
/// divided by `sequence_stride` instead of the window's sum (so it is scaled
/// by `fft_length / sequence_stride`), and a hop equal to `fft_length` makes
/// `noverlap` zero, which `jax.scipy.signal.istft` replaces by
/// `fft_length // 2`.
pub fn istft(call: &OpCall) -> OpResult<Value> {
    let params = [
        "x",
        "sequence_length",
        "sequence_stride",
        "fft_length",
        "length",
        "window",
        "center",
    ];
    let args = Args::bind(call, &params, 4)?;
    let stride = stride_arg(args.value(2))?;
    let s = Signal::from_pair(args.value(0))?;
    if s.shape.len() < 2 {
        return Err(OpError::Value(format!(
            "Input `x` must have at least 2 dimensions. Received shape: {}",
            shape_repr(&s.shape)
        )));
    }
    let (seq, fft) = (length_arg(args.value(1))?, length_arg(args.value(3))?);
    let length = args.get(4).map(length_arg).transpose()?;
    let window = Window::read(args.given(5));
    let center = center_arg(args.given(6))?;
    let win = window.padded(seq, fft)?;
    let rank = s.shape.len();
    let (frames, bins) = (s.shape[rank - 2], s.shape[rank - 1]);
    if fft == 0 || frames == 0 || s.data.is_empty() {
        return Err(OpError::Unsupported("istft of an empty input".into()));
    }
    let noverlap = fft as i64 - stride as i64;
    let noverlap = if noverlap == 0 {
        fft as i64 / 2
    } else {
        noverlap
    };
    let step = (fft as i64 - noverlap) as usize;
    let wsum = <f32 as Elem>::sum_of(win.iter().copied());
    let wsq: Vec<f32> = win.iter().map(|&w| flush(w * w)).collect();
    let norm = overlap_add(&vec![wsq; frames], fft, step);
    let half = Signal {
        shape: vec![s.data.len() / bins.max(1), bins],
        data: s.data,
    };
    let mut full = hermitian(&half, fft)?;
    full.transform_last(true);
    let divisor = if window.is_some() {
        wsum
    } else {
        stride as f32
    };
    let expected = fft + stride * (frames - 1);
    let out_len = step * (frames - 1) + fft;
    let start = if center { fft / 2 } else { 0 };
    let end = match length {
        Some(l) => (start + l) as i64,
        None if center => -((fft / 2) as i64),
        None => expected as i64,
    };
    let end = if end < 0 { end + out_len as i64 } else { end };
    let end = (end.max(0) as usize).min(out_len);
    let kept = end.saturating_sub(start.min(out_len));
    let mut data = Vec::new();
    for lane in full.data.chunks(frames * fft) {
        let windowed: Vec<Vec<f32>> = lane
            .chunks(fft)
            .map(|frame| {
                frame
                    .iter()
                    .zip(&win)
                    .map(|(z, &w)| flush(flush(flush(z.re as f32) * wsum) * w))
                    .collect()
            })
            .collect();
        let summed = overlap_add(&windowed, fft, step);
        data.extend(
            summed
                .iter()
                .zip(&norm)
                .skip(start)
                .take(kept)
                .map(|(&v, &nv)| {
                    let nv = if nv > 1e-10 { nv } else { 1.0 };
                    flush(flush(v / nv) / divisor)
                }),
        );
    }
    let mut shape = s.shape[..rank - 2].to_vec();
    shape.push(kept);
    float32_tensor(&shape, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflect_repeats_like_numpy() {
        let got: Vec<usize> = (0..11).map(|i| reflect(i, 4, 3)).collect();
        assert_eq!(got, vec![0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2]);
        assert_eq!(reflect(2, 3, 1), 0);
    }

    #[test]
    fn overlap_add_sums_hops() {
        let frames = vec![vec![1.0, 1.0, 1.0, 1.0]; 3];
        assert_eq!(
            overlap_add(&frames, 4, 2),
            vec![1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0]
        );
    }
}
