//! Host tensors ([`kconform_api::Tensor`]) to and from `tch::Tensor`.
//!
//! Every kconform dtype converts losslessly. tch 0.24 has no unsigned kinds
//! above `uint8` (libtorch's `uint16/32/64` are "shell" dtypes it does not
//! expose), so wider unsigned tensors are held in the next signed kind, exactly
//! as Keras's torch backend holds them (`TORCH_DTYPES`): `uint16` in `int32`,
//! `uint32` in `int64`, and `uint64` in `int64` when every value fits (else
//! [`TorchError::Unrepresentable`]). [`from_tch_as`] narrows back.

use half::{bf16, f16};
use kconform_api::{DType, Tensor, TensorData};
use tch::{Device, Kind};

use crate::error::TorchError;

/// The tch kind a host tensor of `dtype` is held in.
pub fn storage_kind(dtype: DType) -> Kind {
    match dtype {
        DType::Bool => Kind::Bool,
        DType::Int8 => Kind::Int8,
        DType::Int16 => Kind::Int16,
        DType::Int32 | DType::Uint16 => Kind::Int,
        DType::Int64 | DType::Uint32 | DType::Uint64 => Kind::Int64,
        DType::Uint8 => Kind::Uint8,
        DType::Float16 => Kind::Half,
        DType::Bfloat16 => Kind::BFloat16,
        DType::Float32 => Kind::Float,
        DType::Float64 => Kind::Double,
    }
}

/// The kconform dtype of a tch kind (`None` for complex, quantized and float8 kinds).
pub fn dtype_of_kind(kind: Kind) -> Option<DType> {
    Some(match kind {
        Kind::Bool => DType::Bool,
        Kind::Uint8 => DType::Uint8,
        Kind::Int8 => DType::Int8,
        Kind::Int16 => DType::Int16,
        Kind::Int => DType::Int32,
        Kind::Int64 => DType::Int64,
        Kind::Half => DType::Float16,
        Kind::BFloat16 => DType::Bfloat16,
        Kind::Float => DType::Float32,
        Kind::Double => DType::Float64,
        _ => return None,
    })
}

fn bytes_of<T>(v: &[T]) -> &[u8] {
    // SAFETY: plain-old-data element types (ints, floats, bool, f16, bf16) with
    // no padding; the byte view covers exactly the slice.
    unsafe { std::slice::from_raw_parts(v.as_ptr().cast::<u8>(), std::mem::size_of_val(v)) }
}

fn widen<T: Copy, U: From<T>>(v: &[T]) -> Vec<U> {
    v.iter().map(|&x| U::from(x)).collect()
}

/// Copies a host tensor into a new tch tensor on `device`.
pub fn to_tch(t: &Tensor, device: Device) -> Result<tch::Tensor, TorchError> {
    let shape: Vec<i64> = t.shape().iter().map(|&d| d as i64).collect();
    let kind = storage_kind(t.dtype());
    let make = |bytes: &[u8]| tch::Tensor::f_from_data_size(bytes, &shape, kind);
    let host = match t.data() {
        TensorData::Bool(v) => make(bytes_of(v)),
        TensorData::Int8(v) => make(bytes_of(v)),
        TensorData::Int16(v) => make(bytes_of(v)),
        TensorData::Int32(v) => make(bytes_of(v)),
        TensorData::Int64(v) => make(bytes_of(v)),
        TensorData::Uint8(v) => make(bytes_of(v)),
        TensorData::Uint16(v) => make(bytes_of(&widen::<u16, i32>(v))),
        TensorData::Uint32(v) => make(bytes_of(&widen::<u32, i64>(v))),
        TensorData::Uint64(v) => {
            let narrowed: Result<Vec<i64>, _> = v
                .iter()
                .map(|&x| {
                    i64::try_from(x).map_err(|_| TorchError::Unrepresentable {
                        dtype: DType::Uint64,
                        value: x.to_string(),
                    })
                })
                .collect();
            make(bytes_of(&narrowed?))
        }
        TensorData::Float16(v) => make(bytes_of(v)),
        TensorData::Bfloat16(v) => make(bytes_of(v)),
        TensorData::Float32(v) => make(bytes_of(v)),
        TensorData::Float64(v) => make(bytes_of(v)),
    }?;
    if device == Device::Cpu {
        Ok(host)
    } else {
        Ok(host.f_to(device)?)
    }
}

