//! Reads one case file into a [`CaseFile`], isolating each case's errors.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use kconform_api::Value;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::family::{self, CaseKind};
use super::forms::{at, tolerance_patch, At, Fields, FormReader};
use super::model::{BrokenCase, Case, CaseFile, Expectation, Location, Mode};
use super::node::Node;
use super::program::{args_of, kwargs_of, program_of};
use crate::tolerance::TolerancePatch;

/// A located error in a case file: `file:line:col`, the case, and what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{location}: {}{message}", case_id.as_ref().map(|c| format!("case `{c}`: ")).unwrap_or_default())]
pub struct LoadError {
    /// Where.
    pub location: Location,
    /// Which case, when the error is inside one.
    pub case_id: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    op: Spanned<String>,
    behavior: Spanned<String>,
    #[serde(default)]
    tolerance: Option<Spanned<Node>>,
    #[serde(default)]
    stream: Option<Spanned<String>>,
    #[serde(default)]
    cases: Vec<Spanned<Node>>,
    #[serde(default)]
    families: Vec<Spanned<Node>>,
}

const CASE_KEYS: [&str; 12] = [
    "id",
    "summary",
    "op",
    "behavior",
    "mode",
    "kind",
    "args",
    "kwargs",
    "program",
    "expect",
    "tolerance",
    "signed_zero",
];

fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn string_of(n: &Spanned<Node>, what: &str) -> Result<String, At> {
    match &n.value {
        Node::Str(s) => Ok(s.clone()),
        other => Err(At {
            line: n.referenced.line(),
            column: n.referenced.column(),
            message: format!("expected {what} (a string), found {}", other.kind()),
        }),
    }
}

/// Parses and validates a case file. `name` is its trial-name prefix and
/// `behaviors` the known behavior ids (`None`: not checked). A file-level problem (YAML syntax, a
/// missing top-level key) is an `Err`; a problem inside one case only marks that
/// case broken.
pub fn load_file(
    path: &Path,
    name: &str,
    behaviors: Option<&BTreeSet<String>>,
) -> Result<CaseFile, LoadError> {
    let file_err = |line: u64, column: u64, message: String| LoadError {
        location: Location {
            file: path.to_path_buf(),
            line,
            column,
        },
        case_id: None,
        message,
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| file_err(0, 0, format!("cannot read: {e}")))?;
    let mut options = serde_saphyr::Options::default();
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::PassThrough;
    let raw: RawFile = serde_saphyr::from_str_with_options(&text, options).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        file_err(
            line,
            column,
            e.to_string()
                .replace("<input>", &path.display().to_string()),
        )
    })?;
    if raw.cases.is_empty() && raw.families.is_empty() {
        return Err(file_err(
            1,
            1,
            "`cases` and `families` are both empty; a case file needs at least one case".into(),
        ));
    }
    let check_behavior = |b: &Spanned<String>| -> Result<(), At> {
        if behaviors.is_none_or(|ids| ids.contains(&b.value)) {
            Ok(())
        } else {
            Err(at(
                b,
                format!(
                    "unknown behavior id `{}` (not in spec/behaviors.yaml)",
                    b.value
                ),
            ))
        }
    };
    let locate = |a: At, case_id: Option<String>| LoadError {
        location: Location {
            file: path.to_path_buf(),
            line: a.line,
            column: a.column,
        },
        case_id,
        message: a.message,
    };
    check_behavior(&raw.behavior).map_err(|a| locate(a, None))?;
    let tolerance = match &raw.tolerance {
        Some(t) => tolerance_patch(t).map_err(|a| locate(a, None))?,
        None => TolerancePatch::default(),
    };
    let reader = FormReader {
        dir: path.parent().unwrap_or(Path::new(".")),
    };
    let mut out = CaseFile {
        path: path.to_path_buf(),
        name: name.to_string(),
        op: raw.op.value.clone(),
        tolerance,
        cases: Vec::new(),
        broken: Vec::new(),
    };
    let mut seen = BTreeSet::new();
    let mut nodes: Vec<Spanned<Node>> = raw.cases.clone();
    for (i, fam) in raw.families.iter().enumerate() {
        match family::expand(fam) {
            Ok(generated) => nodes.extend(generated),
            Err(a) => {
                let id = case_id_of(fam).unwrap_or_else(|| format!("family{i}"));
                out.broken.push(BrokenCase {
                    id: id.clone(),
                    error: locate(a, Some(id)),
                });
            }
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        let id = case_id_of(node);
        let result = read_case(node, &raw, &reader, &check_behavior).and_then(|case| {
            if seen.insert(case.id.clone()) {
                Ok(case)
            } else {
                Err(at(
                    node,
                    format!("duplicate case id `{}` in this file", case.id),
                ))
            }
        });
        match result {
            Ok(mut case) => {
                case.location.file = path.to_path_buf();
                case.stream = raw.stream.as_ref().map(|s| s.value.clone());
                out.cases.push(case);
            }
            Err(a) => {
                let shown = id.clone().unwrap_or_else(|| format!("case{i}"));
                out.broken.push(BrokenCase {
                    id: shown,
                    error: locate(a, id),
                });
            }
        }
    }
    Ok(out)
}

