//! [`Array`]: a dynamically typed ndarray over the ten dtypes JAX holds, and
//! its conversions to and from the API's [`Tensor`].

use half::{bf16, f16};
use kconform_api::tensor::Scalar;
use kconform_api::{DType, Tensor, TensorData};
use ndarray::{ArrayD, IxDyn};

use crate::elem::Elem;
use crate::error::{OpError, OpResult};

/// An n-dimensional array of one of the dtypes JAX holds without x64
/// (64-bit dtypes are narrowed on the way in, as `jnp.asarray` does).
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)] // one variant per element type
pub enum Array {
    Bool(ArrayD<bool>),
    I8(ArrayD<i8>),
    I16(ArrayD<i16>),
    I32(ArrayD<i32>),
    U8(ArrayD<u8>),
    U16(ArrayD<u16>),
    U32(ArrayD<u32>),
    F16(ArrayD<f16>),
    Bf16(ArrayD<bf16>),
    F32(ArrayD<f32>),
}

/// Binds `$v` to the typed `ArrayD` inside an [`Array`] and evaluates `$body`
/// (generic code: each arm is typed separately).
macro_rules! with_array {
    ($arr:expr, $v:ident => $body:expr) => {
        match $arr {
            $crate::array::Array::Bool($v) => $body,
            $crate::array::Array::I8($v) => $body,
            $crate::array::Array::I16($v) => $body,
            $crate::array::Array::I32($v) => $body,
            $crate::array::Array::U8($v) => $body,
            $crate::array::Array::U16($v) => $body,
            $crate::array::Array::U32($v) => $body,
            $crate::array::Array::F16($v) => $body,
            $crate::array::Array::Bf16($v) => $body,
            $crate::array::Array::F32($v) => $body,
        }
    };
}
pub(crate) use with_array;

/// Binds the type alias `$t` to the element type of `$dtype` and evaluates
/// `$body`. 64-bit dtypes bind their 32-bit JAX counterparts.
macro_rules! with_dtype {
    ($dtype:expr, $t:ident => $body:expr) => {
        $crate::array::with_int_dtype!($dtype, $t => $body, _ => {
            $crate::array::with_float_dtype!($dtype, $t => $body, _ => {
                type $t = bool;
                $body
            })
        })
    };
}
pub(crate) use with_dtype;

/// Like [`with_dtype!`] for float dtypes only; any other dtype evaluates `$other`.
macro_rules! with_float_dtype {
    ($dtype:expr, $t:ident => $body:expr, _ => $other:expr) => {
        match $dtype {
            kconform_api::DType::Float16 => {
                type $t = half::f16;
                $body
            }
            kconform_api::DType::Bfloat16 => {
                type $t = half::bf16;
                $body
            }
            kconform_api::DType::Float32 | kconform_api::DType::Float64 => {
                type $t = f32;
                $body
            }
            _ => $other,
        }
    };
}
pub(crate) use with_float_dtype;

/// Like [`with_dtype!`] for integer dtypes only; any other dtype evaluates `$other`.
macro_rules! with_int_dtype {
    ($dtype:expr, $t:ident => $body:expr, _ => $other:expr) => {
        match $dtype {
            kconform_api::DType::Int8 => {
                type $t = i8;
                $body
            }
            kconform_api::DType::Int16 => {
                type $t = i16;
                $body
            }
            kconform_api::DType::Int32 | kconform_api::DType::Int64 => {
                type $t = i32;
                $body
            }
            kconform_api::DType::Uint8 => {
                type $t = u8;
                $body
            }
            kconform_api::DType::Uint16 => {
                type $t = u16;
                $body
            }
            kconform_api::DType::Uint32 | kconform_api::DType::Uint64 => {
                type $t = u32;
                $body
            }
            _ => $other,
        }
    };
}
pub(crate) use with_int_dtype;

/// Extracts the typed array of element type `T`, if `a` holds that type.
pub trait Unwrap: Elem {
    /// The typed array, or the untouched input when the type differs.
    fn unwrap(a: Array) -> Result<ArrayD<Self>, Array>;
}

macro_rules! impl_unwrap {
    ($t:ty, $variant:ident) => {
        impl Unwrap for $t {
            fn unwrap(a: Array) -> Result<ArrayD<Self>, Array> {
                match a {
                    Array::$variant(v) => Ok(v),
                    other => Err(other),
                }
            }
        }
    };
}
impl_unwrap!(bool, Bool);
impl_unwrap!(i8, I8);
impl_unwrap!(i16, I16);
impl_unwrap!(i32, I32);
impl_unwrap!(u8, U8);
impl_unwrap!(u16, U16);
impl_unwrap!(u32, U32);
impl_unwrap!(f16, F16);
impl_unwrap!(bf16, Bf16);
impl_unwrap!(f32, F32);

/// Builds a dynamic-rank array, reporting a length mismatch as an internal error.
pub fn from_vec<T>(shape: &[usize], data: Vec<T>) -> OpResult<ArrayD<T>> {
    crate::error::check_size(shape)?;
    ArrayD::from_shape_vec(IxDyn(shape), data).map_err(|e| OpError::Internal(e.to_string()))
}

/// Converts every element with XLA's `convert_element_type` semantics.
pub fn convert<S: Elem, D: Elem>(a: &ArrayD<S>) -> ArrayD<D> {
    a.mapv(|x| D::from_scalar(x.scalar()))
}

