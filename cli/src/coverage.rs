//! `kconform coverage`.

use std::process::ExitCode;

use anyhow::{anyhow, Result};
use kconform_harness::coverage::behavior_coverage;
use kconform_harness::{Suite, SuitePaths};

/// Prints behavior → case count, then the behaviors without cases.
pub fn coverage(paths: &SuitePaths, verbose: bool) -> Result<ExitCode> {
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
    Ok(ExitCode::SUCCESS)
}
