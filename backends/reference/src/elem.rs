//! Element types and their per-element semantics as XLA:CPU (JAX's default
//! device) computes them.
//!
//! JAX keeps no 64-bit types by default, so ten element types exist here.
//! Float arithmetic runs in `f32` (half types are widened, as XLA:CPU does)
//! with denormals flushed to zero on input and output (XLA:CPU sets FTZ/DAZ).
//! `float16` values never become `f32` denormals, so flushing only changes
//! `float32` and `bfloat16`.

use std::fmt::Debug;

use half::{bf16, f16};
use kconform_api::tensor::Scalar;
use kconform_api::DType;
use ndarray::ArrayD;

use crate::array::Array;

/// Flushes an `f32` denormal to a zero of the same sign (XLA:CPU's DAZ/FTZ).
#[inline]
pub fn flush(v: f32) -> f32 {
    // A zero exponent field is a zero or a denormal: keep only the sign.
    if v.to_bits() & 0x7f80_0000 == 0 {
        f32::from_bits(v.to_bits() & 0x8000_0000)
    } else {
        v
    }
}

pub use kconform_api::round::f16_from_f64;

/// The longest float sum XLA:CPU was measured to add strictly in order.
pub const SEQUENTIAL_SUM_MAX: usize = 32;

/// `max` as XLA computes it: NaN wins, and `+0.0` is above `-0.0`.
#[inline]
fn fmax(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if a == b {
        if a.is_sign_positive() {
            a
        } else {
            b
        }
    } else if a > b {
        a
    } else {
        b
    }
}

/// `min` as XLA computes it: NaN wins, and `-0.0` is below `+0.0`.
#[inline]
fn fmin(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if a == b {
        if a.is_sign_negative() {
            a
        } else {
            b
        }
    } else if a < b {
        a
    } else {
        b
    }
}

/// An element type JAX can hold, with XLA's per-element semantics.
pub trait Elem: Copy + Default + PartialEq + Debug + Send + Sync + 'static {
    /// The Keras dtype of this element type.
    const DTYPE: DType;
    /// Wraps a typed array into [`Array`].
    fn wrap(a: ArrayD<Self>) -> Array;
    /// The value, without loss.
    fn scalar(self) -> Scalar;
    /// Converts a value as XLA's `convert_element_type` does: integers wrap,
    /// floats truncate and saturate into integers (NaN to 0), integers reach
    /// half floats through `f32`, anything nonzero is `true`.
    fn from_scalar(s: Scalar) -> Self;
    /// `self != 0` as XLA's conversion to `bool` computes it (an `f32`
    /// denormal counts as zero).
    fn truthy(self) -> bool;
    /// Addition (wrapping for integers, `or` for bool).
    fn add(self, o: Self) -> Self;
    /// Subtraction (wrapping; bool never reaches it).
    fn sub(self, o: Self) -> Self;
    /// Multiplication (wrapping for integers, `and` for bool).
    fn mul(self, o: Self) -> Self;
    /// Maximum (NaN-propagating; `+0.0 > -0.0`).
    fn xla_max(self, o: Self) -> Self;
    /// Minimum (NaN-propagating; `-0.0 < +0.0`).
    fn xla_min(self, o: Self) -> Self;
    /// Absolute value (integers wrap: `abs(-128) == -128` in `int8`; floats
    /// clear the sign bit and keep denormals).
    fn abs(self) -> Self;
    /// The sum of `items`: integers wrap, bools `or`; floats add in `f32`
    /// in order (as XLA:CPU does for up to [`SEQUENTIAL_SUM_MAX`] terms) or,
    /// for longer sums, whose vectorized XLA order is not reproduced,
    /// accumulate exactly in `f64` and round once.
    fn sum_of(items: impl ExactSizeIterator<Item = Self>) -> Self;
    /// The accumulator of a dot product (`f32` for floats, else `Self`).
    type Acc: Copy;
    /// An empty accumulator.
    fn acc_zero() -> Self::Acc;
    /// `acc + a * b` as XLA's `dot` computes it: integers wrap, bools
    /// `or`/`and`, floats fuse the multiply-add in `f32`.
    fn acc_fma(acc: Self::Acc, a: Self, b: Self) -> Self::Acc;
    /// The accumulated value in this type.
    fn acc_finish(acc: Self::Acc) -> Self;
    /// The value `jnp.take` fills out-of-range positions with.
    fn fill() -> Self;
    /// Zero.
    fn zero() -> Self;
    /// One.
    fn one() -> Self;
}

