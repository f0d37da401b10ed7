//! Reads a `distribution:` expectation (spec/case-format.md, "Distribution
//! checks") and plans it against the case's call, with located errors.

use std::collections::BTreeMap;

use kconform_api::Value;
use serde_saphyr::Spanned;

use super::forms::{at, dtype_of, float_of, int_of, At, Fields};
use super::node::Node;
use crate::distribution::plan::plan;
use crate::distribution::{DistributionCheck, DistributionSpec, Law, Test};

type R<T> = Result<T, At>;

/// Every law with the parameters it takes (all required).
const LAWS: [(&str, &[&str]); 10] = [
    ("normal", &["mean", "stddev"]),
    ("uniform", &["minval", "maxval"]),
    ("truncated_normal", &["mean", "stddev"]),
    ("gamma", &["alpha"]),
    ("beta", &["alpha", "beta"]),
    ("binomial", &["counts", "probabilities"]),
    ("discrete_uniform", &["minval", "maxval"]),
    ("categorical", &["logits"]),
    ("bernoulli_mask", &["rate"]),
    ("permutation", &[]),
];

/// True when the expectation node is a `distribution:` mapping.
pub(super) fn is_distribution(n: &Spanned<Node>) -> bool {
    matches!(&n.value, Node::Map(e) if e.iter().any(|(k, _)| k.value == "distribution"))
}

/// Reads the expectation `n` and plans it against `(args, kwargs)`.
pub(super) fn read(
    n: &Spanned<Node>,
    args: &[Value],
    kwargs: &BTreeMap<String, Value>,
) -> R<DistributionCheck> {
    let outer = Fields::new(n, &["distribution"], "a distribution expectation")?;
    let d = outer.require("distribution", "a distribution expectation")?;
    let f = Fields::new(d, &["test", "law", "alpha", "dtype"], "`distribution`")?;
    let test_node = f.require("test", "`distribution`")?;
    let test = match &test_node.value {
        Node::Str(s) => Test::parse(s),
        _ => None,
    }
    .ok_or_else(|| at(test_node, "`test` must be `ks` or `chi_square`"))?;
    let law = law(f.require("law", "`distribution`")?)?;
    let alpha = float_of(f.require("alpha", "`distribution`")?)?;
    let dtype = f.get("dtype").map(dtype_of).transpose()?;
    let spec = DistributionSpec {
        test,
        law,
        alpha,
        dtype,
    };
    let plan = plan(&spec, args, kwargs).map_err(|m| at(d, m))?;
    Ok(DistributionCheck {
        spec,
        plan,
        line: d.referenced.line(),
        column: d.referenced.column(),
    })
}

fn law(n: &Spanned<Node>) -> R<Law> {
    let names: Vec<&str> = LAWS.iter().map(|(l, _)| *l).collect();
    let (name_node, params) = match &n.value {
        Node::Map(entries) if entries.len() == 1 => (&entries[0].0, &entries[0].1),
        _ => {
            return Err(at(
                n,
                format!(
                    "`law` is a mapping with one key, the law's name: {}",
                    names.join(", ")
                ),
            ))
        }
    };
    let name = name_node.value.as_str();
    let Some((_, keys)) = LAWS.iter().find(|(l, _)| *l == name) else {
        return Err(at(
            name_node,
            format!(
                "unknown law `{name}`; expected one of: {}",
                names.join(", ")
            ),
        ));
    };
    if keys.is_empty() {
        return match &params.value {
            Node::Null => Ok(Law::Permutation),
            Node::Map(e) if e.is_empty() => Ok(Law::Permutation),
            _ => Err(at(params, format!("law `{name}` takes no parameters"))),
        };
    }
    let what = format!("law `{name}`");
    let p = Fields::new(params, keys, &what)?;
    let num = |k: &str| float_of(p.require(k, &what)?);
    let law = match name {
        "normal" => Law::Normal {
            mean: num("mean")?,
            stddev: num("stddev")?,
        },
        "uniform" => Law::Uniform {
            minval: num("minval")?,
            maxval: num("maxval")?,
        },
        "truncated_normal" => Law::TruncatedNormal {
            mean: num("mean")?,
            stddev: num("stddev")?,
        },
        "gamma" => Law::Gamma {
            alpha: num("alpha")?,
        },
        "beta" => Law::Beta {
            alpha: num("alpha")?,
            beta: num("beta")?,
        },
        "binomial" => {
            let c = p.require("counts", &what)?;
            Law::Binomial {
                counts: u64::try_from(int_of(c)?)
                    .map_err(|_| at(c, "`counts` must be a non-negative integer"))?,
                probability: num("probabilities")?,
            }
        }
        "discrete_uniform" => Law::DiscreteUniform {
            minval: int_of(p.require("minval", &what)?)?,
            maxval: int_of(p.require("maxval", &what)?)?,
        },
        "categorical" => Law::Categorical {
            logits: logits(p.require("logits", &what)?)?,
        },
        "bernoulli_mask" => Law::BernoulliMask { rate: num("rate")? },
        _ => unreachable!("every name in LAWS is handled"),
    };
    law.validate().map_err(|m| at(params, m))?;
    Ok(law)
}

