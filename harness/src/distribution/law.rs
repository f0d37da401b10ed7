//! The laws a distribution check tests against, with their CDFs and
//! probabilities (from `statrs`) and their supports.

use statrs::distribution::{
    Beta, Binomial, ContinuousCDF, Discrete, DiscreteUniform, Gamma, Normal, Uniform,
};

/// The statistical test of a distribution check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Test {
    /// One-sample Kolmogorov–Smirnov (continuous laws).
    Ks,
    /// Pearson's chi-square on binned counts (discrete laws).
    ChiSquare,
}

impl Test {
    /// The YAML name: `ks` or `chi_square`.
    pub fn name(self) -> &'static str {
        match self {
            Test::Ks => "ks",
            Test::ChiSquare => "chi_square",
        }
    }

    /// Parses a YAML name.
    pub fn parse(s: &str) -> Option<Test> {
        match s {
            "ks" => Some(Test::Ks),
            "chi_square" => Some(Test::ChiSquare),
            _ => None,
        }
    }
}

/// A law an op's output is held to. Parameters are validated when read.
#[derive(Clone, Debug, PartialEq)]
pub enum Law {
    /// `normal(mean, stddev)`.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (> 0).
        stddev: f64,
    },
    /// `uniform[minval, maxval)`.
    Uniform {
        /// Lower bound.
        minval: f64,
        /// Upper bound (> minval).
        maxval: f64,
    },
    /// `normal(mean, stddev)` truncated to `mean ± 2 stddev` (Keras's bounds).
    TruncatedNormal {
        /// Mean.
        mean: f64,
        /// Standard deviation of the untruncated normal (> 0).
        stddev: f64,
    },
    /// `gamma(alpha)` with scale 1.
    Gamma {
        /// Shape parameter (> 0).
        alpha: f64,
    },
    /// `beta(alpha, beta)`.
    Beta {
        /// First shape parameter (> 0).
        alpha: f64,
        /// Second shape parameter (> 0).
        beta: f64,
    },
    /// `binomial(counts, probabilities)`: successes in `counts` trials.
    Binomial {
        /// Number of trials.
        counts: u64,
        /// Success probability in `[0, 1]`.
        probability: f64,
    },
    /// Integers uniform on `[minval, maxval)`.
    DiscreteUniform {
        /// Smallest value.
        minval: i64,
        /// One past the largest value (> minval).
        maxval: i64,
    },
    /// Each row `r` of the output holds class indices drawn from
    /// `softmax(logits[r])`.
    Categorical {
        /// One row of logits per output row (`-inf` = impossible class).
        logits: Vec<Vec<f64>>,
    },
    /// Dropout: each unit of the call's `noise_shape` mask is dropped
    /// (output 0) with probability `rate`; kept elements equal `x / (1 - rate)`
    /// up to rounding.
    BernoulliMask {
        /// Drop probability in `[0, 1]`.
        rate: f64,
    },
    /// Shuffle: each lane of the call's input along the call's `axis` is a
    /// uniformly random permutation of itself, lanes independent of each other.
    Permutation,
}

/// Largest discrete support a chi-square law may enumerate.
pub const MAX_CATEGORIES: u64 = 1_000_000;

