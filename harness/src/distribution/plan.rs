//! Plans a distribution check from its case's call, before anything runs: the
//! output shape the law implies, the draws and bins, and the key of the
//! critical value the check needs (so `kconform check` can find a missing one).
//!
//! Where each law reads its sample size:
//! - samplers (`normal`, `uniform`, `truncated_normal`, `gamma`, `beta`,
//!   `binomial`, `discrete_uniform`): the call's `shape` (first positional);
//! - `categorical`: one row per row of the law's `logits`, `num_samples`
//!   (second positional) draws per row;
//! - `bernoulli_mask`: the call's `inputs` (first positional) and `noise_shape`
//!   (third positional): one draw per mask unit;
//! - `permutation`: the call's `x` (first positional) and `axis` (second
//!   positional, default 0): one draw (where the lane's element 0 lands) per lane.

use std::collections::BTreeMap;

use kconform_api::{Tensor, Value};

use super::chi_square::Binning;
use super::critical::CriticalKey;
use super::law::{softmax, Law, Test};
use super::DistributionSpec;

/// How the output's elements are read as draws.
#[derive(Clone, Debug, PartialEq)]
pub enum Layout {
    /// Every element is one draw of the law.
    Samples,
    /// Row `r` holds draws of `softmax(logits[r])`.
    Rows,
    /// Dropout of `input`, one draw per unit of `mask` (the noise shape,
    /// aligned to the input's rank).
    Mask {
        /// The input's elements.
        input: Vec<f64>,
        /// The mask's shape, same rank as the input.
        mask: Vec<usize>,
    },
    /// A shuffle of `input` along `axis`.
    Permutation {
        /// The input's elements.
        input: Vec<f64>,
        /// The shuffled axis (non-negative).
        axis: usize,
    },
}

/// What a check expects of the output, fixed when the case loads.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The output's shape.
    pub shape: Vec<usize>,
    /// How the output's elements are read.
    pub layout: Layout,
    /// Number of draws tested (KS `n`; chi-square draws over all groups).
    pub draws: usize,
    /// Chi-square: the value of category 0 of a sampler law (binomial 0,
    /// discrete_uniform `minval`).
    pub first: i64,
    /// Chi-square: one binning per group (one per categorical row, else one).
    pub binnings: Vec<Binning>,
    /// The critical value needed; `None` when the bins leave nothing to test
    /// (one bin: only the support is checked).
    pub key: Option<CriticalKey>,
}

fn arg<'a>(
    args: &'a [Value],
    kwargs: &'a BTreeMap<String, Value>,
    index: usize,
    name: &str,
) -> Option<&'a Value> {
    kwargs.get(name).or_else(|| args.get(index))
}

fn dims(v: &Value, what: &str) -> Result<Vec<usize>, String> {
    let one = |v: &Value| match v {
        Value::Int(i) => usize::try_from(*i).map_err(|_| format!("{what}: negative dimension {i}")),
        other => Err(format!(
            "{what}: expected an integer, found a {}",
            other.kind()
        )),
    };
    match v {
        Value::Tuple(items) | Value::List(items) => items.iter().map(one).collect(),
        other => one(other).map(|d| vec![d]),
    }
}

fn tensor<'a>(v: Option<&'a Value>, what: &str) -> Result<&'a Tensor, String> {
    match v {
        Some(Value::Tensor(t)) => Ok(t),
        Some(other) => Err(format!("{what} must be a tensor, found a {}", other.kind())),
        None => Err(format!("the call has no {what}")),
    }
}

