//! Interprets YAML nodes as argument forms, expectations and tolerance layers
//! (spec/case-format.md), with the location of whatever is wrong.

use std::collections::BTreeMap;
use std::path::Path;

use kconform_api::tensor::Scalar;
use kconform_api::{DType, Tensor, TensorSpec, Value};
use serde_saphyr::Spanned;

use super::generate::{Generated, Generator};
use super::model::Expectation;
use super::node::Node;
use crate::tolerance::{TolerancePart, TolerancePatch};

/// An error at a line and column of the file being read.
#[derive(Debug, Clone, PartialEq)]
pub struct At {
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// What is wrong and what was expected.
    pub message: String,
}

type R<T> = Result<T, At>;

/// An error located at node `n`.
pub(super) fn at<T>(n: &Spanned<T>, message: impl Into<String>) -> At {
    At {
        line: n.referenced.line(),
        column: n.referenced.column(),
        message: message.into(),
    }
}

/// A mapping's entries by key, rejecting keys outside `allowed`.
pub(super) struct Fields<'a> {
    entries: &'a [(Spanned<String>, Spanned<Node>)],
    owner: &'a Spanned<Node>,
}

impl<'a> Fields<'a> {
    /// Checks that `owner` is a mapping whose keys are all in `allowed`.
    pub(super) fn new(owner: &'a Spanned<Node>, allowed: &[&str], what: &str) -> R<Self> {
        let Node::Map(entries) = &owner.value else {
            return Err(at(
                owner,
                format!("expected {what} (a mapping), found {}", owner.value.kind()),
            ));
        };
        for (k, _) in entries {
            if !allowed.contains(&k.value.as_str()) {
                return Err(at(
                    k,
                    format!(
                        "unknown key `{}` in {what}; expected one of: {}",
                        k.value,
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(Fields { entries, owner })
    }

    /// The value of `key`, if present.
    pub(super) fn get(&self, key: &str) -> Option<&'a Spanned<Node>> {
        self.entries
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(_, v)| v)
    }

    pub(super) fn require(&self, key: &str, what: &str) -> R<&'a Spanned<Node>> {
        self.get(key)
            .ok_or_else(|| at(self.owner, format!("{what} needs the key `{key}`")))
    }
}

pub(super) fn dtype_of(n: &Spanned<Node>) -> R<DType> {
    match &n.value {
        Node::Str(s) => s
            .parse()
            .map_err(|e: kconform_api::dtype::UnknownDType| at(n, e.to_string())),
        other => Err(at(
            n,
            format!("expected a dtype name, found {}", other.kind()),
        )),
    }
}

pub(super) fn float_of(n: &Spanned<Node>) -> R<f64> {
    match n.value {
        Node::Int(i) => Ok(i as f64),
        Node::Float(f) => Ok(f),
        ref other => Err(at(n, format!("expected a number, found {}", other.kind()))),
    }
}

pub(super) fn int_of(n: &Spanned<Node>) -> R<i64> {
    match n.value {
        Node::Int(i) => i64::try_from(i).map_err(|_| at(n, "integer out of range")),
        ref other => Err(at(
            n,
            format!("expected an integer, found {}", other.kind()),
        )),
    }
}

fn shape_of(n: &Spanned<Node>) -> R<Vec<usize>> {
    let Node::Seq(items) = &n.value else {
        return Err(at(
            n,
            format!(
                "expected a shape (a sequence of sizes), found {}",
                n.value.kind()
            ),
        ));
    };
    items
        .iter()
        .map(|d| match d.value {
            Node::Int(i) if i >= 0 => usize::try_from(i).map_err(|_| at(d, "dimension too large")),
            _ => Err(at(d, "expected a non-negative integer dimension")),
        })
        .collect()
}

fn dims_of(n: &Spanned<Node>) -> R<Vec<Option<usize>>> {
    let Node::Seq(items) = &n.value else {
        return Err(at(
            n,
            format!("expected a shape (sizes or null), found {}", n.value.kind()),
        ));
    };
    items
        .iter()
        .map(|d| match d.value {
            Node::Null => Ok(None),
            Node::Int(i) if i >= 0 => usize::try_from(i)
                .map(Some)
                .map_err(|_| at(d, "dimension too large")),
            _ => Err(at(d, "expected a non-negative integer dimension or null")),
        })
        .collect()
}

/// Flattens nested tensor data, checking it is rectangular; returns the shape.
fn flatten(n: &Spanned<Node>, out: &mut Vec<Scalar>) -> R<Vec<usize>> {
    match &n.value {
        Node::Bool(b) => {
            out.push(Scalar::Bool(*b));
            Ok(vec![])
        }
        Node::Int(i) => {
            out.push(Scalar::Int(*i));
            Ok(vec![])
        }
        Node::Float(f) => {
            out.push(Scalar::Float(*f));
            Ok(vec![])
        }
        Node::Seq(items) => {
            let mut inner: Option<Vec<usize>> = None;
            for item in items {
                let s = flatten(item, out)?;
                match &inner {
                    None => inner = Some(s),
                    Some(prev) if *prev != s => {
                        return Err(at(
                            item,
                            format!(
                            "ragged tensor data: this row has shape {s:?}, earlier rows {prev:?}"
                        ),
                        ))
                    }
                    Some(_) => {}
                }
            }
            let mut shape = vec![items.len()];
            shape.extend(inner.unwrap_or_default());
            Ok(shape)
        }
        other => Err(at(
            n,
            format!(
                "expected tensor data (numbers, booleans or nested sequences), found {}",
                other.kind()
            ),
        )),
    }
}

/// Reads YAML as Python values; `.npy` paths are relative to `dir`.
pub struct FormReader<'a> {
    /// Directory of the case file.
    pub dir: &'a Path,
}

const FORM_KEYS: [&str; 7] = [
    "tensor", "generate", "npy", "tuple", "dict", "symbolic", "ref",
];

impl FormReader<'_> {
    /// An argument form (spec/case-format.md, "Argument forms").
    pub fn value(&self, n: &Spanned<Node>) -> R<Value> {
        match &n.value {
            Node::Null => Ok(Value::None),
            Node::Bool(b) => Ok(Value::Bool(*b)),
            Node::Int(i) => i64::try_from(*i)
                .map(Value::Int)
                .map_err(|_| at(n, "Python int argument out of the int64 range")),
            Node::Float(f) => Ok(Value::Float(*f)),
            Node::Str(s) => Ok(Value::Str(s.clone())),
            Node::Seq(items) => items
                .iter()
                .map(|i| self.value(i))
                .collect::<R<_>>()
                .map(Value::List),
            Node::Map(entries) => {
                let form = entries
                    .iter()
                    .find(|(k, _)| FORM_KEYS.contains(&k.value.as_str()))
                    .map(|(k, _)| k.value.as_str());
                match form {
                    Some("tensor") => self.tensor(n),
                    Some("generate") => self.generated(n),
                    Some("npy") => self.npy(n),
                    Some("symbolic") => self.symbolic(n),
                    Some("ref") => {
                        let f = Fields::new(n, &["ref"], "a reference (in a program step)")?;
                        match &f.require("ref", "a reference")?.value {
                            Node::Str(name) => Ok(Value::Ref(name.clone())),
                            other => Err(at(
                                n,
                                format!("`ref` takes a binding's name, found {}", other.kind()),
                            )),
                        }
                    }
                    Some("tuple") => {
                        let f = Fields::new(n, &["tuple"], "a tuple form")?;
                        match &f.require("tuple", "a tuple form")?.value {
                            Node::Seq(items) => items
                                .iter()
                                .map(|i| self.value(i))
                                .collect::<R<_>>()
                                .map(Value::Tuple),
                            other => Err(at(
                                n,
                                format!("`tuple` takes a sequence, found {}", other.kind()),
                            )),
                        }
                    }
                    Some("dict") => {
                        let f = Fields::new(n, &["dict"], "a dict form")?;
                        let d = f.require("dict", "a dict form")?;
                        let Node::Map(entries) = &d.value else {
                            return Err(at(
                                d,
                                format!("`dict` takes a mapping, found {}", d.value.kind()),
                            ));
                        };
                        let mut out = BTreeMap::new();
                        for (k, v) in entries {
                            out.insert(k.value.clone(), self.value(v)?);
                        }
                        Ok(Value::Dict(out))
                    }
                    _ => Err(at(
                        n,
                        format!(
                            "a mapping argument must be one of the forms {}; found keys: {}",
                            FORM_KEYS.map(|k| format!("`{k}`")).join(", "),
                            entries
                                .iter()
                                .map(|(k, _)| k.value.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )),
                }
            }
        }
    }

    fn tensor(&self, n: &Spanned<Node>) -> R<Value> {
        let f = Fields::new(n, &["tensor", "dtype", "shape"], "a tensor form")?;
        let dtype = dtype_of(f.require("dtype", "a tensor form")?)?;
        let data = f.require("tensor", "a tensor form")?;
        let mut scalars = Vec::new();
        let nested = flatten(data, &mut scalars)?;
        let shape = match f.get("shape") {
            Some(s) => {
                let shape = shape_of(s)?;
                let want: usize = shape.iter().product();
                if want != scalars.len() {
                    return Err(at(
                        s,
                        format!(
                            "shape {shape:?} needs {want} elements but the data has {}",
                            scalars.len()
                        ),
                    ));
                }
                shape
            }
            None => nested,
        };
        Tensor::from_scalars(dtype, shape, &scalars)
            .map(Value::Tensor)
            .map_err(|e| at(data, e.to_string()))
    }

    fn generated(&self, n: &Spanned<Node>) -> R<Value> {
        let keys = [
            "generate", "shape", "dtype", "seed", "low", "high", "mean", "std", "start", "step",
            "p",
        ];
        let f = Fields::new(n, &keys, "a generate form")?;
        let kind_node = f.require("generate", "a generate form")?;
        let Node::Str(kind) = &kind_node.value else {
            return Err(at(
                kind_node,
                "expected a generator name: uniform, normal, randint, arange or bool",
            ));
        };
        let num = |k: &str, d: f64| f.get(k).map(float_of).unwrap_or(Ok(d));
        let (gen, params): (Generator, &[&str]) = match kind.as_str() {
            "uniform" => (Generator::Uniform { low: num("low", 0.0)?, high: num("high", 1.0)? }, &["low", "high"]),
            "normal" => (Generator::Normal { mean: num("mean", 0.0)?, std: num("std", 1.0)? }, &["mean", "std"]),
            "randint" => {
                let low = f.get("low").map(int_of).unwrap_or(Ok(0))?;
                let high = f.get("high").map(int_of).unwrap_or(Ok(10))?;
                if high <= low {
                    return Err(at(n, format!("randint needs high > low (got low={low}, high={high})")));
                }
                (Generator::Randint { low, high }, &["low", "high"])
            }
            "arange" => (Generator::Arange { start: num("start", 0.0)?, step: num("step", 1.0)? }, &["start", "step"]),
            "bool" => (Generator::Bool { p: num("p", 0.5)? }, &["p"]),
            other => return Err(at(kind_node, format!("unknown generator `{other}`; expected uniform, normal, randint, arange or bool"))),
        };
        for (k, _) in f.entries {
            let common = ["generate", "shape", "dtype", "seed"].contains(&k.value.as_str());
            if !common && !params.contains(&k.value.as_str()) {
                return Err(at(
                    k,
                    format!(
                        "`{}` is not a parameter of the `{kind}` generator (it takes {})",
                        k.value,
                        params.join(", ")
                    ),
                ));
            }
        }
        let seed = match (kind.as_str(), f.get("seed")) {
            ("arange", Some(s)) => return Err(at(s, "the arange generator takes no seed")),
            ("arange", None) => 0,
            (_, Some(s)) => {
                u64::try_from(int_of(s)?).map_err(|_| at(s, "seed must be non-negative"))?
            }
            (_, None) => return Err(at(n, format!("the `{kind}` generator needs a `seed`"))),
        };
        let shape = shape_of(f.require("shape", "a generate form")?)?;
        let dtype = dtype_of(f.require("dtype", "a generate form")?)?;
        let count = shape.iter().product();
        let scalars: Vec<Scalar> = gen
            .generate(count, seed)
            .into_iter()
            .map(|g| match g {
                Generated::Float(x) if dtype.is_integer() => Scalar::Int(x.round() as i128),
                Generated::Float(x) => Scalar::Float(x),
                Generated::Int(i) => Scalar::Int(i.into()),
                Generated::Bool(b) => Scalar::Bool(b),
            })
            .collect();
        Tensor::from_scalars(dtype, shape, &scalars)
            .map(Value::Tensor)
            .map_err(|e| at(n, format!("generated values do not fit: {e}")))
    }

    fn npy(&self, n: &Spanned<Node>) -> R<Value> {
        let f = Fields::new(n, &["npy", "dtype"], "an npy form")?;
        let p = f.require("npy", "an npy form")?;
        let Node::Str(rel) = &p.value else {
            return Err(at(p, "expected a path to a .npy file"));
        };
        let declared = f.get("dtype").map(dtype_of).transpose()?;
        let path = self.dir.join(rel);
        let bytes = std::fs::read(&path)
            .map_err(|e| at(p, format!("cannot read {}: {e}", path.display())))?;
        kconform_api::npy::decode(&bytes, declared)
            .map(Value::Tensor)
            .map_err(|e| at(p, format!("{}: {e}", path.display())))
    }

    fn symbolic(&self, n: &Spanned<Node>) -> R<Value> {
        let f = Fields::new(n, &["symbolic"], "a symbolic form")?;
        let inner = f.require("symbolic", "a symbolic form")?;
        let g = Fields::new(inner, &["shape", "dtype"], "a symbolic tensor")?;
        Ok(Value::Spec(TensorSpec {
            shape: dims_of(g.require("shape", "a symbolic tensor")?)?,
            dtype: dtype_of(g.require("dtype", "a symbolic tensor")?)?,
        }))
    }

    /// An expectation (spec/case-format.md, "Expectations").
    pub fn expectation(&self, n: &Spanned<Node>) -> R<Expectation> {
        match &n.value {
            Node::Str(s) if s == "golden" => Ok(Expectation::Golden),
            Node::Str(s) if s == "golden_spec" => Ok(Expectation::GoldenSpec),
            Node::Map(entries) if entries.iter().any(|(k, _)| k.value == "value") => {
                let f = Fields::new(n, &["value"], "a value expectation")?;
                Ok(Expectation::Value(self.value(f.require("value", "a value expectation")?)?))
            }
            Node::Map(entries) if entries.iter().any(|(k, _)| k.value == "error") => {
                Fields::new(n, &["error"], "an error expectation")?;
                let e = Fields::new(&entries[0].1, &["type", "message"], "`error`")?;
                let kind = match &e.require("type", "`error`")?.value {
                    Node::Str(s) if !s.is_empty() => s.clone(),
                    _ => return Err(at(&entries[0].1, "`error.type` must be a Python exception name")),
                };
                let message = match e.get("message") {
                    None => None,
                    Some(m) => match &m.value {
                        Node::Str(s) => Some(s.clone()),
                        other => return Err(at(m, format!("`error.message` must be a string, found {}", other.kind()))),
                    },
                };
                Ok(Expectation::Error { kind, message })
            }
            Node::Map(entries) if entries.iter().any(|(k, _)| k.value == "outputs") => {
                let f = Fields::new(n, &["outputs"], "an outputs expectation")?;
                let o = Fields::new(f.require("outputs", "an outputs expectation")?, &["same", "differ"], "`outputs`")?;
                let pairs = |key: &str| -> R<Vec<(usize, usize)>> {
                    let Some(list) = o.get(key) else { return Ok(Vec::new()) };
                    let Node::Seq(items) = &list.value else {
                        return Err(at(list, format!("`{key}` takes a list of index pairs like [0, 1]")));
                    };
                    items
                        .iter()
                        .map(|pair| match &pair.value {
                            Node::Seq(ij) if ij.len() == 2 => {
                                let idx = |n: &Spanned<Node>| -> R<usize> {
                                    usize::try_from(int_of(n)?).map_err(|_| at(n, "an output index is >= 0"))
                                };
                                Ok((idx(&ij[0])?, idx(&ij[1])?))
                            }
                            _ => Err(at(pair, format!("`{key}` takes pairs of output indices like [0, 1]"))),
                        })
                        .collect()
                };
                let (same, differ) = (pairs("same")?, pairs("differ")?);
                if same.is_empty() && differ.is_empty() {
                    return Err(at(n, "`outputs` needs `same` or `differ` pairs"));
                }
                Ok(Expectation::Outputs { same, differ })
            }
            Node::Map(_) => {
                let f = Fields::new(n, &["shape", "dtype"], "a shape/dtype expectation")?;
                Ok(Expectation::Spec {
                    shape: dims_of(f.require("shape", "a shape/dtype expectation")?)?,
                    dtype: dtype_of(f.require("dtype", "a shape/dtype expectation")?)?,
                })
            }
            other => Err(at(
                n,
                format!("expected `golden`, `golden_spec`, {{value: ...}}, {{error: {{type, message}}}}, {{outputs: {{same, differ}}}} or {{shape, dtype}}; found {}", other.kind()),
            )),
        }
    }
}

fn tolerance_part(n: &Spanned<Node>) -> R<TolerancePart> {
    let f = Fields::new(n, &["atol", "rtol", "ulp"], "a tolerance")?;
    let nonneg = |k: &str| -> R<Option<f64>> {
        match f.get(k) {
            None => Ok(None),
            Some(v) => {
                let x = float_of(v)?;
                if x.is_finite() && x >= 0.0 {
                    Ok(Some(x))
                } else {
                    Err(at(v, format!("`{k}` must be a finite number >= 0")))
                }
            }
        }
    };
    let ulp = match f.get("ulp") {
        None => None,
        Some(v) => Some(u64::try_from(int_of(v)?).map_err(|_| at(v, "`ulp` must be >= 0"))?),
    };
    Ok(TolerancePart {
        atol: nonneg("atol")?,
        rtol: nonneg("rtol")?,
        ulp,
    })
}

/// A tolerance layer: `{atol, rtol, ulp}` or `{<dtype>: {atol, rtol, ulp}}`.
pub fn tolerance_patch(n: &Spanned<Node>) -> R<TolerancePatch> {
    let Node::Map(entries) = &n.value else {
        return Err(at(
            n,
            format!("expected a tolerance mapping, found {}", n.value.kind()),
        ));
    };
    let flat = entries
        .iter()
        .all(|(k, _)| ["atol", "rtol", "ulp"].contains(&k.value.as_str()));
    if flat {
        return Ok(TolerancePatch {
            all: tolerance_part(n)?,
            ..Default::default()
        });
    }
    let mut patch = TolerancePatch::default();
    for (k, v) in entries {
        let dtype: DType = k.value.parse().map_err(|_| {
            at(
                k,
                format!("`{}` is neither atol/rtol/ulp nor a dtype name", k.value),
            )
        })?;
        patch.per_dtype.insert(dtype, tolerance_part(v)?);
    }
    Ok(patch)
}