impl Law {
    /// The YAML name of the law.
    pub fn name(&self) -> &'static str {
        match self {
            Law::Normal { .. } => "normal",
            Law::Uniform { .. } => "uniform",
            Law::TruncatedNormal { .. } => "truncated_normal",
            Law::Gamma { .. } => "gamma",
            Law::Beta { .. } => "beta",
            Law::Binomial { .. } => "binomial",
            Law::DiscreteUniform { .. } => "discrete_uniform",
            Law::Categorical { .. } => "categorical",
            Law::BernoulliMask { .. } => "bernoulli_mask",
            Law::Permutation => "permutation",
        }
    }

    /// The test this law is checked with.
    pub fn test(&self) -> Test {
        if self.is_continuous() {
            Test::Ks
        } else {
            Test::ChiSquare
        }
    }

    /// True for the laws the KS test applies to.
    pub fn is_continuous(&self) -> bool {
        matches!(
            self,
            Law::Normal { .. }
                | Law::Uniform { .. }
                | Law::TruncatedNormal { .. }
                | Law::Gamma { .. }
                | Law::Beta { .. }
        )
    }

    /// The law with its parameters, for messages.
    pub fn describe(&self) -> String {
        match self {
            Law::Normal { mean, stddev } => format!("normal(mean={mean}, stddev={stddev})"),
            Law::Uniform { minval, maxval } => format!("uniform[{minval}, {maxval})"),
            Law::TruncatedNormal { mean, stddev } => {
                format!("truncated_normal(mean={mean}, stddev={stddev}, ±2 stddev)")
            }
            Law::Gamma { alpha } => format!("gamma(alpha={alpha})"),
            Law::Beta { alpha, beta } => format!("beta(alpha={alpha}, beta={beta})"),
            Law::Binomial {
                counts,
                probability,
            } => format!("binomial(counts={counts}, probabilities={probability})"),
            Law::DiscreteUniform { minval, maxval } => {
                format!("discrete_uniform[{minval}, {maxval})")
            }
            Law::Categorical { logits } => format!("categorical({} rows)", logits.len()),
            Law::BernoulliMask { rate, .. } => format!("bernoulli_mask(rate={rate})"),
            Law::Permutation => "permutation".into(),
        }
    }

    /// Checks the parameters; the error says which one is wrong and why.
    pub fn validate(&self) -> Result<(), String> {
        let positive = |name: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(format!("`{name}` must be a finite number > 0, got {v}"))
            }
        };
        let finite = |name: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(format!("`{name}` must be finite, got {v}"))
            }
        };
        let unit = |name: &str, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(format!("`{name}` must be in [0, 1], got {v}"))
            }
        };
        match self {
            Law::Normal { mean, stddev } | Law::TruncatedNormal { mean, stddev } => {
                finite("mean", *mean)?;
                positive("stddev", *stddev)
            }
            Law::Uniform { minval, maxval } => {
                finite("minval", *minval)?;
                finite("maxval", *maxval)?;
                if maxval > minval {
                    Ok(())
                } else {
                    Err(format!("needs maxval > minval, got [{minval}, {maxval})"))
                }
            }
            Law::Gamma { alpha } => positive("alpha", *alpha),
            Law::Beta { alpha, beta } => {
                positive("alpha", *alpha)?;
                positive("beta", *beta)
            }
            Law::Binomial {
                counts,
                probability,
            } => {
                unit("probabilities", *probability)?;
                if *counts >= MAX_CATEGORIES {
                    return Err(format!("`counts` must be < {MAX_CATEGORIES}, got {counts}"));
                }
                Ok(())
            }
            Law::DiscreteUniform { minval, maxval } => {
                let span = i128::from(*maxval) - i128::from(*minval);
                if span <= 0 {
                    Err(format!("needs maxval > minval, got [{minval}, {maxval})"))
                } else if span > i128::from(MAX_CATEGORIES) {
                    Err(format!("at most {MAX_CATEGORIES} values, got {span}"))
                } else {
                    Ok(())
                }
            }
            Law::Categorical { logits } => {
                if logits.is_empty() {
                    return Err("`logits` needs at least one row".into());
                }
                for (r, row) in logits.iter().enumerate() {
                    if row.iter().any(|l| l.is_nan() || *l == f64::INFINITY) {
                        return Err(format!(
                            "logits row {r}: every logit must be finite or -inf"
                        ));
                    }
                    if !row.iter().any(|l| l.is_finite()) {
                        return Err(format!("logits row {r} needs a finite logit"));
                    }
                }
                Ok(())
            }
            Law::BernoulliMask { rate, .. } => unit("rate", *rate),
            Law::Permutation => Ok(()),
        }
    }

    /// The CDF of a continuous law at `x` (`None` for discrete laws).
    pub fn cdf(&self, x: f64) -> Option<f64> {
        let v = match *self {
            Law::Normal { mean, stddev } => Normal::new(mean, stddev).ok()?.cdf(x),
            Law::Uniform { minval, maxval } => Uniform::new(minval, maxval).ok()?.cdf(x),
            Law::TruncatedNormal { mean, stddev } => {
                let std = Normal::standard();
                let (lo, hi) = (std.cdf(-2.0), std.cdf(2.0));
                ((std.cdf((x - mean) / stddev) - lo) / (hi - lo)).clamp(0.0, 1.0)
            }
            Law::Gamma { alpha } => Gamma::new(alpha, 1.0).ok()?.cdf(x.max(0.0)),
            Law::Beta { alpha, beta } => Beta::new(alpha, beta).ok()?.cdf(x.clamp(0.0, 1.0)),
            _ => return None,
        };
        Some(v)
    }

    /// The closed interval a continuous law's values lie in.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Law::Uniform { minval, maxval } => (minval, maxval),
            Law::TruncatedNormal { mean, stddev } => (mean - 2.0 * stddev, mean + 2.0 * stddev),
            Law::Gamma { .. } => (0.0, f64::INFINITY),
            Law::Beta { .. } => (0.0, 1.0),
            _ => (f64::NEG_INFINITY, f64::INFINITY),
        }
    }

    /// The category probabilities of a sampler law that takes values
    /// `first, first + 1, ...` (binomial, discrete_uniform): `(first, probs)`.
    pub fn categories(&self) -> Option<(i64, Vec<f64>)> {
        match *self {
            Law::Binomial {
                counts,
                probability,
            } => {
                let b = Binomial::new(probability, counts).ok()?;
                Some((0, (0..=counts).map(|k| b.pmf(k)).collect()))
            }
            Law::DiscreteUniform { minval, maxval } => {
                let d = DiscreteUniform::new(minval, maxval - 1).ok()?;
                Some((minval, (minval..maxval).map(|k| d.pmf(k)).collect()))
            }
            _ => None,
        }
    }
}