fn logits(n: &Spanned<Node>) -> R<Vec<Vec<f64>>> {
    let rows = match &n.value {
        Node::Seq(rows) => rows,
        other => {
            return Err(at(
                n,
                format!(
                    "`logits` is a list of rows of numbers, found {}",
                    other.kind()
                ),
            ))
        }
    };
    rows.iter()
        .map(|row| match &row.value {
            Node::Seq(items) => items.iter().map(float_of).collect::<R<Vec<f64>>>(),
            other => Err(at(
                row,
                format!("a logits row is a list of numbers, found {}", other.kind()),
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(yaml: &str) -> Spanned<Node> {
        serde_saphyr::from_str(yaml).unwrap()
    }

    fn shape(n: i64) -> Vec<Value> {
        vec![Value::Tuple(vec![Value::Int(n)])]
    }

    #[test]
    fn reads_a_normal_check() {
        let n = node(
            "distribution:\n  test: ks\n  law: {normal: {mean: 1.0, stddev: 2.0}}\n  alpha: 1.0e-6\n",
        );
        let c = read(&n, &shape(100), &BTreeMap::new()).unwrap();
        assert_eq!(c.spec.test, Test::Ks);
        assert_eq!(c.plan.key.map(|k| k.size), Some(100));
        assert_eq!((c.line, c.column), (2, 3));
    }

    #[test]
    fn located_errors() {
        let cases = [
            (
                "distribution: {test: ks, law: {normals: {}}, alpha: 0.1}",
                "unknown law `normals`",
            ),
            (
                "distribution: {test: ks, law: {normal: {mean: 1}}, alpha: 0.1}",
                "needs the key `stddev`",
            ),
            (
                "distribution: {test: ks, law: {normal: {mean: 1, stddev: 1, x: 2}}, alpha: 0.1}",
                "unknown key `x`",
            ),
            (
                "distribution: {test: kss, law: {normal: {mean: 1, stddev: 1}}, alpha: 0.1}",
                "`ks` or `chi_square`",
            ),
            (
                "distribution: {test: chi_square, law: {normal: {mean: 1, stddev: 1}}, alpha: 0.1}",
                "tested with `ks`",
            ),
            (
                "distribution: {test: ks, law: {gamma: {alpha: -1}}, alpha: 0.1}",
                "`alpha` must be a finite number > 0",
            ),
            (
                "distribution: {test: ks, law: {gamma: {alpha: 1}}}",
                "needs the key `alpha`",
            ),
            (
                "distribution: {test: chi_square, law: {permutation: {}}, alpha: 0.1}",
                "`x` must be a tensor",
            ),
        ];
        for (yaml, want) in cases {
            let e = read(&node(yaml), &shape(10), &BTreeMap::new()).unwrap_err();
            assert!(e.message.contains(want), "{yaml}: {}", e.message);
            assert_eq!(e.line, 1, "{yaml}");
        }
    }
}