/// Plans `spec` against the call `(args, kwargs)`.
pub fn plan(
    spec: &DistributionSpec,
    args: &[Value],
    kwargs: &BTreeMap<String, Value>,
) -> Result<Plan, String> {
    spec.law.validate()?;
    if spec.test != spec.law.test() {
        return Err(format!(
            "law `{}` is tested with `{}`, not `{}`",
            spec.law.name(),
            spec.law.test().name(),
            spec.test.name()
        ));
    }
    if !(spec.alpha > 0.0 && spec.alpha < 1.0) {
        return Err(format!("`alpha` must be in (0, 1), got {}", spec.alpha));
    }
    let (shape, layout, groups) = match &spec.law {
        Law::Categorical { logits } => categorical(logits, args, kwargs)?,
        Law::BernoulliMask { rate } => mask(*rate, args, kwargs)?,
        Law::Permutation => permutation(args, kwargs)?,
        law => {
            let shape = dims(
                arg(args, kwargs, 0, "shape").ok_or("the call has no `shape` argument")?,
                "the call's `shape`",
            )?;
            let n = shape
                .iter()
                .try_fold(1usize, |acc, &d| acc.checked_mul(d))
                .ok_or("the call's `shape` has too many elements")?;
            let groups = match law.categories() {
                Some((_, probs)) => vec![(probs, n)],
                None => Vec::new(),
            };
            (shape, Layout::Samples, groups)
        }
    };
    let first = spec.law.categories().map_or(0, |(f, _)| f);
    let draws: usize = if groups.is_empty() {
        shape.iter().product()
    } else {
        groups.iter().map(|(_, n)| n).sum()
    };
    if draws == 0 {
        return Err("the call draws nothing; a distribution check needs at least one draw".into());
    }
    let binnings: Vec<Binning> = groups.iter().map(|(p, n)| Binning::new(p, *n)).collect();
    let size = match spec.test {
        Test::Ks => draws,
        Test::ChiSquare => binnings.iter().map(Binning::df).sum(),
    };
    let key = (size > 0).then_some(CriticalKey {
        test: spec.test,
        size,
        alpha: spec.alpha,
    });
    Ok(Plan {
        shape,
        layout,
        draws,
        first,
        binnings,
        key,
    })
}

type Planned = (Vec<usize>, Layout, Vec<(Vec<f64>, usize)>);

fn categorical(
    logits: &[Vec<f64>],
    args: &[Value],
    kwargs: &BTreeMap<String, Value>,
) -> Result<Planned, String> {
    let n = match arg(args, kwargs, 1, "num_samples") {
        Some(Value::Int(i)) => usize::try_from(*i).map_err(|_| "negative `num_samples`")?,
        _ => return Err("the call needs an integer `num_samples`".into()),
    };
    if let Some(Value::Tensor(t)) = arg(args, kwargs, 0, "logits") {
        let given: Vec<f64> = t.to_f64_vec();
        let law: Vec<f64> = logits.iter().flatten().copied().collect();
        let classes = logits[0].len();
        let same = t.shape() == [logits.len(), classes]
            && logits.iter().all(|r| r.len() == classes)
            && given
                .iter()
                .zip(&law)
                .all(|(g, l)| (*g as f32) == (*l as f32));
        if !same {
            return Err(format!(
                "the law's logits ({} rows) differ from the call's `logits` tensor (shape {:?})",
                logits.len(),
                t.shape()
            ));
        }
    }
    let groups = logits.iter().map(|row| (softmax(row), n)).collect();
    Ok((vec![logits.len(), n], Layout::Rows, groups))
}

fn mask(rate: f64, args: &[Value], kwargs: &BTreeMap<String, Value>) -> Result<Planned, String> {
    let x = tensor(arg(args, kwargs, 0, "inputs"), "`inputs`")?;
    if !x.dtype().is_float() {
        return Err(format!(
            "`inputs` must be a float tensor, found {}",
            x.dtype()
        ));
    }
    let input = x.to_f64_vec();
    if input.iter().any(|v| *v == 0.0 || !v.is_finite()) {
        return Err(
            "`inputs` must be finite and nonzero everywhere (a zero hides whether it was dropped)"
                .into(),
        );
    }
    let shape = x.shape().to_vec();
    let mask = match arg(args, kwargs, 2, "noise_shape") {
        None | Some(Value::None) => shape.clone(),
        Some(Value::Tuple(items) | Value::List(items)) => {
            if items.len() != shape.len() {
                return Err(format!(
                    "`noise_shape` must have the input's rank {} for a distribution check",
                    shape.len()
                ));
            }
            let mut m = Vec::new();
            for (i, d) in items.iter().enumerate() {
                let d = match d {
                    Value::None => shape[i],
                    other => dims(other, "`noise_shape`")?[0],
                };
                if d != shape[i] && d != 1 {
                    return Err(format!(
                        "`noise_shape` dimension {i} is {d}; it must be 1 or {}",
                        shape[i]
                    ));
                }
                m.push(d);
            }
            m
        }
        Some(other) => {
            return Err(format!(
                "`noise_shape` must be a tuple, found a {}",
                other.kind()
            ))
        }
    };
    let n = mask.iter().product();
    Ok((
        shape,
        Layout::Mask { input, mask },
        vec![(vec![rate, 1.0 - rate], n)],
    ))
}

