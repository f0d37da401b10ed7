//! Reads an op's output as draws of its law: checks shape, dtype and support,
//! and returns the samples (KS) or per-category counts (chi-square). Any
//! outcome the law cannot produce fails the check here, with the element.

use kconform_api::{DType, Tensor, Value};

use super::law::Law;
use super::plan::{lanes, Layout};
use super::DistributionCheck;

/// The draws of one output.
pub(super) enum Observed {
    /// Continuous samples (KS).
    Samples(Vec<f64>),
    /// Counts per category, one vector per group (chi-square).
    Counts(Vec<Vec<u64>>),
}

fn index_text(shape: &[usize], mut e: usize) -> String {
    let mut idx = vec![0; shape.len()];
    for d in (0..shape.len()).rev() {
        let n = shape[d].max(1);
        idx[d] = e % n;
        e /= n;
    }
    format!("{idx:?}")
}

/// Machine epsilon of a float dtype (relative spacing at 1).
fn epsilon(d: DType) -> f64 {
    d.mantissa_bits().map_or(0.0, |m| 2f64.powi(-(m as i32)))
}

/// Reads `output` as draws of `check`'s law.
pub(super) fn observe(check: &DistributionCheck, output: &Value) -> Result<Observed, String> {
    let Value::Tensor(t) = output else {
        return Err(format!("expected a tensor, got a Python {}", output.kind()));
    };
    let plan = &check.plan;
    if t.shape() != plan.shape.as_slice() {
        return Err(format!(
            "expected shape {:?} for this law, got {:?}",
            plan.shape,
            t.shape()
        ));
    }
    let law = &check.spec.law;
    if let Some(d) = check.spec.dtype {
        if t.dtype() != d {
            return Err(format!("expected dtype {d}, got {}", t.dtype()));
        }
    }
    let needs_float = law.is_continuous() || matches!(law, Law::BernoulliMask { .. });
    if needs_float && !t.dtype().is_float() {
        return Err(format!(
            "{} needs a float output, got {}",
            law.name(),
            t.dtype()
        ));
    }
    if t.dtype() == DType::Bool {
        return Err(format!("{} cannot produce a bool output", law.name()));
    }
    let values = t.to_f64_vec();
    if let Some(e) = values.iter().position(|v| v.is_nan()) {
        return Err(format!(
            "element {} is NaN, which {} never draws",
            index_text(t.shape(), e),
            law.describe()
        ));
    }
    match &plan.layout {
        Layout::Samples if law.is_continuous() => continuous(law, t, values),
        Layout::Samples => {
            let size = plan.binnings[0].bin_of.len();
            let mut counts = vec![0u64; size];
            for (e, v) in values.iter().enumerate() {
                let k = category(*v, plan.first, size)
                    .ok_or_else(|| outside(t, e, *v, &law.describe()))?;
                if plan.binnings[0].bin_of[k].is_none() {
                    return Err(outside(t, e, *v, &law.describe()));
                }
                counts[k] += 1;
            }
            Ok(Observed::Counts(vec![counts]))
        }
        Layout::Rows => {
            let cols = plan.shape[1];
            let mut groups = Vec::new();
            for (r, b) in plan.binnings.iter().enumerate() {
                let mut counts = vec![0u64; b.bin_of.len()];
                for c in 0..cols {
                    let e = r * cols + c;
                    let v = values[e];
                    let k = category(v, 0, counts.len())
                        .filter(|&k| b.bin_of[k].is_some())
                        .ok_or_else(|| {
                            format!(
                                "element {} is class {v}, which row {r}'s logits make impossible",
                                index_text(t.shape(), e)
                            )
                        })?;
                    counts[k] += 1;
                }
                groups.push(counts);
            }
            Ok(Observed::Counts(groups))
        }
        Layout::Mask { input, mask } => dropout(check, t, &values, input, mask),
        Layout::Permutation { input, axis } => permutation(t, &values, input, *axis),
    }
}

fn outside(t: &Tensor, e: usize, v: f64, law: &str) -> String {
    format!(
        "element {} is {v}, outside the support of {law}",
        index_text(t.shape(), e)
    )
}

