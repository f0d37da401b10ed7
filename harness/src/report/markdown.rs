//! `summary.md`: what a person reads first.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::RunReport;
use crate::outcome::Status;

/// Renders the Markdown summary.
pub fn render(r: &RunReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# kconform run\n");
    let n = r.records.len();
    let per = if n > 0 { r.wall.as_secs_f64() * 1e3 / n as f64 } else { 0.0 };
    let _ = writeln!(s, "Wall time: {:.2} s for {n} trials ({per:.2} ms per trial).\n", r.wall.as_secs_f64());
    if r.recorded {
        let _ = writeln!(s, "Goldens were **recorded** in this run.\n");
    }
    if r.interrupted {
        let _ = writeln!(s, "**Interrupted**: trials not started are reported as skipped.\n");
    }
    if !r.filters.is_empty() {
        let _ = writeln!(s, "Filters: `{}`\n", r.filters.join("`, `"));
    }
    let _ = writeln!(s, "| backend | device | trials | pass | fail | error | unsupported | skipped | unexpected |");
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|");
    let totals = r.totals();
    for b in &r.backends {
        let t = &totals[&b.id];
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            b.id, b.device, t.trials, t.pass, t.fail, t.error, t.unsupported, t.skipped, t.unexpected
        );
    }
    for b in &r.backends {
        if !b.versions.is_empty() || !b.settings.is_empty() {
            let v: Vec<String> = b.versions.iter().chain(&b.settings).map(|(k, v)| format!("{k} {v}")).collect();
            let _ = writeln!(s, "\n`{}`: {}", b.id, v.join(", "));
        }
    }
    let unexpected: Vec<_> = r.records.iter().filter(|t| t.is_unexpected()).collect();
    if !unexpected.is_empty() {
        let _ = writeln!(s, "\n## Unexpected results ({})\n", unexpected.len());
        for t in unexpected {
            let _ = writeln!(s, "### `{}` — {}\n\n```\n{}\n```\n", t.id, t.status.name(), t.failure_text());
        }
    }
    let known: Vec<_> = r.records.iter().filter(|t| t.known.is_some() && !t.is_unexpected()).collect();
    if !known.is_empty() {
        let _ = writeln!(s, "\n## Known issues that still occur ({})\n", known.len());
        for t in known {
            let reason = t.known.as_ref().map(|k| k.reason.as_str()).unwrap_or("");
            let _ = writeln!(s, "- `{}` — {}: {reason}", t.id, t.status.name());
        }
    }
    let mut unsupported: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for t in r.records.iter().filter(|t| t.status == Status::Unsupported) {
        *unsupported.entry((t.backend.as_str(), t.message.as_deref().unwrap_or(""))).or_default() += 1;
    }
    if !unsupported.is_empty() {
        let _ = writeln!(s, "\n## Unsupported\n\n| backend | reason | trials |\n|---|---|---|");
        for ((b, why), n) in unsupported {
            let _ = writeln!(s, "| {b} | {} | {n} |", why.replace('|', "\\|"));
        }
    }
    if !r.stale_expectations.is_empty() {
        let _ = writeln!(s, "\n## Stale expectation entries (match no trial)\n");
        for e in &r.stale_expectations {
            let _ = writeln!(s, "- `{e}`");
        }
    }
    s
}
