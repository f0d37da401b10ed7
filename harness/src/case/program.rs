//! Reads a case's `program:` (spec/case-format.md, "Programs") into a
//! [`Program`], with located errors.

use std::collections::BTreeMap;

use kconform_api::{OpCall, Program, Step, Value};
use serde_saphyr::Spanned;

use super::forms::{at, At, Fields, FormReader};
use super::node::Node;

type R<T> = Result<T, At>;

const PROGRAM_KEYS: [&str; 4] = ["setup", "body", "runs", "traced"];
const STEP_KEYS: [&str; 4] = ["let", "op", "args", "kwargs"];

/// `args:` as positional values.
pub(super) fn args_of(reader: &FormReader<'_>, n: Option<&Spanned<Node>>) -> R<Vec<Value>> {
    match n {
        None => Ok(Vec::new()),
        Some(n) => match &n.value {
            Node::Seq(items) => items.iter().map(|i| reader.value(i)).collect(),
            other => Err(at(
                n,
                format!("`args` must be a sequence, found {}", other.kind()),
            )),
        },
    }
}

/// `kwargs:` as keyword values.
pub(super) fn kwargs_of(
    reader: &FormReader<'_>,
    n: Option<&Spanned<Node>>,
) -> R<BTreeMap<String, Value>> {
    let mut kwargs = BTreeMap::new();
    if let Some(n) = n {
        match &n.value {
            Node::Map(entries) => {
                for (k, v) in entries {
                    kwargs.insert(k.value.clone(), reader.value(v)?);
                }
            }
            Node::Null => {}
            other => {
                return Err(at(
                    n,
                    format!("`kwargs` must be a mapping, found {}", other.kind()),
                ))
            }
        }
    }
    Ok(kwargs)
}

fn step(reader: &FormReader<'_>, n: &Spanned<Node>) -> R<Step> {
    let f = Fields::new(n, &STEP_KEYS, "a program step")?;
    let op = match &f.require("op", "a program step")?.value {
        Node::Str(s) if !s.is_empty() => s.clone(),
        other => {
            return Err(at(
                n,
                format!("a step's `op` is a name, found {}", other.kind()),
            ))
        }
    };
    let bind = match f.get("let") {
        None => None,
        Some(b) => match &b.value {
            Node::Str(s)
                if !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') =>
            {
                Some(s.clone())
            }
            _ => return Err(at(b, "`let` takes a name made of letters, digits and `_`")),
        },
    };
    Ok(Step {
        bind,
        call: OpCall {
            op,
            args: args_of(reader, f.get("args"))?,
            kwargs: kwargs_of(reader, f.get("kwargs"))?,
        },
    })
}

fn steps(reader: &FormReader<'_>, n: Option<&Spanned<Node>>) -> R<Vec<Step>> {
    match n {
        None => Ok(Vec::new()),
        Some(n) => match &n.value {
            Node::Seq(items) => items.iter().map(|i| step(reader, i)).collect(),
            other => Err(at(
                n,
                format!("program steps are a sequence, found {}", other.kind()),
            )),
        },
    }
}

/// A `program:` mapping: `setup` and `body` step lists, `runs` (default 1)
/// and `traced` (default false). Static problems (an unbound reference, an
/// unbound object) are errors located at the program.
pub(super) fn program_of(reader: &FormReader<'_>, n: &Spanned<Node>) -> R<Program> {
    let f = Fields::new(n, &PROGRAM_KEYS, "a program")?;
    let runs = match f.get("runs") {
        None => 1,
        Some(r) => match &r.value {
            Node::Int(i) if (1..=1000).contains(i) => *i as usize,
            _ => return Err(at(r, "`runs` is an integer from 1 to 1000")),
        },
    };
    let traced = match f.get("traced") {
        None => false,
        Some(t) => match &t.value {
            Node::Bool(b) => *b,
            _ => return Err(at(t, "`traced` is true or false")),
        },
    };
    let program = Program {
        setup: steps(reader, f.get("setup"))?,
        body: steps(reader, f.get("body"))?,
        runs,
        traced,
    };
    if program.body.is_empty() {
        return Err(at(n, "a program needs a non-empty `body`"));
    }
    match program.problems().first() {
        Some(p) => Err(at(n, p.clone())),
        None => Ok(program),
    }
}
