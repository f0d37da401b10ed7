//! The float formats random samples are drawn in, and arithmetic rounded to them.

use half::{bf16, f16};
use kconform_api::{DType, Tensor, TensorData};

use crate::error::{OpError, OpResult};

/// A float dtype JAX samples in (`float64` is narrowed to `float32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fl {
    /// `float32`.
    F32,
    /// `float16`.
    F16,
    /// `bfloat16`.
    Bf16,
}

impl Fl {
    /// The sampling format of a float dtype; `None` for non-float dtypes.
    pub fn of(d: DType) -> Option<Fl> {
        match d {
            DType::Float32 | DType::Float64 => Some(Fl::F32),
            DType::Float16 => Some(Fl::F16),
            DType::Bfloat16 => Some(Fl::Bf16),
            _ => None,
        }
    }

    /// Rounds an `f32` to this format (round to nearest even), kept as `f32`.
    pub fn round(self, x: f32) -> f32 {
        match self {
            Fl::F32 => x,
            Fl::F16 => f16::from_f32(x).to_f32(),
            Fl::Bf16 => bf16::from_f32(x).to_f32(),
        }
    }

    /// Rounds an `f64` (a Python float) to this format.
    pub fn round_f64(self, x: f64) -> f32 {
        match self {
            Fl::F32 => x as f32,
            Fl::F16 => f16::from_f64(x).to_f32(),
            Fl::Bf16 => bf16::from_f64(x).to_f32(),
        }
    }

    /// The largest value below `x` towards zero (`nextafter(x, 0)`) in this format.
    pub fn next_toward_zero(self, x: f32) -> f32 {
        match self {
            Fl::F32 => f32::from_bits(x.to_bits() - 1),
            Fl::F16 => f16::from_bits(f16::from_f32(x).to_bits() - 1).to_f32(),
            Fl::Bf16 => bf16::from_bits(bf16::from_f32(x).to_bits() - 1).to_f32(),
        }
    }

    /// A tensor of this format holding `values` (already representable).
    pub fn tensor(self, shape: Vec<usize>, values: Vec<f32>) -> OpResult<Tensor> {
        let data = match self {
            Fl::F32 => TensorData::Float32(values),
            Fl::F16 => TensorData::Float16(values.into_iter().map(f16::from_f32).collect()),
            Fl::Bf16 => TensorData::Bfloat16(values.into_iter().map(bf16::from_f32).collect()),
        };
        Tensor::new(shape, data).map_err(|e| OpError::Internal(e.to_string()))
    }
}
