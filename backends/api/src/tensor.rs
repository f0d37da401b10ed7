//! Host tensors: a shape plus a typed, row-major (C order) buffer.

use half::{bf16, f16};

use crate::dtype::DType;

/// Row-major element storage, one variant per [`DType`].
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)] // each variant is named after its dtype
pub enum TensorData {
    Bool(Vec<bool>),
    Int8(Vec<i8>),
    Int16(Vec<i16>),
    Int32(Vec<i32>),
    Int64(Vec<i64>),
    Uint8(Vec<u8>),
    Uint16(Vec<u16>),
    Uint32(Vec<u32>),
    Uint64(Vec<u64>),
    Float16(Vec<f16>),
    Bfloat16(Vec<bf16>),
    Float32(Vec<f32>),
    Float64(Vec<f64>),
}

/// Applies `$body` to the typed vector inside a [`TensorData`], binding it to `$v`.
#[macro_export]
macro_rules! with_data {
    ($data:expr, $v:ident => $body:expr) => {
        match $data {
            $crate::TensorData::Bool($v) => $body,
            $crate::TensorData::Int8($v) => $body,
            $crate::TensorData::Int16($v) => $body,
            $crate::TensorData::Int32($v) => $body,
            $crate::TensorData::Int64($v) => $body,
            $crate::TensorData::Uint8($v) => $body,
            $crate::TensorData::Uint16($v) => $body,
            $crate::TensorData::Uint32($v) => $body,
            $crate::TensorData::Uint64($v) => $body,
            $crate::TensorData::Float16($v) => $body,
            $crate::TensorData::Bfloat16($v) => $body,
            $crate::TensorData::Float32($v) => $body,
            $crate::TensorData::Float64($v) => $body,
        }
    };
}

impl TensorData {
    /// The dtype of the stored elements.
    pub fn dtype(&self) -> DType {
        match self {
            TensorData::Bool(_) => DType::Bool,
            TensorData::Int8(_) => DType::Int8,
            TensorData::Int16(_) => DType::Int16,
            TensorData::Int32(_) => DType::Int32,
            TensorData::Int64(_) => DType::Int64,
            TensorData::Uint8(_) => DType::Uint8,
            TensorData::Uint16(_) => DType::Uint16,
            TensorData::Uint32(_) => DType::Uint32,
            TensorData::Uint64(_) => DType::Uint64,
            TensorData::Float16(_) => DType::Float16,
            TensorData::Bfloat16(_) => DType::Bfloat16,
            TensorData::Float32(_) => DType::Float32,
            TensorData::Float64(_) => DType::Float64,
        }
    }

    /// Number of stored elements.
    pub fn len(&self) -> usize {
        with_data!(self, v => v.len())
    }

    /// True when no elements are stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One element read out of a tensor without loss.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    /// A `bool` element.
    Bool(bool),
    /// Any integer element (every int and uint dtype fits in `i128`).
    Int(i128),
    /// Any float element (every float dtype converts exactly to `f64`).
    Float(f64),
}

impl Scalar {
    /// The value as `f64` (integers above 2^53 round).
    pub fn as_f64(self) -> f64 {
        match self {
            Scalar::Bool(b) => f64::from(u8::from(b)),
            Scalar::Int(i) => i as f64,
            Scalar::Float(f) => f,
        }
    }
}

/// Errors building or converting tensors.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TensorError {
    /// The buffer length does not match the product of the shape.
    #[error("shape {shape:?} needs {expected} elements but {actual} were given")]
    LengthMismatch {
        /// The shape asked for.
        shape: Vec<usize>,
        /// Product of the shape.
        expected: usize,
        /// Elements given.
        actual: usize,
    },
    /// A value cannot be stored in the dtype without changing it.
    #[error("value {value} does not fit dtype {dtype}")]
    OutOfRange {
        /// The value, printed.
        value: String,
        /// The target dtype.
        dtype: DType,
    },
}

/// A host tensor: dtype, shape and row-major data.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    shape: Vec<usize>,
    data: TensorData,
}

impl Tensor {
    /// Builds a tensor, checking that the data fills the shape exactly.
    pub fn new(shape: Vec<usize>, data: TensorData) -> Result<Self, TensorError> {
        let expected: usize = shape.iter().product();
        if expected != data.len() {
            return Err(TensorError::LengthMismatch {
                shape,
                expected,
                actual: data.len(),
            });
        }
        Ok(Tensor { shape, data })
    }

    /// A 0-d tensor holding one `f32`.
    pub fn scalar_f32(v: f32) -> Self {
        Tensor {
            shape: vec![],
            data: TensorData::Float32(vec![v]),
        }
    }

    /// The element dtype.
    pub fn dtype(&self) -> DType {
        self.data.dtype()
    }

