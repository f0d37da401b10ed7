//! XLA:CPU's float32 `log`, `log1p` and `erf_inv`, evaluated in the same
//! order (with the same fused multiply-adds) as the machine code XLA emits,
//! so that the random streams built on them match JAX bit for bit.
//!
//! Coefficients are the float32 constants XLA emits. LLVM contracts each
//! `a * b + c` whose product has no other use into one FMA; XLA:CPU also
//! runs with denormals-are-zero and flush-to-zero. Checked against JAX 0.10.2
//! (CPU, AVX-512) on every float32 input of `log` in `[0, inf]`, of `log1p`
//! in `[-1, inf]` and of `erf_inv` in `[-1, 1]`: all bit-identical.

#![allow(clippy::excessive_precision)]

/// `a * b + c` with one rounding (XLA:CPU contracts these polynomial steps).
fn fma(a: f32, b: f32, c: f32) -> f32 {
    a.mul_add(b, c)
}

/// XLA:CPU runs with denormals-are-zero and flush-to-zero: a subnormal
/// operand or result reads as a zero of the same sign.
fn flush(x: f32) -> f32 {
    if x.is_subnormal() {
        0.0f32.copysign(x)
    } else {
        x
    }
}

/// XLA:CPU's vectorised natural log of a float32 (Cephes/Eigen `plog`),
/// bit for bit (subnormal inputs read as zero).
pub fn log(x: f32) -> f32 {
    let x = flush(x);
    if x.is_nan() || x < 0.0 {
        return f32::NAN;
    }
    if x == 0.0 {
        return f32::NEG_INFINITY;
    }
    if x == f32::INFINITY {
        return x;
    }
    let x = x.max(f32::MIN_POSITIVE);
    let bits = x.to_bits();
    let mut e = ((bits >> 23) as i32 - 126) as f32;
    let mut m = f32::from_bits((bits & 0x807f_ffff) | 0x3f00_0000);
    let small = m < 0.707_106_77_f32;
    let tmp = if small { m } else { 0.0 };
    m -= 1.0;
    if small {
        e -= 1.0;
    }
    m += tmp;
    // Bit patterns as XLA emits them (a shortened `1.1676999e-1` for Cephes'
    // `1.1676998740e-1` rounds one ulp too high).
    const P_BITS: [u32; 9] = [
        0x3d90_21bb,
        0xbdeb_d1b8,
        0x3def_251a,
        0xbdfe_5d4f,
        0x3e11_e9bf,
        0xbe2a_ae50,
        0x3e4c_ceac,
        0xbe7f_fffc,
        0x3eaa_aaaa,
    ];
    let p = P_BITS.map(f32::from_bits);
    let x2 = m * m;
    let x3 = x2 * m;
    let mut y = fma(p[0], m, p[1]);
    let mut y1 = fma(p[3], m, p[4]);
    let mut y2 = fma(p[6], m, p[7]);
    y = fma(y, m, p[2]);
    y1 = fma(y1, m, p[5]);
    y2 = fma(y2, m, p[8]);
    y = fma(y, x3, y1);
    y = fma(y, x3, y2);
    // LLVM contracts `y * x3 + e * q1` into one FMA (the product `e * q1`
    // rounded first); rounding `y * x3` separately is off by an ulp on ~0.04%
    // of inputs.
    let q1 = e * -2.121_944_4e-4_f32;
    y = fma(y, x3, q1);
    let half_x2 = x2 * 0.5;
    m -= half_x2;
    let q2 = e * 0.693_359_4_f32;
    m += y;
    m + q2
}

/// XLA:CPU's float32 `log1p` (`xla.log1p` intrinsic): a Cephes rational
/// approximation for `|x| < sqrt(2) - 1`, `log(1 + x)` elsewhere.
pub fn log1p(x: f32) -> f32 {
    let x = flush(x);
    const DEN: [f64; 7] = [
        1.,
        1.506_290_908_346_919_2E1,
        8.304_756_596_796_721E1,
        2.217_623_982_373_285_6E2,
        3.090_987_222_531_206E2,
        2.164_278_861_449_594_8E2,
        6.011_866_049_760_384E1,
    ];
    const NUM: [f64; 7] = [
        4.527_000_086_244_52E-5,
        4.985_410_282_319_337_6E-1,
        6.578_732_594_206_104,
        2.991_191_932_855_307_4E1,
        6.094_966_798_098_779E1,
        5.711_296_359_058_554E1,
        2.003_955_349_920_128E1,
    ];
    if x.abs() >= 0.414_213_57_f32 || x.is_nan() {
        return log(x + 1.0);
    }
    let poly = |cs: &[f64; 7]| cs.iter().fold(0.0f32, |p, &c| fma(p, x, c as f32));
    let x2 = x * x;
    let mut s = poly(&NUM) / poly(&DEN);
    s *= x * x2;
    s = fma(-0.5, x2, s);
    flush(x + s)
}

