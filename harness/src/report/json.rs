//! `report.json`: stable, sorted, and free of timings outside its `timings` key,
//! so two runs of the same code differ only there.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use super::RunReport;

/// Version of the report.json schema (documented in spec/reports.md).
pub const REPORT_SCHEMA_VERSION: u32 = 1;

fn finite(x: f64) -> Json {
    if x.is_finite() {
        json!(x)
    } else {
        Json::Null
    }
}

/// Renders the report as pretty JSON.
pub fn render(r: &RunReport) -> String {
    let backends: Vec<Json> = r
        .backends
        .iter()
        .map(|b| json!({"id": b.id, "device": b.device, "versions": b.versions, "settings": b.settings}))
        .collect();
    let trials: Vec<Json> = r
        .records
        .iter()
        .map(|t| {
            let metrics: Vec<Json> = t
                .metrics
                .iter()
                .map(|m| {
                    json!({
                        "path": m.path, "dtype": m.dtype, "shape": m.shape, "elements": m.elements,
                        "mismatches": m.mismatches, "max_abs_error": finite(m.max_abs_error),
                        "max_rel_error": finite(m.max_rel_error), "max_ulp": m.max_ulp,
                        "tolerance": m.tolerance, "tolerance_used": m.tolerance_used.map(finite),
                        "worst": m.worst,
                    })
                })
                .collect();
            json!({
                "id": t.id, "case": t.case, "backend": t.backend, "op": t.op, "behavior": t.behavior,
                "expectation": t.expectation, "kind": t.kind, "status": t.status, "unexpected": t.is_unexpected(),
                "known": t.known, "message": t.message, "metrics": metrics,
            })
        })
        .collect();
    let per_trial: BTreeMap<&str, f64> = r
        .records
        .iter()
        .map(|t| (t.id.as_str(), t.duration.as_secs_f64() * 1e3))
        .collect();
    let doc = json!({
        "schema": "kconform-report",
        "schema_version": REPORT_SCHEMA_VERSION,
        "kconform_version": env!("CARGO_PKG_VERSION"),
        "backends": backends,
        "cases_dir": r.cases_dir,
        "filters": r.filters,
        "recorded": r.recorded,
        "interrupted": r.interrupted,
        "stale_expectations": r.stale_expectations,
        "totals": r.totals(),
        "trials": trials,
        "differential": r.differential.iter().map(|d| json!({
            "case": d.case, "statuses": d.statuses, "outlier": d.outlier, "consistent": d.consistent(),
            "pairs": d.pairs.iter().map(|p| json!({
                "a": p.a, "b": p.b, "agree": p.agree, "max_abs_error": finite(p.max_abs_error),
                "max_rel_error": finite(p.max_rel_error), "max_ulp": p.max_ulp, "note": p.note,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "timings": {
            "started_at": humantime::format_rfc3339_seconds(r.started_at).to_string(),
            "wall_seconds": r.wall.as_secs_f64(),
            "trial_milliseconds": per_trial,
        },
    });
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
