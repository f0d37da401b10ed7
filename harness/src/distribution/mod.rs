//! Distribution checks: an op's random output tested against a named law with
//! a fixed seed (spec/case-format.md, "Distribution checks"). Stream
//! independent: every backend is held to them, whatever its bits.
//!
//! A check is planned when its case loads ([`plan::plan`]: expected output
//! shape, bins, the critical value's key), observed on the output
//! ([`observe`]), and judged against a critical value read from
//! `spec/critical-values.yaml` ([`critical`]), never computed here.

pub mod chi_square;
pub mod critical;
pub mod ks;
pub mod law;
mod observe;
pub mod plan;
mod problems;

use kconform_api::{DType, Value};

pub use critical::{CriticalKey, CriticalValues};
pub use law::{Law, Test};
pub use plan::Plan;
pub use problems::problems;

/// A `distribution:` expectation as written.
#[derive(Clone, Debug, PartialEq)]
pub struct DistributionSpec {
    /// The test (must be the law's: `ks` for continuous laws, `chi_square` otherwise).
    pub test: Test,
    /// The law.
    pub law: Law,
    /// False-alarm probability of the check.
    pub alpha: f64,
    /// The output dtype, when the case pins it.
    pub dtype: Option<DType>,
}

/// A distribution expectation, planned against its case's call.
#[derive(Clone, Debug, PartialEq)]
pub struct DistributionCheck {
    /// What the case file says.
    pub spec: DistributionSpec,
    /// What the call implies.
    pub plan: Plan,
    /// Line of the `distribution:` mapping in its file.
    pub line: u64,
    /// Column of the `distribution:` mapping in its file.
    pub column: u64,
}

/// How a check came out.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// True when the output follows the law at this alpha.
    pub passed: bool,
    /// The statistic against its critical value, or why the output cannot
    /// come from the law.
    pub message: String,
}

/// Judges `output` against `check`, the critical value read from `table`.
/// `Err` when the check cannot be judged (no critical value for its key).
pub fn evaluate(
    check: &DistributionCheck,
    output: &Value,
    table: &CriticalValues,
) -> Result<Verdict, String> {
    let fail = |message: String| Verdict {
        passed: false,
        message,
    };
    let observed = match observe::observe(check, output) {
        Ok(o) => o,
        Err(why) => return Ok(fail(why)),
    };
    let law = check.spec.law.describe();
    let (name, stat) = match &observed {
        observe::Observed::Samples(samples) => (
            "KS D",
            ks::statistic(samples, |x| check.spec.law.cdf(x).unwrap_or(f64::NAN)),
        ),
        observe::Observed::Counts(counts) => (
            "chi-square X2",
            check
                .plan
                .binnings
                .iter()
                .zip(counts)
                .map(|(b, c)| b.statistic(c))
                .sum(),
        ),
    };
    let Some(key) = check.plan.key else {
        return Ok(Verdict {
            passed: true,
            message: format!(
                "{law}: every outcome in the only possible bin ({name}={stat:.6}, no test needed)"
            ),
        });
    };
    let critical = table.get(&key).ok_or_else(|| missing(&key))?;
    let size = match key.test {
        Test::Ks => format!("n={}", key.size),
        Test::ChiSquare => format!("df={}, n={}", key.size, check.plan.draws),
    };
    let passed = stat <= critical;
    Ok(Verdict {
        passed,
        message: format!(
            "{name}={stat:.6} {} critical {critical:.6} ({size}, alpha={:e}) for {law}",
            if passed { "<=" } else { ">" },
            key.alpha
        ),
    })
}

