//! Differential runs: the same case on several backends, each against the golden
//! and the backends against each other, naming the outlier.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::differ::{compare, CompareOptions};
use crate::outcome::{Status, TrialRecord};
use crate::tolerance::{Tolerance, TolerancePolicy};

/// Two backends' outputs for one case, compared with each other.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairDiff {
    /// First backend id.
    pub a: String,
    /// Second backend id.
    pub b: String,
    /// True when the outputs agree within the per-dtype default tolerance.
    pub agree: bool,
    /// Largest `|a - b|` over all compared tensors.
    pub max_abs_error: f64,
    /// Largest relative difference (to `b`).
    pub max_rel_error: f64,
    /// Largest ulp distance.
    pub max_ulp: u64,
    /// Why they could not be compared, or how they differ structurally.
    pub note: Option<String>,
}

/// One case across backends.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseDiff {
    /// Case name, e.g. `ops::absolute::f32_specials`.
    pub case: String,
    /// Each backend's status against the expectation.
    pub statuses: BTreeMap<String, Status>,
    /// Every pair of backends.
    pub pairs: Vec<PairDiff>,
    /// The backend that departs from the rest, when one does.
    pub outlier: Option<String>,
}

impl CaseDiff {
    /// Why the backends that ran this case (pass, fail or error, not
    /// skipped or unsupported) disagree, if they do: different statuses, or
    /// a pair whose outputs or exceptions differ.
    pub fn disagreement(&self) -> Option<String> {
        let ran = |b: &str| {
            self.statuses
                .get(b)
                .is_some_and(|s| matches!(s, Status::Pass | Status::Fail | Status::Error))
        };
        let statuses: Vec<String> = self
            .statuses
            .iter()
            .filter(|(b, _)| ran(b))
            .map(|(b, s)| format!("{b}={}", s.name()))
            .collect();
        let mut seen = self.statuses.iter().filter(|(b, _)| ran(b)).map(|(_, s)| s);
        let first = seen.next();
        if !seen.all(|s| Some(s) == first) {
            return Some(statuses.join(" "));
        }
        self.pairs
            .iter()
            .find(|p| !p.agree && ran(&p.a) && ran(&p.b))
            .map(|p| {
                format!(
                    "{} vs {}: {}",
                    p.a,
                    p.b,
                    p.note.clone().unwrap_or_else(|| format!(
                        "max abs {:e}, max ulp {}",
                        p.max_abs_error, p.max_ulp
                    ))
                )
            })
    }

    /// True when all statuses are equal and every pair agrees.
    pub fn consistent(&self) -> bool {
        let mut s = self.statuses.values();
        let first = s.next();
        s.all(|x| Some(x) == first) && self.pairs.iter().all(|p| p.agree)
    }
}

fn pair(a: &TrialRecord, b: &TrialRecord, policy: &TolerancePolicy) -> PairDiff {
    let mut d = PairDiff {
        a: a.backend.clone(),
        b: b.backend.clone(),
        agree: false,
        max_abs_error: 0.0,
        max_rel_error: 0.0,
        max_ulp: 0,
        note: None,
    };
    if a.expectation == "distribution" || a.expectation == "outputs" {
        // Draws of a law, or relations between a program's own outputs
        // (unseeded draws included): backends on different streams rightly differ.
        d.agree = true;
        d.note = Some(format!(
            "{} check: draws are not compared across backends",
            a.expectation
        ));
        return d;
    }
    let (x, y) = match (&a.output, &b.output, &a.raised, &b.raised) {
        (Some(x), Some(y), _, _) => (x, y),
        (_, _, Some((ka, ma)), Some((kb, mb))) => {
            d.agree = ka == kb;
            d.note = Some(if ka == kb && ma == mb {
                format!("both raise {ka}")
            } else if ka == kb {
                format!("both raise {ka}, messages differ")
            } else {
                format!("{} raises {ka}, {} raises {kb}", a.backend, b.backend)
            });
            return d;
        }
        (_, _, Some((k, _)), None) | (_, _, None, Some((k, _)))
            if a.output.is_some() || b.output.is_some() =>
        {
            let raiser = if a.raised.is_some() {
                &a.backend
            } else {
                &b.backend
            };
            d.note = Some(format!("{raiser} raises {k}, the other returns a value"));
            return d;
        }
        _ => {
            let missing = if a.output.is_none() && a.raised.is_none() {
                &a.backend
            } else {
                &b.backend
            };
            d.note = Some(format!("no result from {missing}"));
            return d;
        }
    };
    let tol = |dtype| {
        policy
            .defaults
            .get(&dtype)
            .copied()
            .unwrap_or(Tolerance::default())
    };
    let c = compare(
        x,
        y,
        &CompareOptions {
            tolerance: &tol,
            signed_zero_strict: false,
        },
    );
    for m in &c.metrics {
        d.max_abs_error = d.max_abs_error.max(m.max_abs_error);
        d.max_rel_error = d.max_rel_error.max(m.max_rel_error);
        d.max_ulp = d.max_ulp.max(m.max_ulp);
    }
    d.agree = c.passed();
    if !c.passed() {
        // The differ speaks of "expected" (b) and "got" (a): name the backends instead.
        d.note = c.problems.first().map(|p| {
            p.lines()
                .next()
                .unwrap_or("")
                .replace("expected ", &format!("{} ", b.backend))
                .replace("got ", &format!("{} ", a.backend))
        });
    }
    d
}