/// `softmax(logits)` in `f64` (`-inf` logits get probability 0).
pub fn softmax(logits: &[f64]) -> Vec<f64> {
    let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = logits.iter().map(|l| (l - max).exp()).collect();
    let s: f64 = e.iter().sum();
    e.into_iter().map(|x| x / s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdfs_at_known_points() {
        let n = Law::Normal {
            mean: 1.0,
            stddev: 2.0,
        };
        assert!((n.cdf(1.0).unwrap() - 0.5).abs() < 1e-12);
        let t = Law::TruncatedNormal {
            mean: 0.0,
            stddev: 1.0,
        };
        assert_eq!(t.cdf(-2.0), Some(0.0));
        assert!((t.cdf(2.0).unwrap() - 1.0).abs() < 1e-12);
        assert!((t.cdf(0.0).unwrap() - 0.5).abs() < 1e-12);
        let g = Law::Gamma { alpha: 1.0 };
        assert!((g.cdf(1.0).unwrap() - (1.0 - (-1.0f64).exp())).abs() < 1e-12);
        let b = Law::Beta {
            alpha: 1.0,
            beta: 1.0,
        };
        assert!((b.cdf(0.25).unwrap() - 0.25).abs() < 1e-12);
        assert_eq!(Law::Permutation.cdf(0.0), None);
    }

    #[test]
    fn categories_sum_to_one() {
        let (first, p) = Law::Binomial {
            counts: 10,
            probability: 0.3,
        }
        .categories()
        .unwrap();
        assert_eq!((first, p.len()), (0, 11));
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let (first, p) = Law::DiscreteUniform {
            minval: -3,
            maxval: 5,
        }
        .categories()
        .unwrap();
        assert_eq!((first, p.len()), (-3, 8));
        assert!(p.iter().all(|&x| (x - 0.125).abs() < 1e-15));
        let s = softmax(&[0.0, f64::NEG_INFINITY, 0.0]);
        assert_eq!(s, vec![0.5, 0.0, 0.5]);
    }

    #[test]
    fn bad_parameters_are_named() {
        let e = Law::Normal {
            mean: 0.0,
            stddev: 0.0,
        }
        .validate()
        .unwrap_err();
        assert!(e.contains("stddev"), "{e}");
        let e = Law::Binomial {
            counts: 3,
            probability: 1.5,
        }
        .validate()
        .unwrap_err();
        assert!(e.contains("probabilities"), "{e}");
        let e = Law::Categorical {
            logits: vec![vec![f64::NEG_INFINITY]],
        }
        .validate()
        .unwrap_err();
        assert!(e.contains("finite logit"), "{e}");
    }
}
