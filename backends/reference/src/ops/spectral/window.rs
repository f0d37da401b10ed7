//! The windows of `stft`/`istft`: `scipy.signal.get_window(name, n)` for
//! `"hann"`/`"hamming"` (periodic), a given tensor, or none, zero-padded
//! centrally to `fft_length` as Keras's JAX backend pads them.

use std::f64::consts::PI;

use kconform_api::{DType, Value};

use crate::convert::to_array;
use crate::error::{check_size, shape_repr, OpError, OpResult};

/// A `window` argument.
#[derive(Clone, Debug)]
pub enum Window {
    /// `window=None`: ones over the whole `fft_length` (no zero padding).
    Ones,
    /// A window function name.
    Named(String),
    /// A window given as values.
    Values(Value),
}

impl Window {
    /// Reads the argument: absent means `"hann"`, an explicit `None` no window.
    pub fn read(given: Option<&Value>) -> Window {
        match given {
            None => Window::Named("hann".into()),
            Some(Value::None) => Window::Ones,
            Some(Value::Str(s)) => Window::Named(s.clone()),
            Some(v) => Window::Values(v.clone()),
        }
    }

    /// Whether Keras saw `window is not None`.
    pub fn is_some(&self) -> bool {
        !matches!(self, Window::Ones)
    }

    /// The `float32` window of length `fft_length`: the `sequence_length`
    /// window with `(fft_length - sequence_length) // 2` zeros before it.
    pub fn padded(&self, sequence_length: usize, fft_length: usize) -> OpResult<Vec<f32>> {
        check_size(&[fft_length.max(sequence_length)])?;
        let core = match self {
            Window::Ones => return Ok(vec![1.0; fft_length]),
            Window::Named(name) => scipy_window(name, sequence_length)?,
            Window::Values(v) => {
                let a = to_array(v)?.cast(DType::Float32);
                if a.ndim() != 1 || a.shape()[0] != sequence_length {
                    return Err(OpError::Value(format!(
                        "The shape of `window` must be equal to [sequence_length].Received: \
                         window shape={}",
                        shape_repr(a.shape())
                    )));
                }
                a.into_typed::<f32>().iter().copied().collect()
            }
        };
        let left = fft_length.saturating_sub(sequence_length) / 2;
        let mut out = vec![0.0; fft_length];
        for (o, w) in out.iter_mut().skip(left).zip(core) {
            *o = w;
        }
        Ok(out)
    }
}

/// `scipy.signal.get_window(name, n)` (periodic), rounded to `float32`:
/// `a0 + (1 - a0) * cos(fac)` with `fac = linspace(-pi, pi, n + 1)[:n]`,
/// evaluated as SciPy's `general_cosine` evaluates it.
fn scipy_window(name: &str, n: usize) -> OpResult<Vec<f32>> {
    let a0 = match name {
        "hann" => 0.5,
        "hamming" => 0.54,
        _ => {
            return Err(OpError::Value(format!(
                "Invalid window name '{name}' in parameter window='{name}'!"
            )))
        }
    };
    let a1 = 1.0 - a0;
    if n <= 1 {
        return Ok(vec![1.0; n]);
    }
    let step = (PI - -PI) / n as f64;
    Ok((0..n)
        .map(|i| {
            let fac = i as f64 * step + -PI;
            (a0 + a1 * fac.cos()) as f32
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periodic_hann() {
        let w = scipy_window("hann", 4).unwrap();
        assert_eq!(w, vec![0.0, 0.5, 1.0, 0.5]);
        let w = Window::Named("hann".into()).padded(2, 5).unwrap();
        assert_eq!(w, vec![0.0, 0.0, 1.0, 0.0, 0.0]);
    }
}
