//! Gamma, beta and binomial variates on threefry bits. Exact in law (not JAX's
//! streams): each output element has its own counter stream, the hash of its
//! index under the call's key, so elements are independent and reproducible.

use super::threefry::{threefry2x32, Key};

/// The draws of one output element: `threefry(element key, counter)`.
pub struct Stream {
    key: Key,
    counter: u64,
}

impl Stream {
    /// The stream of element `index` under `key`.
    pub fn new(key: Key, index: u64) -> Stream {
        Stream {
            key: threefry2x32(key, [(index >> 32) as u32, index as u32]),
            counter: 0,
        }
    }

    fn next_u64(&mut self) -> u64 {
        let c = self.counter;
        self.counter += 1;
        let [a, b] = threefry2x32(self.key, [(c >> 32) as u32, c as u32]);
        (u64::from(a) << 32) | u64::from(b)
    }

    /// A uniform float in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform float in `(0, 1]`.
    fn open_unit(&mut self) -> f64 {
        1.0 - self.unit()
    }

    /// A standard normal (Box–Muller, cosine branch).
    pub fn normal(&mut self) -> f64 {
        let r = (-2.0 * self.open_unit().ln()).sqrt();
        r * (std::f64::consts::TAU * self.unit()).cos()
    }
}

/// `log(Gamma(alpha, 1))` by Marsaglia and Tsang's method (`alpha < 1`
/// boosted to `alpha + 1`), in log space so a tiny `alpha` does not
/// underflow. `alpha` must be finite and > 0.
fn log_gamma_positive(s: &mut Stream, alpha: f64) -> f64 {
    let a = if alpha < 1.0 { alpha + 1.0 } else { alpha };
    let d = a - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    let log_dv = loop {
        let x = s.normal();
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = s.open_unit();
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + d * (1.0 - v + v.ln()) {
            break (d * v).ln();
        }
    };
    if alpha < 1.0 {
        // Gamma(alpha) = Gamma(alpha + 1) * U^(1/alpha).
        log_dv + s.open_unit().ln() / alpha
    } else {
        log_dv
    }
}

/// `log` of a `Gamma(alpha, 1)` draw with JAX's edge values: `alpha = 0`
/// gives `-inf` (a zero draw), `+inf` gives `+inf`, negative or NaN gives NaN.
pub fn log_gamma(s: &mut Stream, alpha: f64) -> f64 {
    if alpha.is_nan() || alpha < 0.0 {
        f64::NAN
    } else if alpha == 0.0 {
        f64::NEG_INFINITY
    } else if alpha.is_infinite() {
        f64::INFINITY
    } else {
        log_gamma_positive(s, alpha)
    }
}

/// A `Gamma(alpha, 1)` draw (edge values as [`log_gamma`]).
pub fn gamma(s: &mut Stream, alpha: f64) -> f64 {
    log_gamma(s, alpha).exp()
}

/// A `Beta(a, b)` draw from two log-gamma draws, as `Ga / (Ga + Gb)`
/// computed without overflow; `a` and `b` use separate streams.
pub fn beta(sa: &mut Stream, sb: &mut Stream, a: f64, b: f64) -> f64 {
    let (la, lb) = (log_gamma(sa, a), log_gamma(sb, b));
    let m = la.max(lb);
    let (ea, eb) = ((la - m).exp(), (lb - m).exp());
    ea / (ea + eb)
}

/// Largest `n * p` drawn by inversion; above it the count is halved first.
const INVERSION_MEAN: f64 = 30.0;

/// `Binomial(n, p)` by sequential inversion (`n * min(p, 1-p)` small).
fn binomial_inversion(s: &mut Stream, n: f64, p: f64) -> f64 {
    if p > 0.5 {
        return n - binomial_inversion(s, n, 1.0 - p);
    }
    if p <= 0.0 || n == 0.0 {
        return 0.0;
    }
    let u = s.unit();
    let ratio = p / (1.0 - p);
    let mut pk = (1.0 - p).powf(n);
    let mut cdf = pk;
    let mut k = 0.0;
    while u >= cdf && k < n {
        pk *= (n - k) / (k + 1.0) * ratio;
        k += 1.0;
        cdf += pk;
    }
    k
}

