//! `kconform coverage`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use kconform_harness::case::CaseKind;
use kconform_harness::coverage::behavior_coverage;
use kconform_harness::op_coverage::{
    backend_ops, cases_by_op, load_namespace, ops_with_all_kinds, BackendOps,
};
use kconform_harness::{Suite, SuitePaths};

/// Prints behavior → case count, the behaviors without cases, then the
/// keras.ops namespace coverage per backend.
pub fn coverage(
    paths: &SuitePaths,
    verbose: bool,
    list_ops: bool,
    reports: &[PathBuf],
) -> Result<ExitCode> {
    let suite = Suite::load(paths.clone());
    let catalog = suite.catalog.as_ref().map_err(|e| anyhow!("{e}"))?;
    let rows = behavior_coverage(catalog, &suite);
    let width = rows.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in &rows {
        println!(
            "{:width$}  {:>4} cases  ({:?})",
            r.id,
            r.cases.len(),
            r.status
        );
        if verbose {
            for c in &r.cases {
                println!("{:width$}    {c}", "");
            }
        }
    }
    let uncovered: Vec<_> = rows.iter().filter(|r| r.cases.is_empty()).collect();
    println!(
        "\n{} behaviors, {} covered by at least one case, {} with none",
        rows.len(),
        rows.len() - uncovered.len(),
        uncovered.len()
    );
    namespace_coverage(paths, &suite, list_ops, reports)?;
    Ok(ExitCode::SUCCESS)
}

/// The report.json files to read: the given ones, else `reports/*/report.json`.
fn report_files(paths: &SuitePaths, given: &[PathBuf]) -> Vec<PathBuf> {
    if !given.is_empty() {
        return given.to_vec();
    }
    let dir = paths
        .cases
        .parent()
        .map(|p| p.join("reports"))
        .unwrap_or_else(|| PathBuf::from("reports"));
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path().join("report.json"))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

fn read_report(path: &Path) -> Result<BTreeMap<String, BackendOps>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let doc = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    backend_ops(&doc).map_err(|e| anyhow!("{}: {e}", path.display()))
}

fn namespace_coverage(
    paths: &SuitePaths,
    suite: &Suite,
    list_ops: bool,
    reports: &[PathBuf],
) -> Result<()> {
    let ns_path = paths.spec.join("keras_ops.txt");
    let namespace = load_namespace(&ns_path).map_err(|e| anyhow!(e))?;
    let cases = cases_by_op(suite);
    let with_cases = namespace.iter().filter(|o| cases.contains_key(*o)).count();
    let all_kinds = ops_with_all_kinds(&namespace, &cases);
    println!(
        "\nkeras.ops namespace ({}): {} functions; {with_cases} have cases, {} have all four kinds \
         (correctness, static_shape, dynamic_shape, dtype)",
        ns_path.display(),
        namespace.len(),
        all_kinds.len()
    );
    let outside: Vec<&String> = cases.keys().filter(|o| !namespace.contains(o)).collect();
    if !outside.is_empty() {
        let names: Vec<&str> = outside.iter().map(|s| s.as_str()).collect();
        println!("ops with cases outside keras.ops: {}", names.join(", "));
    }
    let mut backends: BTreeMap<String, BackendOps> = BTreeMap::new();
    for file in report_files(paths, reports) {
        for (backend, ops) in read_report(&file)? {
            let entry = backends.entry(backend).or_default();
            for (op, kinds) in ops.ops {
                let slot = entry.ops.entry(op).or_default();
                for (k, t) in kinds {
                    let s = slot.entry(k).or_default();
                    s.pass += t.pass;
                    s.total += t.total;
                }
            }
        }
    }
    if backends.is_empty() {
        println!("no report.json found: run `kconform run` first to see per-backend results");
    }
    for (backend, results) in &backends {
        let four = namespace
            .iter()
            .filter(|o| results.passes_all_kinds(o))
            .count();
        let any = namespace
            .iter()
            .filter(|o| results.passes_all_trials(o))
            .count();
        println!(
            "{backend}: {four} / {} ops pass all four kinds; {any} pass every trial they have",
            namespace.len()
        );
    }
    if list_ops {
        println!();
        for op in &namespace {
            let Some(c) = cases.get(op) else {
                continue;
            };
            let kinds: Vec<String> = CaseKind::ALL
                .iter()
                .map(|k| format!("{}={}", k.name(), c.kinds.get(k).copied().unwrap_or(0)))
                .collect();
            let per_backend: Vec<String> = backends
                .iter()
                .map(|(b, r)| {
                    let mark = if r.passes_all_kinds(op) {
                        "all four pass"
                    } else if r.passes_all_trials(op) {
                        "passes, kinds missing"
                    } else if r.ops.contains_key(op) {
                        "not passing"
                    } else {
                        "not run"
                    };
                    format!("{b}: {mark}")
                })
                .collect();
            println!("{op:28} {}  [{}]", kinds.join(" "), per_backend.join("; "));
        }
    }
    Ok(())
}
