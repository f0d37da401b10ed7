//! Complex signals for the spectral kernels: Keras's `(real, imag)` input
//! pairs with their checks, FFTs along the innermost axes (computed in `f64`
//! with `rustfft` and rounded once to `float32`), and `(real, imag)` results.

use kconform_api::{DType, Value};
use ndarray::ArrayD;
use rustfft::num_complex::Complex64;
use rustfft::FftPlanner;

use crate::args::{py_repr, py_type_name};
use crate::array::{from_vec, Array};
use crate::convert::to_array;
use crate::elem::flush;
use crate::error::{check_size, shape_repr, OpError, OpResult};

/// A complex array in row-major order.
#[derive(Clone, Debug)]
pub struct Signal {
    /// The shape.
    pub shape: Vec<usize>,
    /// The elements.
    pub data: Vec<Complex64>,
}

/// What Keras raises when a plain array is passed where a `(real, imag)`
/// tuple is expected (`any_symbolic_tensors` tests the array's truth value).
fn not_a_pair(x: &Value) -> OpError {
    match x {
        Value::Tensor(t) if t.len() > 1 => OpError::Value(
            "The truth value of an array with more than one element is ambiguous. Use a.any() \
             or a.all()"
                .into(),
        ),
        _ => OpError::Value(format!(
            "Input `x` should be a tuple of two tensors - real and imaginary.Received: x={}",
            py_repr(x)
        )),
    }
}

/// The array of one part, which Keras reads through `.shape` and `.dtype`.
fn part(v: &Value) -> OpResult<Array> {
    match v {
        Value::Tensor(t) => Array::from_tensor(t),
        other => Err(OpError::Attribute(format!(
            "'{}' object has no attribute 'shape'",
            py_type_name(other)
        ))),
    }
}

impl Signal {
    /// `jax.lax.complex(real, imag)` of a Keras `(real, imag)` pair, with the
    /// JAX backend's checks in order: a tuple of two, equal shapes, float
    /// dtypes, then `float32`/`float64` only (`float64` is narrowed).
    pub fn from_pair(x: &Value) -> OpResult<Signal> {
        let (re, im) = match x {
            Value::Tuple(items) | Value::List(items) if items.len() == 2 => (&items[0], &items[1]),
            other => return Err(not_a_pair(other)),
        };
        let (re_a, im_a) = (part(re)?, part(im)?);
        if re_a.shape() != im_a.shape() {
            return Err(OpError::Value(format!(
                "Input `x` should be a tuple of two tensors - real and imaginary.Both the real \
                 and imaginary parts should have the same shape. Received: x[0].shape = {}, \
                 x[1].shape = {}",
                shape_repr(re_a.shape()),
                shape_repr(im_a.shape())
            )));
        }
        if !re_a.dtype().is_float() || !im_a.dtype().is_float() {
            return Err(OpError::Value(format!(
                "At least one tensor in input `x` is not of type float.Received: x={}.",
                py_repr(x)
            )));
        }
        for (pos, d) in [re_a.dtype(), im_a.dtype()].into_iter().enumerate() {
            if matches!(d, DType::Float16 | DType::Bfloat16) {
                return Err(OpError::Type(format!(
                    "complex does not accept dtype {d} at position {pos}. Accepted dtypes at \
                     position {pos} are subtypes of float32, float64."
                )));
            }
        }
        let (re, im) = (re_a.into_typed::<f32>(), im_a.into_typed::<f32>());
        let data = re
            .iter()
            .zip(im.iter())
            .map(|(&a, &b)| Complex64::new(f64::from(flush(a)), f64::from(flush(b))))
            .collect();
        Ok(Signal {
            shape: re.shape().to_vec(),
            data,
        })
    }

    /// A real `float32` array as a signal.
    pub fn from_real(a: &ArrayD<f32>) -> Signal {
        Signal {
            shape: a.shape().to_vec(),
            data: a
                .iter()
                .map(|&v| Complex64::new(f64::from(flush(v)), 0.0))
                .collect(),
        }
    }

    /// Checks that `axis` (negative) exists, as `jnp.moveaxis` does.
    pub fn require_axis(&self, axis: i64) -> OpResult<()> {
        if (self.shape.len() as i64) < -axis {
            return Err(OpError::Value(format!(
                "axis {axis} is out of bounds for array of dimension {}",
                self.shape.len()
            )));
        }
        Ok(())
    }

    /// Length of the last axis.
    pub fn last(&self) -> usize {
        self.shape.last().copied().unwrap_or(1)
    }