/// The message for a key the table lacks.
pub fn missing(key: &CriticalKey) -> String {
    format!(
        "no critical value for {key} in spec/critical-values.yaml \
         (add it to scripts/critical-values.py and regenerate the table)"
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use kconform_api::tensor::Scalar;
    use kconform_api::{DType, Tensor, Value};

    use super::*;
    use crate::case::{Generated, Generator};

    fn table() -> CriticalValues {
        let p =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/critical-values.yaml");
        CriticalValues::load(&p).unwrap()
    }

    fn check(test: Test, law: Law, args: Vec<Value>) -> DistributionCheck {
        let spec = DistributionSpec {
            test,
            law,
            alpha: 1e-6,
            dtype: None,
        };
        let plan = plan::plan(&spec, &args, &BTreeMap::new()).unwrap();
        DistributionCheck {
            spec,
            plan,
            line: 1,
            column: 1,
        }
    }

    fn drawn(g: Generator, n: usize, dtype: DType) -> Value {
        let s: Vec<Scalar> = g
            .generate(n, 7)
            .into_iter()
            .map(|x| match x {
                Generated::Float(f) => Scalar::Float(f),
                Generated::Int(i) => Scalar::Int(i.into()),
                Generated::Bool(b) => Scalar::Bool(b),
            })
            .collect();
        Value::Tensor(Tensor::from_scalars(dtype, vec![n], &s).unwrap())
    }

    fn shape(n: usize) -> Vec<Value> {
        vec![Value::Tuple(vec![Value::Int(n as i64)])]
    }

    #[test]
    fn normal_samples_pass_and_uniform_ones_fail() {
        let c = check(
            Test::Ks,
            Law::Normal {
                mean: 1.0,
                stddev: 2.0,
            },
            shape(20000),
        );
        let good = drawn(
            Generator::Normal {
                mean: 1.0,
                std: 2.0,
            },
            20000,
            DType::Float32,
        );
        let v = evaluate(&c, &good, &table()).unwrap();
        assert!(v.passed, "{}", v.message);
        assert!(v.message.starts_with("KS D="), "{}", v.message);
        // A wrong scale is caught: stddev 2.3 instead of 2.
        let off = drawn(
            Generator::Normal {
                mean: 1.0,
                std: 2.3,
            },
            20000,
            DType::Float32,
        );
        let v = evaluate(&c, &off, &table()).unwrap();
        assert!(
            !v.passed && v.message.contains("> critical 0.019036"),
            "{}",
            v.message
        );
        let wrong = drawn(
            Generator::Uniform {
                low: -3.0,
                high: 5.0,
            },
            20000,
            DType::Float32,
        );
        assert!(!evaluate(&c, &wrong, &table()).unwrap().passed);
    }

    #[test]
    fn discrete_uniform_by_chi_square() {
        let c = check(
            Test::ChiSquare,
            Law::DiscreteUniform {
                minval: 0,
                maxval: 10,
            },
            shape(20000),
        );
        let good = drawn(Generator::Randint { low: 0, high: 10 }, 20000, DType::Int32);
        let v = evaluate(&c, &good, &table()).unwrap();
        assert!(v.passed && v.message.contains("df=9"), "{}", v.message);
        // Skewed: values 0..9 drawn, where 9 never appears (0..9 uniform).
        let skew = drawn(Generator::Randint { low: 0, high: 9 }, 20000, DType::Int32);
        assert!(!evaluate(&c, &skew, &table()).unwrap().passed);
        // Out of the support: a value 10.
        let out = drawn(Generator::Randint { low: 1, high: 11 }, 20000, DType::Int32);
        let v = evaluate(&c, &out, &table()).unwrap();
        assert!(
            !v.passed && v.message.contains("outside the support"),
            "{}",
            v.message
        );
    }

    #[test]
    fn wrong_shape_dtype_and_missing_critical_values() {
        let c = check(Test::Ks, Law::Gamma { alpha: 2.0 }, shape(20000));
        let short = drawn(
            Generator::Uniform {
                low: 0.0,
                high: 1.0,
            },
            100,
            DType::Float32,
        );
        let v = evaluate(&c, &short, &table()).unwrap();
        assert!(
            !v.passed && v.message.contains("expected shape"),
            "{}",
            v.message
        );
        let ints = drawn(Generator::Randint { low: 0, high: 3 }, 20000, DType::Int32);
        let v = evaluate(&c, &ints, &table()).unwrap();
        assert!(
            !v.passed && v.message.contains("needs a float output"),
            "{}",
            v.message
        );
        let odd = check(Test::Ks, Law::Gamma { alpha: 2.0 }, shape(123));
        let sample = drawn(
            Generator::Uniform {
                low: 0.5,
                high: 1.0,
            },
            123,
            DType::Float32,
        );
        let e = evaluate(&odd, &sample, &table()).unwrap_err();
        assert!(e.contains("ks n=123 alpha=1e-6"), "{e}");
    }

    #[test]
    fn dropout_masks() {
        let x = drawn(
            Generator::Uniform {
                low: 1.0,
                high: 2.0,
            },
            20000,
            DType::Float32,
        );
        let Value::Tensor(t) = &x else { unreachable!() };
        let c = check(
            Test::ChiSquare,
            Law::BernoulliMask { rate: 0.25 },
            vec![x.clone()],
        );
        // Every fourth element dropped: exactly the expected fraction.
        let out: Vec<Scalar> = t
            .to_f64_vec()
            .iter()
            .enumerate()
            .map(|(i, v)| Scalar::Float(if i % 4 == 0 { 0.0 } else { v / 0.75 }))
            .collect();
        let out = Value::Tensor(Tensor::from_scalars(DType::Float32, vec![20000], &out).unwrap());
        let v = evaluate(&c, &out, &table()).unwrap();
        assert!(v.passed, "{}", v.message);
        // Kept values not scaled: fails with the element.
        let v = evaluate(&c, &x, &table()).unwrap();
        assert!(
            !v.passed && v.message.contains("neither 0 nor"),
            "{}",
            v.message
        );
        // rate 0: nothing may be dropped, and nothing is tested beyond that.
        let c0 = check(
            Test::ChiSquare,
            Law::BernoulliMask { rate: 0.0 },
            vec![x.clone()],
        );
        assert_eq!(c0.plan.key, None);
        assert!(evaluate(&c0, &x, &table()).unwrap().passed);
        assert!(!evaluate(&c0, &out, &table()).unwrap().passed);
    }

    #[test]
    fn permutations_per_lane_and_whole_rows() {
        // 10 x 2000 arange, shuffled along axis 0.
        let (len, lanes) = (10usize, 2000usize);
        let input: Vec<Scalar> = (0..len * lanes).map(|i| Scalar::Int(i as i128)).collect();
        let x = Tensor::from_scalars(DType::Int32, vec![len, lanes], &input).unwrap();
        let c = check(Test::ChiSquare, Law::Permutation, vec![Value::Tensor(x)]);
        // Each column rotated by its own offset (col % len): uniform landing spots.
        let per_lane: Vec<Scalar> = (0..len * lanes)
            .map(|e| {
                let (r, col) = (e / lanes, e % lanes);
                let src = (r + col) % len;
                Scalar::Int((src * lanes + col) as i128)
            })
            .collect();
        let t = Tensor::from_scalars(DType::Int32, vec![len, lanes], &per_lane).unwrap();
        let v = evaluate(&c, &Value::Tensor(t), &table()).unwrap();
        assert!(v.passed, "{}", v.message);
        // Whole rows moved together (one permutation for every column): fails.
        let rows: Vec<Scalar> = (0..len * lanes)
            .map(|e| {
                let (r, col) = (e / lanes, e % lanes);
                Scalar::Int((((r + 3) % len) * lanes + col) as i128)
            })
            .collect();
        let t = Tensor::from_scalars(DType::Int32, vec![len, lanes], &rows).unwrap();
        let v = evaluate(&c, &Value::Tensor(t), &table()).unwrap();
        assert!(
            !v.passed && v.message.contains("> critical"),
            "{}",
            v.message
        );
        // Not a permutation at all.
        let dup: Vec<Scalar> = (0..len * lanes).map(|_| Scalar::Int(0)).collect();
        let t = Tensor::from_scalars(DType::Int32, vec![len, lanes], &dup).unwrap();
        let v = evaluate(&c, &Value::Tensor(t), &table()).unwrap();
        assert!(v.message.contains("not a permutation"), "{}", v.message);
    }
}