fn permutation(args: &[Value], kwargs: &BTreeMap<String, Value>) -> Result<Planned, String> {
    let x = tensor(arg(args, kwargs, 0, "x"), "`x`")?;
    let shape = x.shape().to_vec();
    if shape.is_empty() {
        return Err("`x` must have rank >= 1".into());
    }
    let axis = match arg(args, kwargs, 1, "axis") {
        None => 0,
        Some(Value::Int(a)) => *a,
        Some(other) => {
            return Err(format!(
                "`axis` must be an integer, found a {}",
                other.kind()
            ))
        }
    };
    let rank = shape.len() as i64;
    if !(-rank..rank).contains(&axis) {
        return Err(format!("`axis` {axis} is out of range for rank {rank}"));
    }
    let axis = axis.rem_euclid(rank) as usize;
    let input = x.to_f64_vec();
    let len = shape[axis];
    let lanes = lanes(&shape, axis);
    for lane in &lanes {
        let mut v: Vec<u64> = lane.iter().map(|&e| input[e].to_bits()).collect();
        v.sort_unstable();
        v.dedup();
        if v.len() != len || lane.iter().any(|&e| input[e].is_nan()) {
            return Err("`x` needs distinct, non-NaN values along the axis (e.g. arange)".into());
        }
    }
    let count = lanes.len();
    Ok((
        shape,
        Layout::Permutation { input, axis },
        vec![(vec![1.0 / len as f64; len], count)],
    ))
}

/// The row-major element indices of every lane of `shape` along `axis`.
pub(super) fn lanes(shape: &[usize], axis: usize) -> Vec<Vec<usize>> {
    let len = shape[axis];
    let inner: usize = shape[axis + 1..].iter().product();
    let outer: usize = shape[..axis].iter().product();
    let mut out = Vec::with_capacity(outer * inner);
    for o in 0..outer {
        for i in 0..inner {
            out.push((0..len).map(|j| (o * len + j) * inner + i).collect());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kconform_api::DType;

    fn spec(test: Test, law: Law) -> DistributionSpec {
        DistributionSpec {
            test,
            law,
            alpha: 1e-6,
            dtype: None,
        }
    }

    #[test]
    fn sampler_reads_the_shape() {
        let s = spec(
            Test::Ks,
            Law::Normal {
                mean: 0.0,
                stddev: 1.0,
            },
        );
        let p = plan(
            &s,
            &[Value::Tuple(vec![Value::Int(100), Value::Int(3)])],
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(p.shape, vec![100, 3]);
        assert_eq!(p.key.map(|k| k.size), Some(300));
        let e = plan(&s, &[], &BTreeMap::new()).unwrap_err();
        assert!(e.contains("shape"), "{e}");
        let wrong = spec(Test::ChiSquare, s.law.clone());
        assert!(plan(&wrong, &[Value::Int(5)], &BTreeMap::new())
            .unwrap_err()
            .contains("`ks`"));
    }

    #[test]
    fn chi_square_df_comes_from_the_bins() {
        let s = spec(
            Test::ChiSquare,
            Law::Binomial {
                counts: 10,
                probability: 0.3,
            },
        );
        let p = plan(&s, &[Value::Int(20000)], &BTreeMap::new()).unwrap();
        // 20000 * pmf: k = 0..=8 have >= 5 expected; 9 and 10 join 8.
        assert_eq!(p.key.map(|k| k.size), Some(8));
    }

    #[test]
    fn permutation_lanes_and_distinct_values() {
        let t = Tensor::from_scalars(
            DType::Int32,
            vec![3, 4],
            &(0..12)
                .map(kconform_api::tensor::Scalar::Int)
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let s = spec(Test::ChiSquare, Law::Permutation);
        let p = plan(&s, &[Value::Tensor(t.clone())], &BTreeMap::new()).unwrap();
        assert_eq!(p.draws, 4);
        assert_eq!(lanes(&[3, 4], 0)[1], vec![1, 5, 9]);
        assert_eq!(lanes(&[3, 4], 1)[2], vec![8, 9, 10, 11]);
        let same = Tensor::from_scalars(
            DType::Int32,
            vec![2],
            &[
                kconform_api::tensor::Scalar::Int(1),
                kconform_api::tensor::Scalar::Int(1),
            ],
        )
        .unwrap();
        assert!(plan(&s, &[Value::Tensor(same)], &BTreeMap::new())
            .unwrap_err()
            .contains("distinct"));
    }
}
