//! `fft`, `fft2`, `ifft2`, `rfft` and `irfft`: `jnp.fft` with
//! `norm="backward"` on `(real, imag)` pairs (Keras's JAX backend).

use kconform_api::{OpCall, Value};

use rustfft::num_complex::Complex64;

use super::signal::{
    float32_tensor, hermitian, real_input, require_rfft_dtype, transform_lanes, Signal,
};
use crate::args::{index, Args};
use crate::elem::flush;
use crate::error::{OpError, OpResult};

/// An optional `fft_length`, read by `operator.index` and required positive.
fn fft_length(v: Option<&Value>) -> OpResult<Option<usize>> {
    match v {
        None => Ok(None),
        Some(v) => {
            let n = index(v)?;
            if n <= 0 {
                return Err(OpError::Value("Shape should be positive.".into()));
            }
            Ok(Some(n as usize))
        }
    }
}

/// A complex transform of the pair argument `x` over the last `axes` axes.
fn complex_transform(call: &OpCall, axes: usize, inverse: bool) -> OpResult<Value> {
    let args = Args::bind(call, &["x"], 1)?;
    let mut s = Signal::from_pair(args.value(0))?;
    s.require_axis(-(axes as i64))?;
    if axes == 1 {
        s.transform_last(inverse);
    } else {
        s.transform_last_two(inverse);
    }
    s.into_pair()
}

/// `keras.ops.fft(x)`: the DFT along the last axis.
pub fn fft(call: &OpCall) -> OpResult<Value> {
    complex_transform(call, 1, false)
}

/// `keras.ops.fft2(x)`: the 2-D DFT over the last two axes.
pub fn fft2(call: &OpCall) -> OpResult<Value> {
    complex_transform(call, 2, false)
}

/// `keras.ops.ifft2(x)`: the inverse 2-D DFT over the last two axes.
pub fn ifft2(call: &OpCall) -> OpResult<Value> {
    complex_transform(call, 2, true)
}

/// `keras.ops.rfft(x, fft_length=None)`: the `n // 2 + 1` non-negative
/// frequencies of the DFT of `x` cropped or zero-padded to `n`.
pub fn rfft(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "fft_length"], 1)?;
    let x = real_input(args.value(0), "rfft")?;
    let n = fft_length(args.get(1))?;
    if x.ndim() == 0 {
        return Err(OpError::Value(
            "axis -1 is out of bounds for array of dimension 0".into(),
        ));
    }
    require_rfft_dtype(&x)?;
    let s = Signal::from_real(&x.into_typed());
    let n = n.unwrap_or_else(|| s.last());
    if n == 0 {
        return Err(OpError::Unsupported(
            "rfft of an empty axis (XLA fails to lower it)".into(),
        ));
    }
    let full = s.resize_last(n)?;
    real_transform(&full)?.into_pair()
}

/// The first `n / 2 + 1` bins of the DFT of every real lane (imaginary parts
/// zero) of length `n`. An even length is transformed as XLA's real FFT
/// does: the half-length complex DFT of `x[2m] + i x[2m+1]`, then split with
/// plain complex products, so a NaN anywhere reaches every bin.
pub fn real_transform(x: &Signal) -> OpResult<Signal> {
    let n = x.last();
    let bins = n / 2 + 1;
    if n % 2 == 1 {
        let mut full = x.clone();
        full.transform_last(false);
        return full.resize_last(bins);
    }
    let h = n / 2;
    let mut packed: Vec<Complex64> = x
        .data
        .chunks(2)
        .map(|p| Complex64::new(p[0].re, p[1].re))
        .collect();
    transform_lanes(&mut packed, h, false);
    let mut shape = x.shape.clone();
    if let Some(l) = shape.last_mut() {
        *l = bins;
    }
    let mut data = Vec::with_capacity(shape.iter().product());
    for z in packed.chunks(h) {
        data.extend((0..bins).map(|k| {
            let a = z[k % h];
            let b = z[(h - k % h) % h].conj();
            let angle = -std::f64::consts::PI * k as f64 / h as f64;
            let w = Complex64::new(angle.cos(), angle.sin());
            let rot = Complex64::new(0.0, -0.5) * w;
            (a + b) * 0.5 + rot * (a - b)
        }));
    }
    Ok(Signal { shape, data })
}

/// `keras.ops.irfft(x, fft_length=None)`: the real signal of length `n`
/// (default `2 * (bins - 1)`) whose DFT's first bins are `x`.
pub fn irfft(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "fft_length"], 1)?;
    let s = Signal::from_pair(args.value(0))?;
    let n = fft_length(args.get(1))?;
    s.require_axis(-1)?;
    let n = n.unwrap_or_else(|| 2 * s.last().saturating_sub(1));
    let mut full = hermitian(&s, n)?;
    full.transform_last(true);
    let re = full.data.iter().map(|z| flush(z.re as f32)).collect();
    float32_tensor(&full.shape, re)
}