fn read<T: tch::kind::Element + Default + Clone>(
    t: &tch::Tensor,
    n: usize,
) -> Result<Vec<T>, TorchError> {
    let mut v = vec![T::default(); n];
    t.f_copy_data(&mut v, n)?;
    Ok(v)
}

/// bfloat16 through raw bytes: tch 0.24 declares `half::bf16`'s `Element::KIND`
/// as `Half`, so `copy_data::<bf16>` refuses a BFloat16 tensor.
fn read_bf16(t: &tch::Tensor, n: usize) -> Result<Vec<bf16>, TorchError> {
    let mut bytes = vec![0u8; 2 * n];
    t.f_copy_data_u8(&mut bytes, n)?;
    Ok(bytes
        .chunks_exact(2)
        .map(|b| bf16::from_bits(u16::from_ne_bytes([b[0], b[1]])))
        .collect())
}

/// Copies a tch tensor (any device, any layout) into a host tensor of the matching dtype.
pub fn from_tch(t: &tch::Tensor) -> Result<Tensor, TorchError> {
    let kind = t.f_kind()?;
    let shape: Vec<usize> = t.size().iter().map(|&d| d as usize).collect();
    let n: usize = shape.iter().product();
    let data = match kind {
        Kind::Bool => TensorData::Bool(read::<bool>(t, n)?),
        Kind::Uint8 => TensorData::Uint8(read::<u8>(t, n)?),
        Kind::Int8 => TensorData::Int8(read::<i8>(t, n)?),
        Kind::Int16 => TensorData::Int16(read::<i16>(t, n)?),
        Kind::Int => TensorData::Int32(read::<i32>(t, n)?),
        Kind::Int64 => TensorData::Int64(read::<i64>(t, n)?),
        Kind::Half => TensorData::Float16(read::<f16>(t, n)?),
        Kind::BFloat16 => TensorData::Bfloat16(read_bf16(t, n)?),
        Kind::Float => TensorData::Float32(read::<f32>(t, n)?),
        Kind::Double => TensorData::Float64(read::<f64>(t, n)?),
        other => return Err(TorchError::UnsupportedKind(other)),
    };
    Tensor::new(shape, data).map_err(|e| TorchError::Conversion(e.to_string()))
}

fn narrow<T: Copy + ToString, U: TryFrom<T>>(v: &[T], dtype: DType) -> Result<Vec<U>, TorchError> {
    v.iter()
        .map(|&x| {
            U::try_from(x).map_err(|_| TorchError::Unrepresentable {
                dtype,
                value: x.to_string(),
            })
        })
        .collect()
}

/// Copies a tch tensor into a host tensor of `dtype`, undoing [`to_tch`]'s
/// widening of `uint16/32/64`. The tensor must be of `dtype`'s storage kind.
pub fn from_tch_as(t: &tch::Tensor, dtype: DType) -> Result<Tensor, TorchError> {
    let kind = t.f_kind()?;
    if kind != storage_kind(dtype) {
        return Err(TorchError::Conversion(format!(
            "a {kind:?} tensor cannot be read as {dtype}"
        )));
    }
    let host = from_tch(t)?;
    let (shape, data) = host.into_parts();
    let data = match (dtype, data) {
        (DType::Uint16, TensorData::Int32(v)) => TensorData::Uint16(narrow(&v, dtype)?),
        (DType::Uint32, TensorData::Int64(v)) => TensorData::Uint32(narrow(&v, dtype)?),
        (DType::Uint64, TensorData::Int64(v)) => TensorData::Uint64(narrow(&v, dtype)?),
        (_, data) => data,
    };
    Tensor::new(shape, data).map_err(|e| TorchError::Conversion(e.to_string()))
}