/// XLA's float32 `erf_inv` (Giles' approximation, as `chlo.erf_inv`
/// decomposes): polynomial in `w = -log1p(-x²)`, `±inf` at `±1`.
pub fn erf_inv(x: f32) -> f32 {
    let x = flush(x);
    const LT5: [f32; 9] = [
        2.810_226_4e-8,
        3.432_739_4e-7,
        -3.523_387_7e-6,
        -4.391_506_5e-6,
        2.185_808_7e-4,
        -1.253_725e-3,
        -4.177_681_6e-3,
        2.466_407_3e-1,
        1.501_409_4,
    ];
    const GE5: [f32; 9] = [
        -2.002_142_6e-4,
        1.009_505_6e-4,
        1.349_343_2e-3,
        -3.673_428_4e-3,
        5.739_507_7e-3,
        -7.622_461_3e-3,
        9.438_870_5e-3,
        1.001_674_1,
        2.832_976_8,
    ];
    let w0 = -log1p(x * -x);
    let lt = w0 < 5.0;
    let (w, cs) = if lt {
        (w0 - 2.5, &LT5)
    } else {
        (w0.sqrt() - 3.0, &GE5)
    };
    let p = cs[1..].iter().fold(cs[0], |p, &c| fma(p, w, c));
    if x.abs() == 1.0 {
        return x * f32::INFINITY;
    }
    // Flush-to-zero: x86 detects tininess before rounding, so a product that
    // rounds up to the smallest normal is flushed too (the f64 product is exact).
    if (f64::from(p) * f64::from(x)).abs() < f64::from(f32::MIN_POSITIVE) {
        0.0f32.copysign(p * x)
    } else {
        p * x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `<function> <input bits> <output bits>` lines measured on the oracle by
    /// `scripts/xla-math-pairs.py` (`jax.jit` of `jnp.log`, `jnp.log1p`,
    /// `lax.erf_inv` on CPU).
    const PAIRS: &str = include_str!("../../testdata/xla_math_f32.txt");

    #[test]
    fn matches_jax_bits() {
        let mut checked = [0usize; 3];
        let mut wrong = Vec::new();
        for line in PAIRS.lines().filter(|l| !l.starts_with('#')) {
            let mut parts = line.split_whitespace();
            let (name, x, want) = (parts.next(), parts.next(), parts.next());
            let bits = |s: Option<&str>| u32::from_str_radix(s.expect(line), 16).expect(line);
            let (x, want) = (f32::from_bits(bits(x)), f32::from_bits(bits(want)));
            let (slot, got) = match name.expect(line) {
                "log" => (0, log(x)),
                "log1p" => (1, log1p(x)),
                "erf_inv" => (2, erf_inv(x)),
                other => panic!("unknown function {other}"),
            };
            checked[slot] += 1;
            let same = got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan());
            if !same {
                wrong.push(format!("{line}: got {:08x}", got.to_bits()));
            }
        }
        assert!(
            checked.iter().all(|&n| n >= 100),
            "too few pairs: {checked:?}"
        );
        assert!(
            wrong.is_empty(),
            "{} differ:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }

    #[test]
    fn erf_inv_matches_jax() {
        // (input bits, jax.jit(lax.erf_inv) output bits), measured on jax 0.10.2 CPU.
        for (x, want) in [
            (3_203_998_590u32, 3_203_177_563u32),
            (1_044_142_481, 1_042_836_838),
            (3_198_872_720, 3_197_907_127),
        ] {
            assert_eq!(erf_inv(f32::from_bits(x)).to_bits(), want, "erf_inv({x})");
        }
    }
}
