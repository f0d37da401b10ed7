//! Op families: one op description that expands into the four kinds of case
//! Keras's own op tests have (spec/case-format.md, "Families"):
//!
//! - **correctness**: eager calls on generated inputs, against goldens;
//! - **static shape**: symbolic calls with known dimensions, against goldens;
//! - **dynamic shape**: symbolic calls with `None` dimensions, against goldens;
//! - **dtype**: eager calls for every input dtype (every unordered pair of
//!   dtypes when two inputs vary), checking only the result's shape and dtype
//!   against those real Keras produced.
//!
//! Expansion works on YAML nodes: each generated case is an ordinary case
//! mapping, located at its family, read by the same code as written cases.

use serde_saphyr::Spanned;

use super::forms::{at, At, Fields};
use super::node::Node;

/// The four kinds of case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CaseKind {
    /// Values checked (eager).
    Correctness,
    /// Output shape from symbolic inputs with known dimensions.
    StaticShape,
    /// Output shape from symbolic inputs with unknown (`None`) dimensions.
    DynamicShape,
    /// Output dtype for given input dtypes.
    Dtype,
}

impl CaseKind {
    /// Every kind, in report order.
    pub const ALL: [CaseKind; 4] = [
        CaseKind::Correctness,
        CaseKind::StaticShape,
        CaseKind::DynamicShape,
        CaseKind::Dtype,
    ];

    /// The name used in case files and reports.
    pub fn name(self) -> &'static str {
        match self {
            CaseKind::Correctness => "correctness",
            CaseKind::StaticShape => "static_shape",
            CaseKind::DynamicShape => "dynamic_shape",
            CaseKind::Dtype => "dtype",
        }
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<CaseKind> {
        CaseKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

impl std::fmt::Display for CaseKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Keys of a family mapping.
const FAMILY_KEYS: [&str; 13] = [
    "id",
    "summary",
    "op",
    "behavior",
    "args",
    "kwargs",
    "inputs",
    "shapes",
    "dynamic",
    "value_dtypes",
    "dtypes",
    "int_range",
    "tolerance",
];

/// Dtype sets a family may name instead of listing dtypes.
const DTYPE_SETS: [(&str, &[&str]); 4] = [
    (
        "all",
        &[
            "bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64", "bfloat16",
            "float16", "float32", "float64",
        ],
    ),
    (
        "numeric",
        &[
            "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64", "bfloat16", "float16",
            "float32", "float64",
        ],
    ),
    (
        "int",
        &[
            "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64",
        ],
    ),
    ("float", &["bfloat16", "float16", "float32", "float64"]),
];

type R<T> = Result<T, At>;

/// A node located where `origin` is.
fn located<T>(value: T, origin: &Spanned<Node>) -> Spanned<T> {
    Spanned {
        value,
        referenced: origin.referenced,
        defined: origin.defined,
    }
}

/// A mapping node from `(key, value)` pairs, located at `origin`.
fn map(entries: Vec<(&str, Node)>, origin: &Spanned<Node>) -> Node {
    Node::Map(
        entries
            .into_iter()
            .map(|(k, v)| (located(k.to_string(), origin), located(v, origin)))
            .collect(),
    )
}

fn str_node(s: &str) -> Node {
    Node::Str(s.to_string())
}

/// One tensor input of a family.
struct Input {
    name: String,
    /// Generator keys (without `dtype`); `generate` defaults to `uniform`.
    generator: Vec<(Spanned<String>, Spanned<Node>)>,
    /// A dtype that never varies (indices, labels…).
    fixed_dtype: Option<String>,
}

/// A family, read and checked.
struct Family<'a> {
    node: &'a Spanned<Node>,
    id: String,
    passthrough: Vec<(&'static str, Spanned<Node>)>,
    args: Option<&'a Spanned<Node>>,
    kwargs: Option<&'a Spanned<Node>>,
    inputs: Vec<Input>,
    shapes: Vec<&'a Spanned<Node>>,
    dynamic: Vec<&'a Spanned<Node>>,
    value_dtypes: Vec<String>,
    dtypes: Vec<String>,
    int_range: (i128, i128),
}

/// Expands one family node into case nodes.
pub fn expand(node: &Spanned<Node>) -> R<Vec<Spanned<Node>>> {
    let fam = read_family(node)?;
    let mut cases = Vec::new();
    for dtype in &fam.value_dtypes {
        for (i, shapes) in fam.shapes.iter().enumerate() {
            let id = format!("{}_value_{dtype}_s{i}", fam.id);
            let form = |input: &Input, k: usize| -> R<Node> {
                let d = input.fixed_dtype.as_deref().unwrap_or(dtype);
                Ok(fam.generated(input, shape_of(shapes, &input.name)?, d, seed(i, k), false))
            };
            cases.push(fam.case(&id, CaseKind::Correctness, &form, "golden")?);
        }
    }
    let symbolic_dtype = fam
        .value_dtypes
        .first()
        .cloned()
        .unwrap_or_else(|| "float32".into());
    for (kind, list, tag) in [
        (CaseKind::StaticShape, &fam.shapes, "static"),
        (CaseKind::DynamicShape, &fam.dynamic, "dynamic"),
    ] {
        for (i, shapes) in list.iter().enumerate() {
            let id = format!("{}_{tag}_s{i}", fam.id);
            let form = |input: &Input, _k: usize| -> R<Node> {
                let d = input.fixed_dtype.as_deref().unwrap_or(&symbolic_dtype);
                let shape = shape_of(shapes, &input.name)?;
                Ok(map(
                    vec![(
                        "symbolic",
                        map(
                            vec![("shape", shape.value.clone()), ("dtype", str_node(d))],
                            fam.node,
                        ),
                    )],
                    fam.node,
                ))
            };
            cases.push(fam.case(&id, kind, &form, "golden")?);
        }
    }
    let varying: Vec<&Input> = fam
        .inputs
        .iter()
        .filter(|i| i.fixed_dtype.is_none())
        .collect();
    let combos: Vec<Vec<&str>> = match varying.len() {
        0 => Vec::new(),
        1 => fam.dtypes.iter().map(|d| vec![d.as_str()]).collect(),
        _ => {
            let mut out = Vec::new();
            for (a, da) in fam.dtypes.iter().enumerate() {
                for db in &fam.dtypes[a..] {
                    out.push(vec![da.as_str(), db.as_str()]);
                }
            }
            out
        }
    };
    if let Some(shapes) = fam.shapes.first() {
        for combo in combos {
            let id = format!("{}_dtype_{}", fam.id, combo.join("_"));
            let form = |input: &Input, k: usize| -> R<Node> {
                let d = match &input.fixed_dtype {
                    Some(d) => d.as_str(),
                    None => {
                        let pos = varying
                            .iter()
                            .position(|v| v.name == input.name)
                            .unwrap_or(0);
                        combo.get(pos).copied().unwrap_or(combo[0])
                    }
                };
                Ok(fam.generated(input, shape_of(shapes, &input.name)?, d, seed(0, k), true))
            };
            cases.push(fam.case(&id, CaseKind::Dtype, &form, "golden_spec")?);
        }
    }
    if cases.is_empty() {
        return Err(at(node, "this family generates no case"));
    }
    Ok(cases)
}

/// A deterministic seed per shape set and input.
fn seed(shape_set: usize, input: usize) -> i128 {
    (1000 * (shape_set + 1) + input) as i128
}

fn shape_of<'a>(shapes: &'a Spanned<Node>, name: &str) -> R<&'a Spanned<Node>> {
    let Node::Map(entries) = &shapes.value else {
        return Err(at(shapes, "a shape set maps each input name to a shape"));
    };
    entries
        .iter()
        .find(|(k, _)| k.value == name)
        .map(|(_, v)| v)
        .ok_or_else(|| {
            at(
                shapes,
                format!("this shape set has no shape for input `{name}`"),
            )
        })
}

