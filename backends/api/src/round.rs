//! Correctly rounded `f64` → `float16` / `bfloat16` conversion.
//!
//! `half`'s `from_f64` may round twice (through `f32`, or after truncating the
//! low mantissa bits), which disagrees with NumPy and ml_dtypes on values close
//! to a tie. Here the value is first rounded to `f32` *to odd* (truncated, with
//! the last bit set when inexact); `f32` keeps more than two extra bits on both
//! grids, so the one rounding into the narrow type is then exact.

use half::{bf16, f16};

/// `x` rounded to odd in `f32`.
fn to_f32_odd(x: f64) -> f32 {
    let r = x as f32;
    if f64::from(r) == x || !r.is_finite() {
        return r;
    }
    let toward_zero = if f64::from(r).abs() > x.abs() {
        f32::from_bits(r.to_bits() - 1)
    } else {
        r
    };
    f32::from_bits(toward_zero.to_bits() | 1)
}

/// `x` rounded once, to nearest-even, into `float16` (NaN, ±inf, -0.0 kept).
pub fn f16_from_f64(x: f64) -> f16 {
    f16::from_f32(to_f32_odd(x))
}

/// `x` rounded once, to nearest-even, into `bfloat16` (NaN, ±inf, -0.0 kept).
pub fn bf16_from_f64(x: f64) -> bf16 {
    bf16::from_f32(to_f32_odd(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_once() {
        // Just above the f16 tie 1 + 2^-11: must round up; via f32 it ties to even (down).
        let x = 1.0 + 2f64.powi(-11) + 2f64.powi(-40);
        assert_eq!(f16_from_f64(x).to_f64(), 1.0009765625);
        assert_eq!(f16_from_f64(-x).to_f64(), -1.0009765625);
        assert_eq!(f16_from_f64(1.0 + 2f64.powi(-11)).to_f64(), 1.0);
        let y = 1.0 + 2f64.powi(-8) + 2f64.powi(-40);
        assert_eq!(bf16_from_f64(y).to_f64(), 1.0 + 2f64.powi(-7));
        assert_eq!(bf16_from_f64(1.0 + 2f64.powi(-8)).to_f64(), 1.0);
        assert!(f16_from_f64(1e300).to_f64().is_infinite());
        assert!(bf16_from_f64(f64::NAN).is_nan());
        assert!(f16_from_f64(-1e-300).is_sign_negative() && f16_from_f64(-1e-300).to_f64() == 0.0);
    }
}