/// A floating-point element type, computed through `f32` as XLA:CPU does.
pub trait FloatElem: Elem {
    /// Widens to `f32`, flushing denormals.
    fn load(self) -> f32;
    /// Rounds an `f32` result into this type, flushing denormals first.
    fn store(v: f32) -> Self;
    /// Rounds an exactly computed `f64` result: first to `f32`, as XLA's
    /// `f32` computation would, then into this type.
    fn store64(v: f64) -> Self {
        Self::store(v as f32)
    }
}

/// An integer element type.
pub trait IntElem: Elem {
    /// The value as `i64` (every 8- to 32-bit integer fits).
    fn to_i64(self) -> i64;
}

macro_rules! impl_int {
    ($t:ty, $dtype:ident, $variant:ident, $fill:expr) => {
        impl Elem for $t {
            const DTYPE: DType = DType::$dtype;
            fn wrap(a: ArrayD<Self>) -> Array {
                Array::$variant(a)
            }
            fn scalar(self) -> Scalar {
                Scalar::Int(self.into())
            }
            fn from_scalar(s: Scalar) -> Self {
                match s {
                    Scalar::Bool(b) => Self::from(b),
                    Scalar::Int(i) => i as $t,
                    // Rust's float-to-int `as` truncates, saturates and maps NaN to 0.
                    Scalar::Float(f) => f as $t,
                }
            }
            fn truthy(self) -> bool {
                self != 0
            }
            fn add(self, o: Self) -> Self {
                self.wrapping_add(o)
            }
            fn sub(self, o: Self) -> Self {
                self.wrapping_sub(o)
            }
            fn mul(self, o: Self) -> Self {
                self.wrapping_mul(o)
            }
            fn xla_max(self, o: Self) -> Self {
                Ord::max(self, o)
            }
            fn xla_min(self, o: Self) -> Self {
                Ord::min(self, o)
            }
            fn abs(self) -> Self {
                #[allow(unused_comparisons)]
                if self < 0 {
                    (0 as $t).wrapping_sub(self)
                } else {
                    self
                }
            }
            fn sum_of(items: impl ExactSizeIterator<Item = Self>) -> Self {
                items.fold(0, <$t>::wrapping_add)
            }
            type Acc = Self;
            fn acc_zero() -> Self {
                0
            }
            fn acc_fma(acc: Self, a: Self, b: Self) -> Self {
                acc.wrapping_add(a.wrapping_mul(b))
            }
            fn acc_finish(acc: Self) -> Self {
                acc
            }
            fn fill() -> Self {
                $fill
            }
            fn zero() -> Self {
                0
            }
            fn one() -> Self {
                1
            }
        }
        impl IntElem for $t {
            fn to_i64(self) -> i64 {
                self.into()
            }
        }
    };
}

impl_int!(i8, Int8, I8, i8::MIN);
impl_int!(i16, Int16, I16, i16::MIN);
impl_int!(i32, Int32, I32, i32::MIN);
impl_int!(u8, Uint8, U8, u8::MAX);
impl_int!(u16, Uint16, U16, u16::MAX);
impl_int!(u32, Uint32, U32, u32::MAX);

macro_rules! impl_float {
    ($t:ty, $dtype:ident, $variant:ident, $to32:expr, $from32:expr, $from64:expr) => {
        impl Elem for $t {
            const DTYPE: DType = DType::$dtype;
            fn wrap(a: ArrayD<Self>) -> Array {
                Array::$variant(a)
            }
            fn scalar(self) -> Scalar {
                Scalar::Float(f64::from($to32(self)))
            }
            fn from_scalar(s: Scalar) -> Self {
                match s {
                    Scalar::Bool(b) => $from32(f32::from(u8::from(b))),
                    Scalar::Int(i) => $from32(i as f32),
                    Scalar::Float(f) => $from64(f),
                }
            }
            fn truthy(self) -> bool {
                // Only `f32` sources see DAZ here; a `bfloat16` denormal is `true`.
                if Self::DTYPE == DType::Float32 {
                    self.load() != 0.0
                } else {
                    $to32(self) != 0.0
                }
            }
            fn add(self, o: Self) -> Self {
                Self::store(self.load() + o.load())
            }
            fn sub(self, o: Self) -> Self {
                Self::store(self.load() - o.load())
            }
            fn mul(self, o: Self) -> Self {
                Self::store(self.load() * o.load())
            }
            fn xla_max(self, o: Self) -> Self {
                Self::store(fmax(self.load(), o.load()))
            }
            fn xla_min(self, o: Self) -> Self {
                Self::store(fmin(self.load(), o.load()))
            }
            fn abs(self) -> Self {
                $from32($to32(self).abs())
            }
            fn sum_of(items: impl ExactSizeIterator<Item = Self>) -> Self {
                if items.len() <= SEQUENTIAL_SUM_MAX {
                    Self::store(items.fold(0.0f32, |acc, x| flush(acc + x.load())))
                } else {
                    Self::store64(items.fold(0.0f64, |acc, x| acc + f64::from(x.load())))
                }
            }
            type Acc = f32;
            fn acc_zero() -> f32 {
                0.0
            }
            fn acc_fma(acc: f32, a: Self, b: Self) -> f32 {
                // The `f32` product is exact in `f64`, so the `f64` sum rounded
                // to `f32` is the fused result (barring a double-rounding tie).
                flush((f64::from(a.load()) * f64::from(b.load()) + f64::from(acc)) as f32)
            }
            fn acc_finish(acc: f32) -> Self {
                Self::store(acc)
            }
            fn fill() -> Self {
                $from32(f32::NAN)
            }
            fn zero() -> Self {
                $from32(0.0)
            }
            fn one() -> Self {
                $from32(1.0)
            }
        }
        impl FloatElem for $t {
            fn load(self) -> f32 {
                flush($to32(self))
            }
            fn store(v: f32) -> Self {
                $from32(flush(v))
            }
        }
    };
}

