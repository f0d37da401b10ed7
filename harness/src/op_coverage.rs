//! Namespace coverage: which `keras.ops` functions have cases of each of the
//! four kinds, and which pass all four on each backend (from `report.json`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value as Json;

use crate::case::CaseKind;
use crate::suite::{LoadedFile, Suite};

/// The public `keras.ops` functions, read from `spec/keras_ops.txt` (one name
/// a line; `#` starts a comment line).
pub fn load_namespace(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut names = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !line.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(format!(
                "{}:{}: `{line}` is not an op name",
                path.display(),
                i + 1
            ));
        }
        names.push(line.to_string());
    }
    Ok(names)
}

/// The cases one op has, counted per kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpCases {
    /// Case count per kind.
    pub kinds: BTreeMap<CaseKind, usize>,
}

impl OpCases {
    /// True when the op has at least one case of every kind.
    pub fn has_all_kinds(&self) -> bool {
        CaseKind::ALL
            .iter()
            .all(|k| self.kinds.get(k).copied().unwrap_or(0) > 0)
    }
}

/// Op name → its cases, for every op any loaded case calls.
pub fn cases_by_op(suite: &Suite) -> BTreeMap<String, OpCases> {
    let mut out: BTreeMap<String, OpCases> = BTreeMap::new();
    for f in &suite.files {
        if let LoadedFile::Ok(f) = f {
            for c in &f.cases {
                *out.entry(c.op.clone())
                    .or_default()
                    .kinds
                    .entry(c.kind)
                    .or_default() += 1;
            }
        }
    }
    out
}

/// Pass and total trial counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Trials that passed.
    pub pass: usize,
    /// All trials.
    pub total: usize,
}

/// One backend's results per op and kind, from a report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackendOps {
    /// Op → kind → tally.
    pub ops: BTreeMap<String, BTreeMap<CaseKind, Tally>>,
}

impl BackendOps {
    /// True when every trial of every one of the four kinds passed, and
    /// each kind has at least one trial.
    pub fn passes_all_kinds(&self, op: &str) -> bool {
        self.ops.get(op).is_some_and(|kinds| {
            CaseKind::ALL.iter().all(|k| {
                kinds
                    .get(k)
                    .is_some_and(|t| t.total > 0 && t.pass == t.total)
            })
        })
    }

    /// Ops with at least one trial, all of which passed.
    pub fn passes_all_trials(&self, op: &str) -> bool {
        self.ops.get(op).is_some_and(|kinds| {
            let (p, t) = kinds
                .values()
                .fold((0, 0), |(p, t), x| (p + x.pass, t + x.total));
            t > 0 && p == t
        })
    }
}

/// Backend id → results, from one `report.json` document (schema v1 with
/// per-trial `kind`). Trials without a kind (unloadable cases) are skipped.
pub fn backend_ops(report: &Json) -> Result<BTreeMap<String, BackendOps>, String> {
    if report.get("schema").and_then(Json::as_str) != Some("kconform-report") {
        return Err("not a kconform report.json".into());
    }
    let trials = report
        .get("trials")
        .and_then(Json::as_array)
        .ok_or("no `trials` array")?;
    let mut out: BTreeMap<String, BackendOps> = BTreeMap::new();
    for t in trials {
        let field = |k: &str| t.get(k).and_then(Json::as_str).unwrap_or("");
        let Some(kind) = CaseKind::parse(field("kind")) else {
            continue;
        };
        let tally = out
            .entry(field("backend").to_string())
            .or_default()
            .ops
            .entry(field("op").to_string())
            .or_default()
            .entry(kind)
            .or_default();
        tally.total += 1;
        if field("status") == "pass" {
            tally.pass += 1;
        }
    }
    Ok(out)
}

/// The namespace's ops that have cases of all four kinds.
pub fn ops_with_all_kinds(
    namespace: &[String],
    cases: &BTreeMap<String, OpCases>,
) -> BTreeSet<String> {
    namespace
        .iter()
        .filter(|op| cases.get(*op).is_some_and(OpCases::has_all_kinds))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tallies_per_backend_op_and_kind() {
        let trial = |op: &str, kind: &str, status: &str| json!({"backend": "reference", "op": op, "kind": kind, "status": status});
        let mut trials = vec![];
        for k in ["correctness", "static_shape", "dynamic_shape", "dtype"] {
            trials.push(trial("sin", k, "pass"));
            trials.push(trial("cos", k, "pass"));
        }
        trials.push(trial("cos", "dtype", "fail"));
        trials.push(trial("tan", "correctness", "pass"));
        let doc = json!({"schema": "kconform-report", "trials": trials});
        let b = &backend_ops(&doc).unwrap()["reference"];
        assert!(b.passes_all_kinds("sin"));
        assert!(!b.passes_all_kinds("cos"), "one dtype trial failed");
        assert!(!b.passes_all_kinds("tan"), "three kinds missing");
        assert!(b.passes_all_trials("tan"));
        assert!(backend_ops(&json!({"trials": []})).is_err());
    }
}
