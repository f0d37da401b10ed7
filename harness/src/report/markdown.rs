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
    let per = if n > 0 {
        r.wall.as_secs_f64() * 1e3 / n as f64
    } else {
        0.0
    };
    let _ = writeln!(
        s,
        "Wall time: {:.2} s for {n} trials ({per:.2} ms per trial).\n",
        r.wall.as_secs_f64()
    );
    if r.recorded {
        let _ = writeln!(s, "Goldens were **recorded** in this run.\n");
    }
    if r.interrupted {
        let _ = writeln!(
            s,
            "**Interrupted**: trials not started are reported as skipped.\n"
        );
    }
    if !r.filters.is_empty() {
        let _ = writeln!(s, "Filters: `{}`\n", r.filters.join("`, `"));
    }
    let _ = writeln!(
        s,
        "| backend | device | trials | pass | fail | error | unsupported | skipped | unexpected |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|");
    let totals = r.totals();
    for b in &r.backends {
        let t = &totals[&b.id];
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            b.id,
            b.device,
            t.trials,
            t.pass,
            t.fail,
            t.error,
            t.unsupported,
            t.skipped,
            t.unexpected
        );
    }
    for b in &r.backends {
        if !b.versions.is_empty() || !b.settings.is_empty() {
            let v: Vec<String> = b
                .versions
                .iter()
                .chain(&b.settings)
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            let _ = writeln!(s, "\n`{}`: {}", b.id, v.join(", "));
        }
    }
    differential_section(&mut s, r);
    let unexpected: Vec<_> = r.records.iter().filter(|t| t.is_unexpected()).collect();
    if !unexpected.is_empty() {
        let _ = writeln!(s, "\n## Unexpected results ({})\n", unexpected.len());
        for t in unexpected {
            let _ = writeln!(
                s,
                "### `{}` — {}\n\n```\n{}\n```\n",
                t.id,
                t.status.name(),
                t.failure_text()
            );
        }
    }
    let known: Vec<_> = r
        .records
        .iter()
        .filter(|t| t.known.is_some() && !t.is_unexpected())
        .collect();
    if !known.is_empty() {
        let _ = writeln!(s, "\n## Known issues that still occur ({})\n", known.len());
        for t in known {
            let reason = t.known.as_ref().map(|k| k.reason.as_str()).unwrap_or("");
            let _ = writeln!(s, "- `{}` — {}: {reason}", t.id, t.status.name());
        }
    }
    let mut unsupported: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for t in r.records.iter().filter(|t| t.status == Status::Unsupported) {
        *unsupported
            .entry((t.backend.as_str(), t.message.as_deref().unwrap_or("")))
            .or_default() += 1;
    }
    if !unsupported.is_empty() {
        let _ = writeln!(
            s,
            "\n## Unsupported\n\n| backend | reason | trials |\n|---|---|---|"
        );
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

/// The backend-by-backend matrix of cases where backends disagree.
fn differential_section(s: &mut String, r: &RunReport) {
    if r.differential.is_empty() {
        return;
    }
    let backends: Vec<&str> = r.backends.iter().map(|b| b.id.as_str()).collect();
    let split: Vec<_> = r.differential.iter().filter(|d| !d.consistent()).collect();
    let _ = writeln!(
        s,
        "\n## Differential\n\n{} cases ran on {} backends; {} agree everywhere, {} differ.\n",
        r.differential.len(),
        backends.len(),
        r.differential.len() - split.len(),
        split.len()
    );
    let mut outliers: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &r.differential {
        if let Some(o) = &d.outlier {
            *outliers.entry(o.as_str()).or_default() += 1;
        }
    }
    if !outliers.is_empty() {
        let o: Vec<String> = outliers.iter().map(|(b, n)| format!("{b} {n}")).collect();
        let _ = writeln!(s, "Outlier counts: {}.\n", o.join(", "));
    }
    if split.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "| case | {} | outlier | largest pair difference |",
        backends.join(" | ")
    );
    let _ = writeln!(s, "|---|{}---|---|", "---|".repeat(backends.len()));
    for d in split {
        let cells: Vec<&str> = backends
            .iter()
            .map(|b| d.statuses.get(*b).map(|st| st.name()).unwrap_or("-"))
            .collect();
        let worst = d
            .pairs
            .iter()
            .filter(|p| !p.agree)
            .map(|p| match &p.note {
                Some(n) if p.max_abs_error == 0.0 => {
                    format!("{} vs {}: {}", p.a, p.b, n.replace('|', "\\|"))
                }
                _ => format!(
                    "{} vs {}: abs {:e}, ulp {}",
                    p.a, p.b, p.max_abs_error, p.max_ulp
                ),
            })
            .next()
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {worst} |",
            d.case,
            cells.join(" | "),
            d.outlier.as_deref().unwrap_or("")
        );
    }
}