fn outlier(statuses: &BTreeMap<String, Status>, pairs: &[PairDiff]) -> Option<String> {
    let bad: Vec<&String> = statuses
        .iter()
        .filter(|(_, s)| matches!(s, Status::Fail | Status::Error))
        .map(|(b, _)| b)
        .collect();
    let good = statuses.values().filter(|s| **s == Status::Pass).count();
    if bad.len() == 1 && good >= 1 {
        return Some(bad[0].clone());
    }
    if statuses.len() < 3 {
        return None;
    }
    // The one backend that disagrees with every other while they all agree.
    let backends: Vec<&String> = statuses.keys().collect();
    let agrees = |x: &str, y: &str| {
        pairs
            .iter()
            .any(|p| p.agree && ((p.a == x && p.b == y) || (p.a == y && p.b == x)))
    };
    let candidates: Vec<&&String> = backends
        .iter()
        .filter(|o| {
            let rest: Vec<&&String> = backends.iter().filter(|b| b != o).collect();
            rest.iter().all(|r| !agrees(o, r))
                && rest
                    .iter()
                    .all(|x| rest.iter().all(|y| x == y || agrees(x, y)))
        })
        .collect();
    (candidates.len() == 1).then(|| candidates[0].to_string())
}

/// Groups `records` by case and compares the backends; one entry per case run
/// on at least two backends, in case order.
pub fn differential(records: &[TrialRecord], policy: &TolerancePolicy) -> Vec<CaseDiff> {
    let mut by_case: BTreeMap<&str, Vec<&TrialRecord>> = BTreeMap::new();
    for r in records {
        by_case.entry(r.case.as_str()).or_default().push(r);
    }
    by_case
        .into_iter()
        .filter(|(_, rs)| rs.len() >= 2)
        .map(|(case, rs)| {
            let statuses: BTreeMap<String, Status> =
                rs.iter().map(|r| (r.backend.clone(), r.status)).collect();
            let mut pairs = Vec::new();
            for i in 0..rs.len() {
                for j in i + 1..rs.len() {
                    pairs.push(pair(rs[i], rs[j], policy));
                }
            }
            let outlier = outlier(&statuses, &pairs);
            CaseDiff {
                case: case.to_string(),
                statuses,
                pairs,
                outlier,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kconform_api::{DType, Tensor, TensorData, Value};

    fn rec(backend: &str, status: Status, v: f32) -> TrialRecord {
        TrialRecord {
            id: format!("ops::x::c::{backend}"),
            case: "ops::x::c".into(),
            backend: backend.into(),
            op: "x".into(),
            behavior: "b".into(),
            expectation: "golden".into(),
            kind: "correctness".into(),
            status,
            message: None,
            metrics: vec![],
            known: None,
            duration: Default::default(),
            output: Some(Value::Tensor(
                Tensor::new(vec![1], TensorData::Float32(vec![v])).unwrap(),
            )),
            raised: None,
        }
    }

    #[test]
    fn names_the_outlier() {
        let mut policy = TolerancePolicy::default();
        policy.defaults.insert(
            DType::Float32,
            Tolerance {
                atol: 0.0,
                rtol: 0.0,
                ulp: 1,
            },
        );
        let d = differential(
            &[
                rec("a", Status::Pass, 1.0),
                rec("b", Status::Pass, 1.0),
                rec("c", Status::Fail, 2.0),
            ],
            &policy,
        );
        assert_eq!(d[0].outlier.as_deref(), Some("c"));
        assert!(!d[0].consistent());
        let ac = d[0]
            .pairs
            .iter()
            .find(|p| p.a == "a" && p.b == "c")
            .unwrap();
        assert_eq!(ac.max_abs_error, 1.0);
        // Without a verdict, the value that disagrees with two agreeing backends is the outlier.
        let d = differential(
            &[
                rec("a", Status::Pass, 1.0),
                rec("b", Status::Pass, 1.0),
                rec("c", Status::Pass, 3.0),
            ],
            &policy,
        );
        assert_eq!(d[0].outlier.as_deref(), Some("c"));
        let d = differential(
            &[rec("a", Status::Pass, 1.0), rec("b", Status::Pass, 1.0)],
            &policy,
        );
        assert!(d[0].consistent() && d[0].outlier.is_none());
    }

    #[test]
    fn disagreement_counts_only_backends_that_ran() {
        let mut policy = TolerancePolicy::default();
        policy.defaults.insert(
            DType::Float32,
            Tolerance {
                atol: 0.0,
                rtol: 0.0,
                ulp: 0,
            },
        );
        let both_fail = differential(
            &[rec("a", Status::Fail, 2.0), rec("b", Status::Fail, 2.0)],
            &policy,
        );
        assert_eq!(both_fail[0].disagreement(), None);
        let skipped = differential(
            &[rec("a", Status::Pass, 1.0), rec("b", Status::Skipped, 1.0)],
            &policy,
        );
        assert_eq!(skipped[0].disagreement(), None);
        let status = differential(
            &[rec("a", Status::Pass, 1.0), rec("b", Status::Fail, 1.0)],
            &policy,
        );
        assert_eq!(status[0].disagreement().as_deref(), Some("a=pass b=fail"));
        let values = differential(
            &[rec("a", Status::Fail, 1.0), rec("b", Status::Fail, 3.0)],
            &policy,
        );
        assert!(values[0].disagreement().unwrap().starts_with("a vs b"));
    }
}
