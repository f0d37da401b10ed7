//! Compares two `report.json` files (schema version 1): what newly fails, what
//! was fixed, which trials appeared or vanished, and how much closer to (or
//! further from) its tolerance each float comparison moved.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value as Json;

use super::REPORT_SCHEMA_VERSION;

/// A trial whose tolerance use moved by at least the drift threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct Drift {
    /// Trial id.
    pub id: String,
    /// Largest tolerance fraction used before.
    pub before: f64,
    /// Largest tolerance fraction used now.
    pub after: f64,
}

/// What changed between two runs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportDiff {
    /// Unexpected now, not before (or new and unexpected): `(id, status)`.
    pub new_failures: Vec<(String, String)>,
    /// Unexpected before, fine now: `(id, status now)`.
    pub fixed: Vec<(String, String)>,
    /// Trials only in the new report.
    pub added: Vec<String>,
    /// Trials only in the old report.
    pub removed: Vec<String>,
    /// Tolerance-use changes of at least the threshold, largest first.
    pub drift: Vec<Drift>,
}

/// Why two reports could not be compared.
#[derive(Debug, thiserror::Error)]
#[error("{which} report: {message}")]
pub struct CompareError {
    /// `old` or `new`.
    pub which: &'static str,
    /// What is wrong.
    pub message: String,
}

struct Trial {
    status: String,
    unexpected: bool,
    used: Option<f64>,
}

fn trials(doc: &Json, which: &'static str) -> Result<BTreeMap<String, Trial>, CompareError> {
    let err = |message: String| CompareError { which, message };
    if doc.get("schema").and_then(Json::as_str) != Some("kconform-report") {
        return Err(err("not a kconform report.json".into()));
    }
    let version = doc.get("schema_version").and_then(Json::as_u64);
    if version != Some(u64::from(REPORT_SCHEMA_VERSION)) {
        return Err(err(format!(
            "schema_version {version:?}, this kconform reads {REPORT_SCHEMA_VERSION}"
        )));
    }
    let list = doc
        .get("trials")
        .and_then(Json::as_array)
        .ok_or_else(|| err("no `trials` array".into()))?;
    let mut out = BTreeMap::new();
    for t in list {
        let id = t
            .get("id")
            .and_then(Json::as_str)
            .ok_or_else(|| err("a trial without an id".into()))?;
        let used = t
            .get("metrics")
            .and_then(Json::as_array)
            .map(|ms| {
                ms.iter()
                    .filter_map(|m| m.get("tolerance_used").and_then(Json::as_f64))
                    .fold(None, |a: Option<f64>, x| Some(a.map_or(x, |a| a.max(x))))
            })
            .unwrap_or(None);
        out.insert(
            id.to_string(),
            Trial {
                status: t
                    .get("status")
                    .and_then(Json::as_str)
                    .unwrap_or("?")
                    .to_string(),
                unexpected: t.get("unexpected").and_then(Json::as_bool).unwrap_or(false),
                used,
            },
        );
    }
    Ok(out)
}

/// Compares `old` with `new`; tolerance use that moves by at least
/// `drift_threshold` (a fraction of the allowed tolerance) is reported.
pub fn compare_reports(
    old: &Json,
    new: &Json,
    drift_threshold: f64,
) -> Result<ReportDiff, CompareError> {
    let (old, new) = (trials(old, "old")?, trials(new, "new")?);
    let mut d = ReportDiff::default();
    for (id, n) in &new {
        match old.get(id) {
            None => {
                d.added.push(id.clone());
                if n.unexpected {
                    d.new_failures.push((id.clone(), n.status.clone()));
                }
            }
            Some(o) => {
                if n.unexpected && !o.unexpected {
                    d.new_failures.push((id.clone(), n.status.clone()));
                } else if o.unexpected && !n.unexpected {
                    d.fixed.push((id.clone(), n.status.clone()));
                }
                if let (Some(b), Some(a)) = (o.used, n.used) {
                    if (a - b).abs() >= drift_threshold {
                        d.drift.push(Drift {
                            id: id.clone(),
                            before: b,
                            after: a,
                        });
                    }
                }
            }
        }
    }
    d.removed = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    d.drift.sort_by(|x, y| {
        (y.after - y.before)
            .abs()
            .total_cmp(&(x.after - x.before).abs())
    });
    Ok(d)
}

impl ReportDiff {
    /// Markdown for people (`comparison.md`).
    pub fn to_markdown(&self) -> String {
        let mut s = String::from("# kconform: comparison with the previous report\n\n");
        let _ = writeln!(
            s,
            "{} new failures, {} fixed, {} trials added, {} removed, {} with tolerance-use drift.\n",
            self.new_failures.len(),
            self.fixed.len(),
            self.added.len(),
            self.removed.len(),
            self.drift.len()
        );
        let mut list = |title: &str, rows: Vec<String>| {
            if !rows.is_empty() {
                let _ = writeln!(s, "## {title}\n");
                for r in rows {
                    let _ = writeln!(s, "- {r}");
                }
                s.push('\n');
            }
        };
        list(
            "New failures",
            self.new_failures
                .iter()
                .map(|(id, st)| format!("`{id}` — {st}"))
                .collect(),
        );
        list(
            "Fixed",
            self.fixed
                .iter()
                .map(|(id, st)| format!("`{id}` — now {st}"))
                .collect(),
        );
        list(
            "Tolerance-use drift",
            self.drift
                .iter()
                .map(|d| {
                    format!(
                        "`{}` — {:.3} → {:.3} of the allowed tolerance",
                        d.id, d.before, d.after
                    )
                })
                .collect(),
        );
        list(
            "Added",
            self.added.iter().map(|id| format!("`{id}`")).collect(),
        );
        list(
            "Removed",
            self.removed.iter().map(|id| format!("`{id}`")).collect(),
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(trials: Json) -> Json {
        json!({"schema": "kconform-report", "schema_version": 1, "trials": trials})
    }

    fn t(id: &str, status: &str, unexpected: bool, used: Option<f64>) -> Json {
        json!({"id": id, "status": status, "unexpected": unexpected, "metrics": [{"tolerance_used": used}]})
    }

    #[test]
    fn finds_new_failures_fixes_and_drift() {
        let old = report(json!([
            t("a", "pass", false, Some(0.1)),
            t("b", "fail", true, None),
            t("gone", "pass", false, None)
        ]));
        let new = report(json!([
            t("a", "pass", false, Some(0.9)),
            t("b", "pass", false, Some(0.0)),
            t("c", "error", true, None)
        ]));
        let d = compare_reports(&old, &new, 0.25).unwrap();
        assert_eq!(d.new_failures, vec![("c".to_string(), "error".to_string())]);
        assert_eq!(d.fixed, vec![("b".to_string(), "pass".to_string())]);
        assert_eq!(d.added, vec!["c".to_string()]);
        assert_eq!(d.removed, vec!["gone".to_string()]);
        assert_eq!(
            d.drift,
            vec![Drift {
                id: "a".into(),
                before: 0.1,
                after: 0.9
            }]
        );
        assert!(d.to_markdown().contains("1 new failures, 1 fixed"));
        assert!(compare_reports(&json!({}), &new, 0.25).is_err());
    }
}