/// The `id` of a case node, if it has a usable one (for error reports).
fn case_id_of(node: &Spanned<Node>) -> Option<String> {
    let Node::Map(entries) = &node.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.value == "id")
        .and_then(|(_, v)| match &v.value {
            Node::Str(s) if is_valid_id(s) => Some(s.clone()),
            _ => None,
        })
}

fn read_case(
    node: &Spanned<Node>,
    file: &RawFile,
    reader: &FormReader<'_>,
    check_behavior: &dyn Fn(&Spanned<String>) -> Result<(), At>,
) -> Result<Case, At> {
    let fields = Fields::new(node, &CASE_KEYS, "a case")?;
    let get = |k: &str| fields.get(k);
    let id_node = get("id").ok_or_else(|| at(node, "a case needs an `id`"))?;
    let id = string_of(id_node, "a case id")?;
    if !is_valid_id(&id) {
        return Err(at(id_node, format!("case id `{id}` must match [a-z0-9_]+")));
    }
    let op = match get("op") {
        Some(n) => string_of(n, "an op name")?,
        None => file.op.value.clone(),
    };
    let behavior = match get("behavior") {
        Some(n) => {
            let s = Spanned {
                value: string_of(n, "a behavior id")?,
                referenced: n.referenced,
                defined: n.defined,
            };
            check_behavior(&s)?;
            s.value
        }
        None => file.behavior.value.clone(),
    };
    let mode = match get("mode") {
        None => Mode::Eager,
        Some(n) => match string_of(n, "a mode")?.as_str() {
            "eager" => Mode::Eager,
            "symbolic" => Mode::Symbolic,
            other => {
                return Err(at(
                    n,
                    format!("unknown mode `{other}`; expected eager or symbolic"),
                ))
            }
        },
    };
    let kind = match get("kind") {
        Some(n) => {
            let s = string_of(n, "a case kind")?;
            CaseKind::parse(&s).ok_or_else(|| {
                at(
                    n,
                    format!("unknown kind `{s}`; expected correctness, static_shape, dynamic_shape or dtype"),
                )
            })?
        }
        None => CaseKind::Correctness,
    };
    let args = args_of(reader, get("args"))?;
    let kwargs = kwargs_of(reader, get("kwargs"))?;
    let program = match get("program") {
        None => None,
        Some(p) => {
            if let Some(k) = ["args", "kwargs", "mode"]
                .into_iter()
                .find(|k| get(k).is_some())
            {
                return Err(at(
                    p,
                    format!("a program case has no `{k}`: its steps carry their own"),
                ));
            }
            Some(program_of(reader, p)?)
        }
    };
    let expect_node = get("expect").ok_or_else(|| at(node, "a case needs `expect`"))?;
    let expect = if super::distribution::is_distribution(expect_node) {
        Expectation::Distribution(Box::new(super::distribution::read(
            expect_node,
            &args,
            &kwargs,
        )?))
    } else {
        reader.expectation(expect_node)?
    };
    let tolerance = match get("tolerance") {
        Some(t) => tolerance_patch(t)?,
        None => TolerancePatch::default(),
    };
    let signed_zero_strict = match get("signed_zero") {
        None => false,
        Some(n) => match string_of(n, "`signed_zero`")?.as_str() {
            "strict" => true,
            "equal" => false,
            other => {
                return Err(at(
                    n,
                    format!("`signed_zero` is `strict` or `equal`, not `{other}`"),
                ))
            }
        },
    };
    let summary = get("summary")
        .map(|n| string_of(n, "a summary"))
        .transpose()?;
    let kind = match (get("kind"), mode) {
        (None, Mode::Symbolic) if has_unknown_dim(&args, &kwargs) => CaseKind::DynamicShape,
        (None, Mode::Symbolic) => CaseKind::StaticShape,
        _ => kind,
    };
    Ok(Case {
        id,
        summary,
        op,
        behavior,
        mode,
        kind,
        stream: None,
        program,
        args,
        kwargs,
        expect,
        tolerance,
        signed_zero_strict,
        location: Location {
            file: Default::default(),
            line: node.referenced.line(),
            column: node.referenced.column(),
        },
    })
}

/// True when any symbolic argument has an unknown (`None`) dimension.
fn has_unknown_dim(args: &[Value], kwargs: &BTreeMap<String, Value>) -> bool {
    fn walk(v: &Value) -> bool {
        match v {
            Value::Spec(s) => s.shape.iter().any(Option::is_none),
            Value::List(items) | Value::Tuple(items) => items.iter().any(walk),
            Value::Dict(m) => m.values().any(walk),
            _ => false,
        }
    }
    args.iter().chain(kwargs.values()).any(walk)
}