impl_float!(f32, Float32, F32, |x: f32| x, |x: f32| x, |x: f64| x as f32);
impl_float!(f16, Float16, F16, f16::to_f32, f16::from_f32, f16_from_f64);
// `ml_dtypes` (and XLA, whose `f64` never reaches here) round through `f32`.
impl_float!(
    bf16,
    Bfloat16,
    Bf16,
    bf16::to_f32,
    bf16::from_f32,
    |x: f64| bf16::from_f32(x as f32)
);

impl Elem for bool {
    const DTYPE: DType = DType::Bool;
    fn wrap(a: ArrayD<Self>) -> Array {
        Array::Bool(a)
    }
    fn scalar(self) -> Scalar {
        Scalar::Bool(self)
    }
    fn from_scalar(s: Scalar) -> Self {
        match s {
            Scalar::Bool(b) => b,
            Scalar::Int(i) => i != 0,
            Scalar::Float(f) => f != 0.0,
        }
    }
    fn truthy(self) -> bool {
        self
    }
    fn add(self, o: Self) -> Self {
        self | o
    }
    fn sub(self, o: Self) -> Self {
        self ^ o
    }
    fn mul(self, o: Self) -> Self {
        self & o
    }
    fn xla_max(self, o: Self) -> Self {
        self | o
    }
    fn xla_min(self, o: Self) -> Self {
        self & o
    }
    fn abs(self) -> Self {
        self
    }
    fn sum_of(mut items: impl ExactSizeIterator<Item = Self>) -> Self {
        items.any(|b| b)
    }
    type Acc = bool;
    fn acc_zero() -> bool {
        false
    }
    fn acc_fma(acc: bool, a: Self, b: Self) -> bool {
        acc | (a & b)
    }
    fn acc_finish(acc: bool) -> Self {
        acc
    }
    fn fill() -> Self {
        true
    }
    fn zero() -> Self {
        false
    }
    fn one() -> Self {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_to_int_conversion_saturates_like_xla() {
        assert_eq!(i8::from_scalar(Scalar::Float(300.7)), 127);
        assert_eq!(u8::from_scalar(Scalar::Float(-1.5)), 0);
        assert_eq!(i32::from_scalar(Scalar::Float(f64::NAN)), 0);
        assert_eq!(i8::from_scalar(Scalar::Int(300)), 44);
    }

    #[test]
    fn denormals_flush_in_arithmetic_only() {
        let d = 1e-40f32;
        assert_eq!(d.add(0.0), 0.0);
        assert!(!d.truthy());
        assert!(bf16::from_f32(1e-39).to_f32() != 0.0);
    }

    #[test]
    fn f16_from_f64_rounds_once() {
        // Keras 3.15.1: cast(float64 [1 + 2**-11 + 2**-40], "float16") -> 1.0009765625
        let x = 1.0 + 2f64.powi(-11) + 2f64.powi(-40);
        assert_eq!(f16_from_f64(x).to_f64(), 1.0009765625);
        assert_eq!(f16_from_f64(-x).to_f64(), -1.0009765625);
        assert_eq!(f16_from_f64(1.0 + 2f64.powi(-11)).to_f64(), 1.0);
        assert!(f16_from_f64(1e300).to_f64().is_infinite());
        assert!(f16_from_f64(f64::NAN).is_nan());
    }

    #[test]
    fn signed_zero_order() {
        assert!(Elem::xla_max(-0.0f32, 0.0).is_sign_positive());
        assert!(Elem::xla_min(0.0f32, -0.0).is_sign_negative());
        assert!(Elem::xla_max(1.0f32, f32::NAN).is_nan());
    }
}
