//! Pearson's chi-square on binned counts, with the suite's binning rule.
//!
//! Categories of probability 0 are impossible (an observation there fails the
//! check outright and they get no bin). The others, in their natural order,
//! are merged greedily into bins of expected count >= [`MIN_EXPECTED`]; a last
//! bin below it joins the bin before. `df = bins - 1` per group, summed over
//! groups (one group per categorical row).

/// Smallest expected count of a bin.
pub const MIN_EXPECTED: f64 = 5.0;

/// The bins of one group: which categories each bin holds, and its expected count.
#[derive(Clone, Debug, PartialEq)]
pub struct Binning {
    /// `bin_of[c]`: the bin of category `c` (`None`: probability 0).
    pub bin_of: Vec<Option<usize>>,
    /// Expected count of each bin.
    pub expected: Vec<f64>,
}

impl Binning {
    /// Bins `n` draws over categories of probabilities `probs`.
    pub fn new(probs: &[f64], n: usize) -> Binning {
        let n = n as f64;
        let mut bin_of = vec![None; probs.len()];
        let mut expected: Vec<f64> = Vec::new();
        let mut open = 0.0;
        let mut open_members: Vec<usize> = Vec::new();
        for (c, &p) in probs.iter().enumerate() {
            if p <= 0.0 {
                continue;
            }
            open += p * n;
            open_members.push(c);
            if open >= MIN_EXPECTED {
                for &m in &open_members {
                    bin_of[m] = Some(expected.len());
                }
                expected.push(open);
                open = 0.0;
                open_members.clear();
            }
        }
        if !open_members.is_empty() {
            // A short last bin joins the previous one (or is the only bin).
            let target = expected.len().saturating_sub(1);
            if expected.is_empty() {
                expected.push(0.0);
            }
            expected[target] += open;
            for m in open_members {
                bin_of[m] = Some(target);
            }
        }
        Binning { bin_of, expected }
    }

    /// Degrees of freedom (bins - 1; 0 when at most one bin).
    pub fn df(&self) -> usize {
        self.expected.len().saturating_sub(1)
    }

    /// `sum (O - E)^2 / E` over bins, from per-category observed counts.
    pub fn statistic(&self, observed: &[u64]) -> f64 {
        let mut o = vec![0.0; self.expected.len()];
        for (c, &k) in observed.iter().enumerate() {
            if let Some(Some(b)) = self.bin_of.get(c) {
                o[*b] += k as f64;
            }
        }
        o.iter()
            .zip(&self.expected)
            .map(|(o, e)| (o - e) * (o - e) / e)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::Binning;

    #[test]
    fn fair_die() {
        // 60 rolls, 10 expected per face; observed 5, 15, 10, 10, 10, 10:
        // X2 = (25 + 25) / 10 = 5.
        let b = Binning::new(&[1.0 / 6.0; 6], 60);
        assert_eq!(b.df(), 5);
        let x2 = b.statistic(&[5, 15, 10, 10, 10, 10]);
        assert!((x2 - 5.0).abs() < 1e-9, "{x2}");
    }

    #[test]
    fn small_bins_merge_and_zero_bins_vanish() {
        // n = 10: expected 4, 0, 4, 1, 1 -> bins {0, 2} (8), {3, 4} (2) joins -> one bin.
        let b = Binning::new(&[0.4, 0.0, 0.4, 0.1, 0.1], 10);
        assert_eq!(b.bin_of, vec![Some(0), None, Some(0), Some(0), Some(0)]);
        assert_eq!(b.df(), 0);
        // n = 100: 40 | 0 | 40 | 10 | 10 -> four bins.
        let b = Binning::new(&[0.4, 0.0, 0.4, 0.1, 0.1], 100);
        assert_eq!(b.df(), 3);
        // A short tail joins the last full bin.
        let b = Binning::new(&[0.5, 0.49, 0.01], 100);
        assert_eq!(b.bin_of, vec![Some(0), Some(1), Some(1)]);
        assert!((b.expected[1] - 50.0).abs() < 1e-9);
    }

    #[test]
    fn a_loaded_die_fails_a_fair_die_test() {
        // 6000 rolls where six comes up twice as often as each other face.
        let b = Binning::new(&[1.0 / 6.0; 6], 6000);
        let x2 = b.statistic(&[857, 857, 857, 857, 857, 1715]);
        // chi2.isf(1e-6, 5) = 35.888...
        assert!(x2 > 35.9, "{x2}");
    }
}