/// `Binomial(n, p)` for a whole `n >= 0` and `p` in `[0, 1]`: Knuth's
/// recursion (TAOCP 3.4.1 F) halves `n` with one beta draw (the order
/// statistic of the middle uniform) until inversion is cheap.
fn binomial_exact(s: &mut Stream, mut n: f64, mut p: f64) -> f64 {
    let mut k = 0.0;
    while n * p.min(1.0 - p) > INVERSION_MEAN {
        let a = (n / 2.0).floor() + 1.0;
        let b = n + 1.0 - a;
        let ga = gamma(s, a);
        let x = ga / (ga + gamma(s, b));
        if x >= p {
            n = a - 1.0;
            p /= x;
        } else {
            k += a;
            n = b - 1.0;
            p = (p - x) / (1.0 - x);
        }
        p = p.clamp(0.0, 1.0);
    }
    k + binomial_inversion(s, n, p)
}

/// A `Binomial(counts, p)` draw with JAX's edge values: NaN for a NaN or
/// negative count or a NaN `p` or one outside `[0, 1]`; `+inf` for an infinite
/// count; a fractional count is floored.
pub fn binomial(s: &mut Stream, counts: f64, p: f64) -> f64 {
    if counts.is_nan() || counts < 0.0 || p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if counts.is_infinite() {
        return f64::INFINITY;
    }
    binomial_exact(s, counts.floor(), p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
        (m, v)
    }

    fn draws(n: u64, f: impl Fn(&mut Stream) -> f64) -> Vec<f64> {
        (0..n).map(|i| f(&mut Stream::new([7, 0], i))).collect()
    }

    #[test]
    fn gamma_moments() {
        for alpha in [0.3, 1.0, 4.5] {
            let (m, v) = mean_var(&draws(40000, |s| gamma(s, alpha)));
            // mean = var = alpha; 40000 draws: standard errors ~1%.
            assert!((m - alpha).abs() < 0.05 * alpha, "alpha {alpha}: mean {m}");
            assert!((v - alpha).abs() < 0.1 * alpha, "alpha {alpha}: var {v}");
        }
        let mut s = Stream::new([1, 0], 0);
        assert_eq!(gamma(&mut s, 0.0), 0.0);
        assert!(gamma(&mut s, -1.0).is_nan());
        assert_eq!(gamma(&mut s, f64::INFINITY), f64::INFINITY);
    }

    #[test]
    fn beta_moments() {
        let (a, b) = (2.0, 5.0);
        let (m, v) = mean_var(&draws(40000, |s| {
            let mut t = Stream::new([9, 9], s.next_u64());
            beta(s, &mut t, a, b)
        }));
        let mean = a / (a + b);
        let var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
        assert!((m - mean).abs() < 0.01, "{m}");
        assert!((v - var).abs() < 0.1 * var, "{v}");
    }

    #[test]
    fn binomial_moments_and_edges() {
        for (n, p) in [(10.0, 0.3), (50.0, 0.9), (100000.0, 0.4)] {
            let xs = draws(20000, |s| binomial(s, n, p));
            assert!(xs.iter().all(|x| x.fract() == 0.0 && (0.0..=n).contains(x)));
            let (m, v) = mean_var(&xs);
            let (mean, var) = (n * p, n * p * (1.0 - p));
            assert!(
                (m - mean).abs() < 5.0 * (var / 20000.0).sqrt(),
                "n {n} p {p}: {m}"
            );
            assert!((v - var).abs() < 0.1 * var, "n {n} p {p}: var {v}");
        }
        let mut s = Stream::new([1, 0], 0);
        assert!(binomial(&mut s, -1.0, 0.5).is_nan());
        assert!(binomial(&mut s, 5.0, 1.5).is_nan());
        assert_eq!(binomial(&mut s, f64::INFINITY, 0.3), f64::INFINITY);
        assert_eq!(binomial(&mut s, 5.0, 1.0), 5.0);
        assert_eq!(binomial(&mut s, 5.0, 0.0), 0.0);
        assert_eq!(binomial(&mut s, 0.0, 0.5), 0.0);
    }
}
