//! The one-sample Kolmogorov–Smirnov statistic.

/// `D = sup |F_n(x) - F(x)|` of `samples` against `cdf`: with the samples
/// sorted, `max_i max(i/n - F(x_i), F(x_i) - (i-1)/n)` for `i = 1..n`.
/// Ties are handled (the maximum is taken at both ends of each jump). Returns
/// 0 for an empty sample; NaN samples must be rejected by the caller.
pub fn statistic(samples: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            let above = (i as f64 + 1.0) / n - f;
            let below = f - i as f64 / n;
            above.max(below)
        })
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::statistic;

    #[test]
    fn hand_checked_sample() {
        // Uniform[0, 1): samples 0.1, 0.4, 0.7 give F_n steps at 1/3, 2/3, 1.
        // Gaps: at 0.1: 1/3-0.1=0.2333, 0.1-0=0.1; at 0.4: 2/3-0.4=0.2667,
        // 0.4-1/3=0.0667; at 0.7: 1-0.7=0.3, 0.7-2/3=0.0333. D = 0.3.
        let d = statistic(&[0.7, 0.1, 0.4], |x| x.clamp(0.0, 1.0));
        assert!((d - 0.3).abs() < 1e-12, "{d}");
    }

    #[test]
    fn ties_count_the_whole_jump() {
        // Two samples at 0.5 under uniform: F_n jumps from 0 to 1 at 0.5: D = 0.5.
        let d = statistic(&[0.5, 0.5], |x| x);
        assert!((d - 0.5).abs() < 1e-12, "{d}");
    }

    #[test]
    fn perfect_grid_is_small() {
        let n = 1000;
        let s: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect();
        let d = statistic(&s, |x| x);
        assert!((d - 0.5 / n as f64).abs() < 1e-12, "{d}");
    }
}