impl Array {
    /// The dtype (never a 64-bit one).
    pub fn dtype(&self) -> DType {
        fn dt<T: Elem>(_: &ArrayD<T>) -> DType {
            T::DTYPE
        }
        with_array!(self, a => dt(a))
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        with_array!(self, a => a.shape())
    }

    /// Number of dimensions.
    pub fn ndim(&self) -> usize {
        self.shape().len()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        with_array!(self, a => a.len())
    }

    /// True when the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Converts to `dtype` with XLA semantics (64-bit dtypes mean their
    /// 32-bit counterparts). Free when the dtype already matches.
    pub fn cast(self, dtype: DType) -> Array {
        with_dtype!(dtype, T => T::wrap(self.into_typed::<T>()))
    }

    /// The elements as `T`, converting with XLA semantics when needed.
    pub fn into_typed<T: Unwrap>(self) -> ArrayD<T> {
        match T::unwrap(self) {
            Ok(a) => a,
            Err(other) => with_array!(&other, a => convert::<_, T>(a)),
        }
    }

    /// The same elements (row-major) in a new shape of the same size.
    pub fn reshaped(self, shape: &[usize]) -> OpResult<Array> {
        fn go<T: Elem>(a: ArrayD<T>, shape: &[usize]) -> OpResult<Array> {
            let data = if a.is_standard_layout() {
                a.into_raw_vec_and_offset().0
            } else {
                a.iter().copied().collect()
            };
            Ok(T::wrap(from_vec(shape, data)?))
        }
        with_array!(self, a => go(a, shape))
    }

    /// The elements flattened to one dimension.
    pub fn ravel(self) -> OpResult<Array> {
        let n = self.len();
        self.reshaped(&[n])
    }

    /// Element `i` in row-major order, without loss.
    pub fn scalar_at(&self, i: usize) -> Option<Scalar> {
        with_array!(self, a => a.iter().nth(i).map(|x| x.scalar()))
    }

    /// All elements in row-major order, without loss.
    pub fn scalars(&self) -> Vec<Scalar> {
        with_array!(self, a => a.iter().map(|x| x.scalar()).collect())
    }

    /// The array `jnp.asarray` makes of a host tensor: 64-bit integers keep
    /// their low 32 bits, `float64` rounds to `float32`.
    pub fn from_tensor(t: &Tensor) -> OpResult<Array> {
        let s = t.shape();
        Ok(match t.data() {
            TensorData::Bool(v) => Array::Bool(from_vec(s, v.clone())?),
            TensorData::Int8(v) => Array::I8(from_vec(s, v.clone())?),
            TensorData::Int16(v) => Array::I16(from_vec(s, v.clone())?),
            TensorData::Int32(v) => Array::I32(from_vec(s, v.clone())?),
            TensorData::Int64(v) => Array::I32(from_vec(s, v.iter().map(|&x| x as i32).collect())?),
            TensorData::Uint8(v) => Array::U8(from_vec(s, v.clone())?),
            TensorData::Uint16(v) => Array::U16(from_vec(s, v.clone())?),
            TensorData::Uint32(v) => Array::U32(from_vec(s, v.clone())?),
            TensorData::Uint64(v) => {
                Array::U32(from_vec(s, v.iter().map(|&x| x as u32).collect())?)
            }
            TensorData::Float16(v) => Array::F16(from_vec(s, v.clone())?),
            TensorData::Bfloat16(v) => Array::Bf16(from_vec(s, v.clone())?),
            TensorData::Float32(v) => Array::F32(from_vec(s, v.clone())?),
            TensorData::Float64(v) => {
                Array::F32(from_vec(s, v.iter().map(|&x| x as f32).collect())?)
            }
        })
    }

    /// The host tensor holding this array (row-major).
    pub fn into_tensor(self) -> OpResult<Tensor> {
        let shape = self.shape().to_vec();
        fn flat<T: Clone>(a: ArrayD<T>) -> Vec<T> {
            if a.is_standard_layout() {
                a.into_raw_vec_and_offset().0
            } else {
                a.iter().cloned().collect()
            }
        }
        let data = match self {
            Array::Bool(a) => TensorData::Bool(flat(a)),
            Array::I8(a) => TensorData::Int8(flat(a)),
            Array::I16(a) => TensorData::Int16(flat(a)),
            Array::I32(a) => TensorData::Int32(flat(a)),
            Array::U8(a) => TensorData::Uint8(flat(a)),
            Array::U16(a) => TensorData::Uint16(flat(a)),
            Array::U32(a) => TensorData::Uint32(flat(a)),
            Array::F16(a) => TensorData::Float16(flat(a)),
            Array::Bf16(a) => TensorData::Bfloat16(flat(a)),
            Array::F32(a) => TensorData::Float32(flat(a)),
        };
        Tensor::new(shape, data).map_err(|e| OpError::Internal(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_tensor_narrows_64_bit_like_jax() {
        let t = Tensor::new(vec![2], TensorData::Int64(vec![1 << 40, -1])).unwrap();
        let a = Array::from_tensor(&t).unwrap();
        assert_eq!(a.dtype(), DType::Int32);
        assert_eq!(
            a.into_tensor().unwrap().data(),
            &TensorData::Int32(vec![0, -1])
        );
    }

    #[test]
    fn cast_round_trips_through_tensor() {
        let t = Tensor::new(vec![3], TensorData::Float32(vec![1.5, -2.0, 300.0])).unwrap();
        let a = Array::from_tensor(&t).unwrap().cast(DType::Int8);
        assert_eq!(
            a.into_tensor().unwrap().data(),
            &TensorData::Int8(vec![1, -2, 127])
        );
    }
}
