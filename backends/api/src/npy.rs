//! `.npy` encoding of [`Tensor`]s, for goldens, input files and the wire protocol.
//!
//! NumPy has no `bfloat16`: a `bfloat16` tensor is stored as its raw bits in a
//! `<u2` array, and the reader is told the dtype separately (`declared`).

use std::io::Cursor;

use half::{bf16, f16};
use npyz::{TypeChar, WriterBuilder};

use crate::dtype::DType;
use crate::tensor::{Tensor, TensorData};

/// Errors reading or writing `.npy` data.
#[derive(Debug, thiserror::Error)]
pub enum NpyError {
    /// The bytes are not a readable `.npy` file.
    #[error("not a valid .npy file: {0}")]
    Malformed(String),
    /// The `.npy` element type has no Keras dtype.
    #[error("unsupported .npy element type `{0}`")]
    UnsupportedType(String),
    /// The file is Fortran-ordered; kconform reads C order only.
    #[error(".npy file is Fortran-ordered; save it with np.ascontiguousarray(...)")]
    FortranOrder,
    /// The stored type does not match the dtype the caller declared.
    #[error(".npy holds `{stored}` but the dtype declared for it is {declared}")]
    DeclaredMismatch {
        /// The `.npy` type string.
        stored: String,
        /// The dtype the caller expected.
        declared: DType,
    },
}

fn malformed(e: impl std::fmt::Display) -> NpyError {
    NpyError::Malformed(e.to_string())
}

/// Encodes a tensor as `.npy` bytes (little-endian, C order).
pub fn encode(t: &Tensor) -> Vec<u8> {
    fn write<T: npyz::Serialize + npyz::AutoSerialize + Copy>(shape: &[u64], v: &[T]) -> Vec<u8> {
        let mut buf = Vec::new();
        {
            let mut w = npyz::WriteOptions::new()
                .default_dtype()
                .shape(shape)
                .writer(&mut buf)
                .begin_nd()
                .expect("writing to a Vec cannot fail");
            w.extend(v.iter().copied())
                .expect("writing to a Vec cannot fail");
            w.finish().expect("writing to a Vec cannot fail");
        }
        buf
    }
    let shape: Vec<u64> = t.shape().iter().map(|&d| d as u64).collect();
    match t.data() {
        TensorData::Bool(v) => write(&shape, v),
        TensorData::Int8(v) => write(&shape, v),
        TensorData::Int16(v) => write(&shape, v),
        TensorData::Int32(v) => write(&shape, v),
        TensorData::Int64(v) => write(&shape, v),
        TensorData::Uint8(v) => write(&shape, v),
        TensorData::Uint16(v) => write(&shape, v),
        TensorData::Uint32(v) => write(&shape, v),
        TensorData::Uint64(v) => write(&shape, v),
        TensorData::Float16(v) => write(&shape, v),
        TensorData::Bfloat16(v) => {
            write(&shape, &v.iter().map(|x| x.to_bits()).collect::<Vec<u16>>())
        }
        TensorData::Float32(v) => write(&shape, v),
        TensorData::Float64(v) => write(&shape, v),
    }
}

/// The dtype a `.npy` file stores when nothing else is declared.
fn stored_dtype(ty: &npyz::TypeStr) -> Result<DType, NpyError> {
    let d = match (ty.type_char(), ty.size_field()) {
        (TypeChar::Bool, 1) => DType::Bool,
        (TypeChar::Int, 1) => DType::Int8,
        (TypeChar::Int, 2) => DType::Int16,
        (TypeChar::Int, 4) => DType::Int32,
        (TypeChar::Int, 8) => DType::Int64,
        (TypeChar::Uint, 1) => DType::Uint8,
        (TypeChar::Uint, 2) => DType::Uint16,
        (TypeChar::Uint, 4) => DType::Uint32,
        (TypeChar::Uint, 8) => DType::Uint64,
        (TypeChar::Float, 2) => DType::Float16,
        (TypeChar::Float, 4) => DType::Float32,
        (TypeChar::Float, 8) => DType::Float64,
        _ => return Err(NpyError::UnsupportedType(ty.to_string())),
    };
    Ok(d)
}

/// Decodes `.npy` bytes. `declared` is the dtype the caller knows the data to
/// have; it is required for `bfloat16` (stored as `<u2` bits) and otherwise
/// checked against the file.
pub fn decode(bytes: &[u8], declared: Option<DType>) -> Result<Tensor, NpyError> {
    let file = npyz::NpyFile::new(Cursor::new(bytes)).map_err(malformed)?;
    if file.order() == npyz::Order::Fortran && file.shape().len() > 1 {
        return Err(NpyError::FortranOrder);
    }
    let ty = match file.dtype() {
        npyz::DType::Plain(ty) => ty,
        other => return Err(NpyError::UnsupportedType(other.descr())),
    };
    let stored = stored_dtype(&ty)?;
    let dtype = match declared {
        None => stored,
        Some(DType::Bfloat16) if stored == DType::Uint16 => DType::Bfloat16,
        Some(d) if d == stored => d,
        Some(d) => {
            return Err(NpyError::DeclaredMismatch {
                stored: ty.to_string(),
                declared: d,
            })
        }
    };
    let shape: Vec<usize> = file.shape().iter().map(|&d| d as usize).collect();
    let data = match dtype {
        DType::Bool => TensorData::Bool(file.into_vec().map_err(malformed)?),
        DType::Int8 => TensorData::Int8(file.into_vec().map_err(malformed)?),
        DType::Int16 => TensorData::Int16(file.into_vec().map_err(malformed)?),
        DType::Int32 => TensorData::Int32(file.into_vec().map_err(malformed)?),
        DType::Int64 => TensorData::Int64(file.into_vec().map_err(malformed)?),
        DType::Uint8 => TensorData::Uint8(file.into_vec().map_err(malformed)?),
        DType::Uint16 => TensorData::Uint16(file.into_vec().map_err(malformed)?),
        DType::Uint32 => TensorData::Uint32(file.into_vec().map_err(malformed)?),
        DType::Uint64 => TensorData::Uint64(file.into_vec().map_err(malformed)?),
        DType::Float16 => TensorData::Float16(file.into_vec::<f16>().map_err(malformed)?),
        DType::Bfloat16 => TensorData::Bfloat16(
            file.into_vec::<u16>()
                .map_err(malformed)?
                .into_iter()
                .map(bf16::from_bits)
                .collect(),
        ),
        DType::Float32 => TensorData::Float32(file.into_vec().map_err(malformed)?),
        DType::Float64 => TensorData::Float64(file.into_vec().map_err(malformed)?),
    };
    Tensor::new(shape, data).map_err(malformed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::Scalar;

    #[test]
    fn round_trips_every_dtype() {
        for d in DType::ALL {
            let vals: Vec<Scalar> = (0..6)
                .map(|i| match d {
                    DType::Bool => Scalar::Bool(i % 2 == 0),
                    d if d.is_float() => Scalar::Float(i as f64 - 2.5),
                    _ => Scalar::Int(i),
                })
                .collect();
            let t = Tensor::from_scalars(d, vec![2, 3], &vals).unwrap();
            let back = decode(&encode(&t), Some(d)).unwrap();
            assert_eq!(back, t, "{d}");
        }
    }

    #[test]
    fn rejects_garbage_and_mismatch() {
        assert!(matches!(
            decode(b"not npy", None),
            Err(NpyError::Malformed(_))
        ));
        let t = Tensor::scalar_f32(1.0);
        assert!(matches!(
            decode(&encode(&t), Some(DType::Int32)),
            Err(NpyError::DeclaredMismatch { .. })
        ));
    }
}