    /// The shape (empty for a 0-d tensor).
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// Number of dimensions.
    pub fn rank(&self) -> usize {
        self.shape.len()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// True when the tensor has no elements.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The typed storage.
    pub fn data(&self) -> &TensorData {
        &self.data
    }

    /// Consumes the tensor, returning shape and storage.
    pub fn into_parts(self) -> (Vec<usize>, TensorData) {
        (self.shape, self.data)
    }

    /// Reads element `i` (row-major) without loss.
    ///
    /// # Panics
    /// Panics when `i >= self.len()`; callers index within `len()`.
    pub fn scalar(&self, i: usize) -> Scalar {
        match &self.data {
            TensorData::Bool(v) => Scalar::Bool(v[i]),
            TensorData::Int8(v) => Scalar::Int(v[i].into()),
            TensorData::Int16(v) => Scalar::Int(v[i].into()),
            TensorData::Int32(v) => Scalar::Int(v[i].into()),
            TensorData::Int64(v) => Scalar::Int(v[i].into()),
            TensorData::Uint8(v) => Scalar::Int(v[i].into()),
            TensorData::Uint16(v) => Scalar::Int(v[i].into()),
            TensorData::Uint32(v) => Scalar::Int(v[i].into()),
            TensorData::Uint64(v) => Scalar::Int(v[i].into()),
            TensorData::Float16(v) => Scalar::Float(v[i].to_f64()),
            TensorData::Bfloat16(v) => Scalar::Float(v[i].to_f64()),
            TensorData::Float32(v) => Scalar::Float(v[i].into()),
            TensorData::Float64(v) => Scalar::Float(v[i]),
        }
    }

    /// All elements as `f64` (lossy only for integers above 2^53).
    pub fn to_f64_vec(&self) -> Vec<f64> {
        (0..self.len()).map(|i| self.scalar(i).as_f64()).collect()
    }

    /// Builds a tensor of `dtype` from exact scalars.
    ///
    /// Floats are rounded to nearest-even into narrower float dtypes (NaN, ±inf
    /// and -0.0 are kept). Integers and bools must be representable exactly:
    /// a float with a fraction, or an integer out of range, is an error rather
    /// than a silent wrap.
    pub fn from_scalars(
        dtype: DType,
        shape: Vec<usize>,
        values: &[Scalar],
    ) -> Result<Self, TensorError> {
        fn int_of(s: Scalar, dtype: DType) -> Result<i128, TensorError> {
            match s {
                Scalar::Bool(b) => Ok(i128::from(b)),
                Scalar::Int(i) => Ok(i),
                Scalar::Float(f) if f.fract() == 0.0 && f.is_finite() && f.abs() < 1e38 => {
                    Ok(f as i128)
                }
                Scalar::Float(f) => Err(TensorError::OutOfRange {
                    value: f.to_string(),
                    dtype,
                }),
            }
        }
        fn ints<T: TryFrom<i128>>(values: &[Scalar], dtype: DType) -> Result<Vec<T>, TensorError> {
            values
                .iter()
                .map(|&s| {
                    let i = int_of(s, dtype)?;
                    T::try_from(i).map_err(|_| TensorError::OutOfRange {
                        value: i.to_string(),
                        dtype,
                    })
                })
                .collect()
        }
        let floats = || values.iter().map(|s| s.as_f64());
        let data = match dtype {
            DType::Bool => TensorData::Bool(
                values
                    .iter()
                    .map(|&s| match s {
                        Scalar::Bool(b) => Ok(b),
                        Scalar::Int(0) => Ok(false),
                        Scalar::Int(1) => Ok(true),
                        other => Err(TensorError::OutOfRange {
                            value: format!("{other:?}"),
                            dtype,
                        }),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            DType::Int8 => TensorData::Int8(ints(values, dtype)?),
            DType::Int16 => TensorData::Int16(ints(values, dtype)?),
            DType::Int32 => TensorData::Int32(ints(values, dtype)?),
            DType::Int64 => TensorData::Int64(ints(values, dtype)?),
            DType::Uint8 => TensorData::Uint8(ints(values, dtype)?),
            DType::Uint16 => TensorData::Uint16(ints(values, dtype)?),
            DType::Uint32 => TensorData::Uint32(ints(values, dtype)?),
            DType::Uint64 => TensorData::Uint64(ints(values, dtype)?),
            DType::Float16 => {
                TensorData::Float16(floats().map(crate::round::f16_from_f64).collect())
            }
            DType::Bfloat16 => {
                TensorData::Bfloat16(floats().map(crate::round::bf16_from_f64).collect())
            }
            DType::Float32 => TensorData::Float32(floats().map(|f| f as f32).collect()),
            DType::Float64 => TensorData::Float64(floats().collect()),
        };
        Tensor::new(shape, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_checked() {
        let err = Tensor::new(vec![2, 3], TensorData::Float32(vec![0.0; 5])).unwrap_err();
        assert!(err.to_string().contains("needs 6 elements"));
    }

    #[test]
    fn from_scalars_keeps_specials_and_rejects_lossy_ints() {
        let t = Tensor::from_scalars(
            DType::Float16,
            vec![3],
            &[
                Scalar::Float(f64::NAN),
                Scalar::Float(-0.0),
                Scalar::Float(70000.0),
            ],
        )
        .unwrap();
        let v = t.to_f64_vec();
        assert!(v[0].is_nan());
        assert!(v[1] == 0.0 && v[1].is_sign_negative());
        assert!(v[2].is_infinite(), "70000 overflows float16");
        assert!(Tensor::from_scalars(DType::Int8, vec![1], &[Scalar::Int(300)]).is_err());
        assert!(Tensor::from_scalars(DType::Int32, vec![1], &[Scalar::Float(1.5)]).is_err());
        assert!(Tensor::from_scalars(DType::Uint8, vec![1], &[Scalar::Int(-1)]).is_err());
    }
}