impl Family<'_> {
    /// A generated tensor form for `input`.
    fn generated(
        &self,
        input: &Input,
        shape: &Spanned<Node>,
        dtype: &str,
        seed: i128,
        for_dtype: bool,
    ) -> Node {
        let own = input
            .generator
            .iter()
            .find(|(k, _)| k.value == "generate")
            .and_then(|(_, v)| match &v.value {
                Node::Str(s) => Some(s.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "uniform".into());
        let varying = input.fixed_dtype.is_none();
        let integer = !is_float(dtype) && dtype != "bool";
        let kind = if dtype == "bool" && own != "bool" {
            "bool".to_string()
        } else if integer
            && ((for_dtype && varying) || matches!(own.as_str(), "uniform" | "normal"))
        {
            "randint".to_string()
        } else {
            own.clone()
        };
        let mut entries: Vec<(Spanned<String>, Spanned<Node>)> = vec![
            (
                located("generate".into(), self.node),
                located(str_node(&kind), self.node),
            ),
            (located("shape".into(), self.node), shape.clone()),
            (
                located("dtype".into(), self.node),
                located(str_node(dtype), self.node),
            ),
        ];
        if kind == own && !(for_dtype && varying && integer) {
            entries.extend(
                input
                    .generator
                    .iter()
                    .filter(|(k, _)| k.value != "generate")
                    .cloned(),
            );
        } else if kind == "randint" {
            entries.push((
                located("low".into(), self.node),
                located(Node::Int(self.int_range.0), self.node),
            ));
            entries.push((
                located("high".into(), self.node),
                located(Node::Int(self.int_range.1), self.node),
            ));
        }
        if kind != "arange" {
            entries.push((
                located("seed".into(), self.node),
                located(Node::Int(seed), self.node),
            ));
        }
        Node::Map(entries)
    }

    /// One case mapping: `args`/`kwargs` with every `{input: NAME}` replaced
    /// by `form(input, index)`.
    fn case(
        &self,
        id: &str,
        kind: CaseKind,
        form: &dyn Fn(&Input, usize) -> R<Node>,
        expect: &str,
    ) -> R<Spanned<Node>> {
        let mut entries = vec![
            (
                located("id".to_string(), self.node),
                located(str_node(id), self.node),
            ),
            (
                located("kind".to_string(), self.node),
                located(str_node(kind.name()), self.node),
            ),
        ];
        if matches!(kind, CaseKind::StaticShape | CaseKind::DynamicShape) {
            entries.push((
                located("mode".to_string(), self.node),
                located(str_node("symbolic"), self.node),
            ));
        }
        for (key, value) in [("args", self.args), ("kwargs", self.kwargs)] {
            if let Some(v) = value {
                entries.push((
                    located(key.to_string(), self.node),
                    self.substitute(v, form)?,
                ));
            }
        }
        entries.push((
            located("expect".to_string(), self.node),
            located(str_node(expect), self.node),
        ));
        for (key, value) in &self.passthrough {
            entries.push((located(key.to_string(), self.node), value.clone()));
        }
        Ok(located(Node::Map(entries), self.node))
    }

    fn substitute(
        &self,
        n: &Spanned<Node>,
        form: &dyn Fn(&Input, usize) -> R<Node>,
    ) -> R<Spanned<Node>> {
        let value = match &n.value {
            Node::Map(entries) if entries.len() == 1 && entries[0].0.value == "input" => {
                let name = match &entries[0].1.value {
                    Node::Str(s) => s,
                    other => {
                        return Err(at(
                            &entries[0].1,
                            format!("`input` names a family input, found {}", other.kind()),
                        ))
                    }
                };
                let (k, input) = self
                    .inputs
                    .iter()
                    .enumerate()
                    .find(|(_, i)| &i.name == name)
                    .ok_or_else(|| at(n, format!("unknown family input `{name}`")))?;
                form(input, k)?
            }
            Node::Map(entries) => Node::Map(
                entries
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.substitute(v, form)?)))
                    .collect::<R<_>>()?,
            ),
            Node::Seq(items) => Node::Seq(
                items
                    .iter()
                    .map(|v| self.substitute(v, form))
                    .collect::<R<_>>()?,
            ),
            other => other.clone(),
        };
        Ok(Spanned {
            value,
            referenced: n.referenced,
            defined: n.defined,
        })
    }
}

