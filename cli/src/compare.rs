//! `kconform compare`: what changed between two runs' report.json.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use kconform_harness::report::compare::compare_reports;

fn read(path: &Path) -> Result<serde_json::Value> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{} is not JSON", path.display()))
}

/// Prints the comparison (and writes it as Markdown to `write`); exit 1 when
/// something newly fails.
pub fn compare(old: &Path, new: &Path, drift: f64, write: Option<&PathBuf>) -> Result<ExitCode> {
    let diff = compare_reports(&read(old)?, &read(new)?, drift)?;
    let text = diff.to_markdown();
    print!("{text}");
    if let Some(path) = write {
        kconform_harness::write_atomic(path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(if diff.new_failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
