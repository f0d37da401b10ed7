//! `keras.ops.cast` / `convert_to_tensor(x, dtype)` on host arrays.
//!
//! Keras-JAX hands a NumPy input with a dtype to `jnp.asarray(x, dtype)`,
//! which casts with NumPy (`np.asarray(x, dtype)`), not XLA: the source is the
//! original 64-bit data, and float → integer conversion of NaN or
//! out-of-range values follows the x86-64 instructions NumPy compiles to
//! (`cvttss2si`: NaN and overflow give `INT32_MIN`, then the low bits are kept).
//! These out-of-range results are platform-specific; they are reproduced as
//! measured on x86-64 with NumPy 2.4.6.

use kconform_api::tensor::Scalar;
use kconform_api::{DType, Tensor};

use crate::array::{from_vec, with_dtype, Array};
use crate::elem::Elem;
use crate::error::OpResult;

/// `cvttsd2si` to 32 bits: truncation, or `INT32_MIN` for NaN and overflow.
fn cvtt_i32(f: f64) -> i32 {
    if f > -2_147_483_649.0 && f < 2_147_483_648.0 {
        f.trunc() as i32
    } else {
        i32::MIN
    }
}

/// One element cast from `src` into `T` as NumPy does on x86-64.
fn np_elem<T: Elem>(s: Scalar, src: DType) -> T {
    let Scalar::Float(f) = s else {
        return T::from_scalar(s);
    };
    match T::DTYPE {
        DType::Uint32 if src == DType::Float16 => {
            // Widened to a 64-bit integer: non-finite values give 0.
            let v = if f.is_finite() { f.trunc() as i64 } else { 0 };
            T::from_scalar(Scalar::Int(i128::from(v as u32)))
        }
        DType::Uint32 => {
            const TWO31: f64 = 2_147_483_648.0;
            let v = if f >= TWO31 {
                (cvtt_i32(f - TWO31) as u32) ^ 0x8000_0000
            } else {
                cvtt_i32(f) as u32
            };
            T::from_scalar(Scalar::Int(v.into()))
        }
        d if d.is_integer() => T::from_scalar(Scalar::Int(cvtt_i32(f).into())),
        _ => T::from_scalar(s),
    }
}

/// `np.asarray(t, dtype)` (64-bit dtypes are read as their 32-bit JAX
/// counterparts, as JAX canonicalizes the requested dtype first).
pub fn numpy_cast(t: &Tensor, dtype: DType) -> OpResult<Array> {
    let src = t.dtype();
    with_dtype!(dtype, T => {
        let data: Vec<T> = (0..t.len()).map(|i| np_elem::<T>(t.scalar(i), src)).collect();
        Ok(T::wrap(from_vec(t.shape(), data)?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kconform_api::TensorData;

    fn cast(v: Vec<f32>, to: DType) -> Vec<Scalar> {
        let t = Tensor::new(vec![v.len()], TensorData::Float32(v)).unwrap();
        numpy_cast(&t, to).unwrap().scalars()
    }

    #[test]
    fn float_to_int_follows_numpy_on_x86() {
        // Keras 3.15.1 (numpy input): cast(float32 [300.7, -1.5, nan, inf], "uint8")
        // -> [44, 255, 0, 0]
        let got = cast(vec![300.7, -1.5, f32::NAN, f32::INFINITY], DType::Uint8);
        assert_eq!(got, [44, 255, 0, 0].map(Scalar::Int));
        // cast(float32 [nan, 3e9, -1.5], "uint32") -> [2147483648, 3000000000, 4294967295]
        let got = cast(vec![f32::NAN, 3e9, -1.5], DType::Uint32);
        assert_eq!(got, [2147483648, 3000000000, 4294967295].map(Scalar::Int));
    }
}