fn is_float(d: &str) -> bool {
    matches!(d, "bfloat16" | "float16" | "float32" | "float64")
}

fn read_family(node: &Spanned<Node>) -> R<Family<'_>> {
    let fields = Fields::new(node, &FAMILY_KEYS, "a family")?;
    let get = |k: &str| fields.get(k);
    let id_node =
        get("id").ok_or_else(|| at(node, "a family needs an `id` (the prefix of its case ids)"))?;
    let id = match &id_node.value {
        Node::Str(s)
            if !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') =>
        {
            s.clone()
        }
        _ => return Err(at(id_node, "a family id must match [a-z0-9_]+")),
    };
    let passthrough = ["summary", "op", "behavior", "tolerance"]
        .into_iter()
        .filter_map(|k| get(k).map(|v| (k, v.clone())))
        .collect();
    let inputs_node =
        get("inputs").ok_or_else(|| at(node, "a family needs `inputs` (name -> generator)"))?;
    let Node::Map(input_entries) = &inputs_node.value else {
        return Err(at(
            inputs_node,
            "`inputs` maps each input name to its generator",
        ));
    };
    let mut inputs = Vec::new();
    for (name, spec) in input_entries {
        let generator = match &spec.value {
            Node::Map(e) => e.clone(),
            Node::Null => Vec::new(),
            other => {
                return Err(at(
                    spec,
                    format!(
                        "input `{}` must be a generator mapping, found {}",
                        name.value,
                        other.kind()
                    ),
                ))
            }
        };
        let fixed_dtype = generator
            .iter()
            .find(|(k, _)| k.value == "dtype")
            .map(|(_, v)| match &v.value {
                Node::Str(s) => Ok(s.clone()),
                other => Err(at(
                    v,
                    format!("`dtype` must be a dtype name, found {}", other.kind()),
                )),
            })
            .transpose()?;
        inputs.push(Input {
            name: name.value.clone(),
            generator: generator
                .into_iter()
                .filter(|(k, _)| k.value != "dtype")
                .collect(),
            fixed_dtype,
        });
    }
    let seq = |k: &str| -> R<Vec<&Spanned<Node>>> {
        match get(k) {
            None => Ok(Vec::new()),
            Some(n) => match &n.value {
                Node::Seq(items) => Ok(items.iter().collect()),
                other => Err(at(
                    n,
                    format!("`{k}` must be a sequence, found {}", other.kind()),
                )),
            },
        }
    };
    let shapes = seq("shapes")?;
    if shapes.is_empty() {
        return Err(at(
            node,
            "a family needs `shapes`: at least one shape set (input name -> shape)",
        ));
    }
    let dynamic = seq("dynamic")?;
    for set in shapes.iter().chain(&dynamic) {
        for input in &inputs {
            shape_of(set, &input.name)?;
        }
    }
    let dtype_list = |k: &str, default: &[&str]| -> R<Vec<String>> {
        match get(k) {
            None => Ok(default.iter().map(|s| s.to_string()).collect()),
            Some(n) => match &n.value {
                Node::Str(s) => DTYPE_SETS
                    .iter()
                    .find(|(name, _)| name == s)
                    .map(|(_, set)| set.iter().map(|d| d.to_string()).collect())
                    .ok_or_else(|| at(n, format!("unknown dtype set `{s}`; expected a list or one of: all, numeric, int, float"))),
                Node::Seq(items) => items
                    .iter()
                    .map(|i| match &i.value {
                        Node::Str(s) => Ok(s.clone()),
                        other => Err(at(i, format!("expected a dtype name, found {}", other.kind()))),
                    })
                    .collect(),
                other => Err(at(n, format!("`{k}` must be a list of dtypes or a set name, found {}", other.kind()))),
            },
        }
    };
    let int_range = match get("int_range") {
        None => (1, 4),
        Some(n) => match &n.value {
            Node::Seq(v) if v.len() == 2 => match (&v[0].value, &v[1].value) {
                (Node::Int(a), Node::Int(b)) if a < b => (*a, *b),
                _ => return Err(at(n, "`int_range` is [low, high) with low < high")),
            },
            _ => return Err(at(n, "`int_range` is [low, high)")),
        },
    };
    Ok(Family {
        node,
        id,
        passthrough,
        args: get("args"),
        kwargs: get("kwargs"),
        inputs,
        shapes,
        dynamic,
        value_dtypes: dtype_list("value_dtypes", &["float32"])?,
        dtypes: dtype_list("dtypes", &[])?,
        int_range,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family(yaml: &str) -> Spanned<Node> {
        serde_saphyr::from_str(yaml).expect("test YAML parses")
    }

    fn ids(cases: &[Spanned<Node>]) -> Vec<String> {
        cases
            .iter()
            .filter_map(|c| match &c.value {
                Node::Map(e) => e
                    .iter()
                    .find(|(k, _)| k.value == "id")
                    .and_then(|(_, v)| match &v.value {
                        Node::Str(s) => Some(s.clone()),
                        _ => None,
                    }),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn expands_into_the_four_kinds() {
        let f = family(
            "id: base\nargs: [{input: a}, {input: b}]\ninputs: {a: {generate: normal}, b: {dtype: int32}}\n\
             shapes: [{a: [2, 3], b: [3]}, {a: [4], b: [4]}]\ndynamic: [{a: [null, 3], b: [3]}]\n\
             dtypes: [int8, float16]\n",
        );
        let cases = expand(&f).unwrap();
        assert_eq!(
            ids(&cases),
            [
                "base_value_float32_s0",
                "base_value_float32_s1",
                "base_static_s0",
                "base_static_s1",
                "base_dynamic_s0",
                "base_dtype_int8",
                "base_dtype_float16",
            ]
        );
    }

    #[test]
    fn pairs_when_two_inputs_vary_and_errors_are_located() {
        let f = family(
            "id: p\nargs: [{input: a}, {input: b}]\ninputs: {a: null, b: null}\nshapes: [{a: [2], b: [2]}]\n\
             value_dtypes: []\ndtypes: [bool, int8, float32]\n",
        );
        assert_eq!(
            expand(&f).unwrap().len(),
            7,
            "one static case and the 6 unordered pairs (repeats included) of 3 dtypes"
        );
        let bad = family("id: q\nargs: [{input: a}]\ninputs: {a: null}\nshapes: [{b: [2]}]\n");
        let err = expand(&bad).unwrap_err();
        assert!(
            err.message.contains("no shape for input `a`"),
            "{}",
            err.message
        );
        assert_eq!(err.line, 4);
        let unknown = family("id: r\nargs: [{input: z}]\ninputs: {a: null}\nshapes: [{a: [2]}]\n");
        assert!(expand(&unknown)
            .unwrap_err()
            .message
            .contains("unknown family input `z`"));
    }
}
