//! A `SeedGenerator`'s state: two words `[seed, counter]` in the backend's
//! `random_seed_dtype()` (`uint32` on JAX and NumPy, `int32` on torch), and
//! the two ways `SeedGenerator.next` advances it.

use crate::dtype::DType;
use crate::error::BackendError;
use crate::python::py_str;
use crate::tensor::{Tensor, TensorData};
use crate::value::Value;

/// The dtype of seed state, which sets its arithmetic and its range checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedDtype {
    /// `uint32` (Keras on JAX, NumPy): wraps modulo 2**32.
    Uint32,
    /// `int32` (Keras on torch): wraps in two's complement; `%` is Python's.
    Int32,
}

impl SeedDtype {
    /// The Keras dtype.
    pub fn dtype(self) -> DType {
        match self {
            SeedDtype::Uint32 => DType::Uint32,
            SeedDtype::Int32 => DType::Int32,
        }
    }

    /// The initial state `[seed, 0]` of `SeedGenerator(seed)`, with the error
    /// Keras raises for a seed that is not an `int` or does not fit the dtype.
    pub fn initial(self, seed: &Value) -> Result<[u32; 2], BackendError> {
        let s = match seed {
            Value::Int(i) => *i,
            Value::Bool(b) => i64::from(*b),
            other => {
                return Err(BackendError::value_error(format!(
                    "Argument `seed` must be an integer. Received: seed={}",
                    py_str(other)
                )))
            }
        };
        match self {
            SeedDtype::Uint32 => u32::try_from(s).map(|w| [w, 0]).map_err(|_| {
                BackendError::raised(
                    "OverflowError",
                    format!("Python integer {s} out of bounds for uint32"),
                )
            }),
            SeedDtype::Int32 => i32::try_from(s).map(|w| [w as u32, 0]).map_err(|_| {
                BackendError::raised(
                    "RuntimeError",
                    "value cannot be converted to type int32 without overflow",
                )
            }),
        }
    }

    /// `next(ordered=True)`: `state + [0, 1]`.
    pub fn ordered(self, state: [u32; 2]) -> [u32; 2] {
        [state[0], state[1].wrapping_add(1)]
    }

    /// `next(ordered=False)`: `(state + 1) * 5387 % 933199`, elementwise, in
    /// the state's dtype.
    pub fn unordered(self, state: [u32; 2]) -> [u32; 2] {
        state.map(|w| match self {
            SeedDtype::Uint32 => w.wrapping_add(1).wrapping_mul(5387) % 933_199,
            SeedDtype::Int32 => {
                let x = (w as i32).wrapping_add(1).wrapping_mul(5387);
                x.rem_euclid(933_199) as u32
            }
        })
    }

    /// The state as the tensor Keras returns from `next()`.
    pub fn tensor(self, state: [u32; 2]) -> Tensor {
        let data = match self {
            SeedDtype::Uint32 => TensorData::Uint32(state.to_vec()),
            SeedDtype::Int32 => TensorData::Int32(state.map(|w| w as i32).to_vec()),
        };
        Tensor::new(vec![2], data).expect("two words make a [2] tensor")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advances_like_keras() {
        // Measured on Keras 3.15.1 (jax): SeedGenerator(1337) after two draws is
        // [1337, 2]; next(ordered=False) then leaves [675413, 16161].
        let u = SeedDtype::Uint32;
        assert_eq!(u.unordered([1337, 2]), [675_413, 16_161]);
        assert_eq!(u.unordered([u32::MAX, 1]), [0, 10_774]);
        assert_eq!(u.unordered([686_579_304, 0]), [365_660, 5387]);
        assert_eq!(u.ordered([7, u32::MAX]), [7, 0]);
        assert_eq!(SeedDtype::Int32.unordered([1337, 2]), [675_413, 16_161]);
        assert!(u.initial(&Value::Int(1 << 40)).is_err());
        assert!(SeedDtype::Int32
            .initial(&Value::Int(i64::from(u32::MAX)))
            .is_err());
        let e = u.initial(&Value::Float(1.5)).unwrap_err().to_string();
        assert!(e.contains("Received: seed=1.5"), "{e}");
    }
}
