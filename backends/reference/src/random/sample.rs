//! `jax.random` samplers on a raw key: uniform floats, normal, truncated
//! normal, randint, bernoulli, shuffle permutations and Gumbel noise.

use super::float::Fl;
use super::threefry::{bits16, bits32, bits8, split2, Key};
use super::xla_math::{erf_inv, log};

/// Floats in `[0, 1)` from mantissa bits, as `jax.random._uniform` makes them.
fn unit_floats(key: Key, n: usize, fl: Fl) -> Vec<f32> {
    match fl {
        Fl::F32 => bits32(key, n)
            .into_iter()
            .map(|b| f32::from_bits((b >> 9) | 0x3f80_0000) - 1.0)
            .collect(),
        Fl::F16 => bits16(key, n)
            .into_iter()
            .map(|b| half::f16::from_bits((b >> 6) | 0x3c00).to_f32() - 1.0)
            .collect(),
        // bfloat16 has 7 mantissa bits (< 8), so JAX draws 8 bits.
        Fl::Bf16 => bits8(key, n)
            .into_iter()
            .map(|b| half::bf16::from_bits((u16::from(b) >> 1) | 0x3f80).to_f32() - 1.0)
            .collect(),
    }
}

/// `jax.random.uniform(key, (n,), fl, minval, maxval)` with `minval`/`maxval`
/// already in `fl`: `max(minval, floats * (maxval - minval) + minval)`.
///
/// XLA:CPU contracts the multiply-add into one FMA. For `float16` it keeps
/// that FMA in float32 and rounds once; `bfloat16` it evaluates op by op in
/// float32, rounding after each (both measured on 50k-element draws, for a
/// standalone `uniform` and for the draw `normal`/`truncated_normal` feed to
/// `erf_inv` alike).
pub fn uniform(key: Key, n: usize, fl: Fl, minval: f32, maxval: f32) -> Vec<f32> {
    let span = fl.round(maxval - minval);
    unit_floats(key, n, fl)
        .into_iter()
        .map(|f| {
            let v = match fl {
                Fl::F32 => f.mul_add(span, minval),
                Fl::F16 => fl.round(f.mul_add(span, minval)),
                Fl::Bf16 => fl.round(fl.round(f * span) + minval),
            };
            minval.max(v)
        })
        .collect()
}

/// `sqrt(2) * erf_inv(u)` in `fl` (half floats evaluated in float32).
fn sqrt2_erf_inv(u: f32, fl: Fl) -> f32 {
    let sqrt2 = fl.round_f64(std::f64::consts::SQRT_2);
    fl.round(sqrt2 * fl.round(erf_inv(u)))
}

/// `jax.random.normal(key, (n,), fl)`.
pub fn normal(key: Key, n: usize, fl: Fl) -> Vec<f32> {
    let lo = fl.next_toward_zero(-1.0);
    uniform(key, n, fl, lo, 1.0)
        .into_iter()
        .map(|u| sqrt2_erf_inv(u, fl))
        .collect()
}

/// `jax.random.truncated_normal(key, -2, 2, (n,), fl)`.
pub fn truncated_normal(key: Key, n: usize, fl: Fl) -> Vec<f32> {
    // erf(∓2 / sqrt(2)) in each format, as JAX evaluates it (measured).
    let b = match fl {
        Fl::F32 => 0.954_499_7_f32,
        Fl::F16 => half::f16::from_f64(0.9546).to_f32(),
        Fl::Bf16 => 0.953_125,
    };
    let hi = fl.next_toward_zero(2.0);
    let lo = -hi;
    uniform(key, n, fl, -b, b)
        .into_iter()
        .map(|u| sqrt2_erf_inv(u, fl).clamp(lo, hi))
        .collect()
}

/// `jax.random.randint` for a 32-bit sampling dtype, `minval`/`maxval`
/// already clipped to it (`out_of_range`: `maxval` exceeded the dtype's max).
pub fn randint32(key: Key, n: usize, minval: i64, maxval: i64, out_of_range: bool) -> Vec<i64> {
    let (k1, k2) = split2(key);
    let hi = bits32(k1, n);
    let lo = bits32(k2, n);
    let mut span = (maxval.wrapping_sub(minval)) as u32;
    if maxval <= minval {
        span = 1;
    } else if out_of_range {
        span = span.wrapping_add(1);
    }
    let span = span.max(1);
    let mut mult = (1u32 << 16) % span;
    mult = mult.wrapping_mul(mult) % span;
    hi.into_iter()
        .zip(lo)
        .map(|(h, l)| {
            let off = ((h % span).wrapping_mul(mult).wrapping_add(l % span)) % span;
            minval.wrapping_add(i64::from(off))
        })
        .collect()
}

/// `jax.random.bernoulli(key, p, (n,))` with a float32 `p`.
pub fn bernoulli(key: Key, n: usize, p: f32) -> Vec<bool> {
    uniform(key, n, Fl::F32, 0.0, 1.0)
        .into_iter()
        .map(|u| u < p)
        .collect()
}

/// The order `jax.random.permutation(..., independent=True)` puts each lane
/// of `shape` along `axis` in: for every round, sort keys are 32 random bits
/// per element and each lane is stably sorted by them. Returns the source
/// index (along `axis`) of each output element, row-major.
pub fn shuffle_sources(key: Key, shape: &[usize], axis: usize) -> Vec<usize> {
    let size: usize = shape.iter().product();
    let len = shape[axis];
    let inner: usize = shape[axis + 1..].iter().product();
    let outer = size.checked_div(len * inner).unwrap_or(0);
    // `src[e]`: the original position along `axis` of the element now at `e`.
    let mut src: Vec<usize> = (0..size).map(|e| (e / inner) % len.max(1)).collect();
    let uint32max = f64::from(u32::MAX);
    let rounds = (3.0 * (size.max(1) as f64).ln() / uint32max.ln()).ceil() as usize;
    let mut key = key;
    for _ in 0..rounds {
        let (next, sub) = split2(key);
        key = next;
        let sort_keys = bits32(sub, size);
        for o in 0..outer {
            for i in 0..inner {
                let idx = |j: usize| (o * len + j) * inner + i;
                let mut lane: Vec<(u32, usize)> =
                    (0..len).map(|j| (sort_keys[idx(j)], src[idx(j)])).collect();
                lane.sort_by_key(|&(k, _)| k);
                for (j, (_, s)) in lane.into_iter().enumerate() {
                    src[idx(j)] = s;
                }
            }
        }
    }
    src
}

/// `jax.random.gumbel(key, (n,), float32, mode="low")`:
/// `-log(-log(uniform(tiny, 1)))`.
pub fn gumbel(key: Key, n: usize) -> Vec<f32> {
    uniform(key, n, Fl::F32, f32::MIN_POSITIVE, 1.0)
        .into_iter()
        .map(|u| -log(-log(u)))
        .collect()
}