    /// The last axis cropped or zero-padded to `n`.
    pub fn resize_last(&self, n: usize) -> OpResult<Signal> {
        let m = self.last();
        let mut shape = self.shape.clone();
        if let Some(l) = shape.last_mut() {
            *l = n;
        }
        check_size(&shape)?;
        let zero = Complex64::new(0.0, 0.0);
        let data = if m == 0 {
            vec![zero; shape.iter().product()]
        } else {
            self.data
                .chunks(m)
                .flat_map(|lane| (0..n).map(move |i| lane.get(i).copied().unwrap_or(zero)))
                .collect()
        };
        Ok(Signal { shape, data })
    }

    /// The DFT of every lane along the last axis (the inverse one scaled by
    /// `1/n`, as `norm="backward"`).
    pub fn transform_last(&mut self, inverse: bool) {
        let n = self.last();
        transform_lanes(&mut self.data, n, inverse);
    }

    /// The 2-D DFT over the last two axes.
    pub fn transform_last_two(&mut self, inverse: bool) {
        let (m, n) = (self.shape[self.shape.len() - 2], self.last());
        if m == 0 || n == 0 {
            return;
        }
        transform_lanes(&mut self.data, n, inverse);
        let mut column = vec![Complex64::new(0.0, 0.0); m];
        for matrix in self.data.chunks_mut(m * n) {
            for j in 0..n {
                for (i, c) in column.iter_mut().enumerate() {
                    *c = matrix[i * n + j];
                }
                transform_lanes(&mut column, m, inverse);
                for (i, c) in column.iter().enumerate() {
                    matrix[i * n + j] = *c;
                }
            }
        }
    }

    /// The real and imaginary parts, each rounded once to `float32`.
    pub fn into_pair(self) -> OpResult<Value> {
        let re = self.data.iter().map(|z| flush(z.re as f32)).collect();
        let im = self.data.iter().map(|z| flush(z.im as f32)).collect();
        Ok(Value::Tuple(vec![
            float32_tensor(&self.shape, re)?,
            float32_tensor(&self.shape, im)?,
        ]))
    }
}

/// A `float32` tensor value.
pub fn float32_tensor(shape: &[usize], data: Vec<f32>) -> OpResult<Value> {
    Ok(Value::Tensor(
        Array::F32(from_vec(shape, data)?).into_tensor()?,
    ))
}

/// The DFT of every contiguous lane of length `n` in `data`, in place.
pub fn transform_lanes(data: &mut [Complex64], n: usize, inverse: bool) {
    if n == 0 || data.is_empty() {
        return;
    }
    let mut planner = FftPlanner::new();
    let plan = if inverse {
        planner.plan_fft_inverse(n)
    } else {
        planner.plan_fft_forward(n)
    };
    plan.process(data);
    if inverse {
        let scale = 1.0 / n as f64;
        data.iter_mut().for_each(|z| *z *= scale);
    }
}

/// A real input as JAX's FFTs take it: an array (not a list), with
/// integers and bools computed in `float32` and half floats refused.
pub fn real_input(v: &Value, jnp_name: &str) -> OpResult<Array> {
    if matches!(v, Value::List(_) | Value::Tuple(_)) {
        return Err(OpError::Type(format!(
            "jax.numpy.fft.{jnp_name} requires ndarray or scalar arguments, got <class '{}'> at \
             position 0.",
            py_type_name(v)
        )));
    }
    to_array(v)
}

/// `lax.fft`'s dtype check of a real transform's input.
pub fn require_rfft_dtype(a: &Array) -> OpResult<()> {
    if matches!(a.dtype(), DType::Float16 | DType::Bfloat16) {
        return Err(OpError::Value(format!(
            "RFFT input must be float32 or float64, got {}",
            a.dtype()
        )));
    }
    Ok(())
}

/// Hermitian extension of the first `n / 2 + 1` bins of every lane to `n`
/// bins, so that the real part of the inverse DFT is `irfft`'s result (the
/// imaginary parts of the zero and Nyquist bins drop out).
pub fn hermitian(half: &Signal, n: usize) -> OpResult<Signal> {
    let bins = n / 2 + 1;
    let half = half.resize_last(bins)?;
    let mut shape = half.shape.clone();
    if let Some(l) = shape.last_mut() {
        *l = n;
    }
    check_size(&shape)?;
    let mut data = Vec::with_capacity(shape.iter().product());
    for lane in half.data.chunks(bins.max(1)) {
        data.extend((0..n).map(|k| {
            if k < bins {
                lane[k]
            } else {
                lane[n - k].conj()
            }
        }));
    }
    Ok(Signal { shape, data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms_round_trip() {
        let mut s = Signal {
            shape: vec![2, 3],
            data: (0..6).map(|i| Complex64::new(i as f64, 1.0)).collect(),
        };
        let orig = s.data.clone();
        s.transform_last_two(false);
        assert!((s.data[0].re - 15.0).abs() < 1e-12);
        s.transform_last_two(true);
        for (a, b) in s.data.iter().zip(&orig) {
            assert!((a - b).norm() < 1e-12);
        }
    }
}