/// The category of an integral value `v` (`first` is category 0).
fn category(v: f64, first: i64, size: usize) -> Option<usize> {
    if v.fract() != 0.0 || !v.is_finite() {
        return None;
    }
    let k = v - first as f64;
    (k >= 0.0 && k < size as f64).then_some(k as usize)
}

fn continuous(law: &Law, t: &Tensor, values: Vec<f64>) -> Result<Observed, String> {
    let (lo, hi) = law.support();
    // Rounding to the output dtype may put a bound's value a little outside.
    let slack = |b: f64| {
        if b.is_finite() {
            4.0 * epsilon(t.dtype()) * b.abs().max(f64::MIN_POSITIVE)
        } else {
            0.0
        }
    };
    let (lo, hi) = (lo - slack(lo), hi + slack(hi));
    if let Some(e) = values.iter().position(|v| *v < lo || *v > hi) {
        return Err(outside(t, e, values[e], &law.describe()));
    }
    Ok(Observed::Samples(values))
}

fn dropout(
    check: &DistributionCheck,
    t: &Tensor,
    values: &[f64],
    input: &[f64],
    mask: &[usize],
) -> Result<Observed, String> {
    let Law::BernoulliMask { rate } = check.spec.law else {
        return Err("internal: mask layout without a bernoulli_mask law".into());
    };
    let shape = t.shape();
    let eps = epsilon(t.dtype());
    // Per mask unit: None = not seen yet, Some(kept).
    let mut unit: Vec<Option<bool>> = vec![None; mask.iter().product()];
    for (e, (&v, &x)) in values.iter().zip(input).enumerate() {
        // The mask unit of element e: its index with broadcast dims set to 0.
        let mut rem = e;
        let mut m = 0;
        let mut stride = 1;
        for d in (0..shape.len()).rev() {
            let i = rem % shape[d];
            rem /= shape[d];
            if mask[d] != 1 {
                m += i * stride;
            }
            stride *= mask[d];
        }
        let scaled = x / (1.0 - rate);
        let kept = if v == 0.0 {
            false
        } else if (v - scaled).abs() <= 2.0 * eps * scaled.abs() {
            true
        } else {
            return Err(format!(
                "element {} is {v}: neither 0 nor input / (1 - rate) = {scaled}",
                index_text(shape, e)
            ));
        };
        match unit[m] {
            None => unit[m] = Some(kept),
            Some(k) if k != kept => {
                return Err(format!(
                    "element {} is {} but another element of its noise_shape unit is {}: \
                     the mask is not shared along the broadcast dimensions",
                    index_text(shape, e),
                    if kept { "kept" } else { "dropped" },
                    if k { "kept" } else { "dropped" }
                ))
            }
            Some(_) => {}
        }
    }
    let b = &check.plan.binnings[0];
    let mut counts = vec![0u64; 2];
    for kept in unit.into_iter().flatten() {
        let k = usize::from(kept);
        if b.bin_of[k].is_none() {
            return Err(format!(
                "a mask unit was {} although rate={rate} makes that impossible",
                if kept { "kept" } else { "dropped" }
            ));
        }
        counts[k] += 1;
    }
    Ok(Observed::Counts(vec![counts]))
}

fn permutation(t: &Tensor, values: &[f64], input: &[f64], axis: usize) -> Result<Observed, String> {
    let shape = t.shape();
    let mut counts = vec![0u64; shape[axis]];
    for (l, lane) in lanes(shape, axis).iter().enumerate() {
        let mut got: Vec<u64> = lane.iter().map(|&e| values[e].to_bits()).collect();
        let mut want: Vec<u64> = lane.iter().map(|&e| input[e].to_bits()).collect();
        got.sort_unstable();
        want.sort_unstable();
        if got != want {
            return Err(format!(
                "lane {l} along axis {axis} (first element {}) is not a permutation of the input's",
                index_text(shape, lane[0])
            ));
        }
        let first = input[lane[0]].to_bits();
        let pos = lane
            .iter()
            .position(|&e| values[e].to_bits() == first)
            .unwrap_or(0);
        counts[pos] += 1;
    }
    Ok(Observed::Counts(vec![counts]))
}
