//! Run reports: `report.json` (versioned, deterministic apart from its
//! `timings` section), `junit.xml` and `summary.md`, each written atomically.

pub mod compare;
mod json;
mod junit;
mod markdown;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use kconform_api::BackendInfo;
use serde::Serialize;

use crate::atomic::write_atomic;
use crate::outcome::{Status, TrialRecord};
use crate::suite::Suite;

pub use json::REPORT_SCHEMA_VERSION;

/// Counts per status for one backend.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Trials run.
    pub trials: usize,
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Errored.
    pub error: usize,
    /// Unsupported.
    pub unsupported: usize,
    /// Skipped.
    pub skipped: usize,
    /// Results that fail the run (unexpected fail/error, or a known issue that did not happen).
    pub unexpected: usize,
}

impl Totals {
    /// Counts `records`.
    pub fn of<'a>(records: impl IntoIterator<Item = &'a TrialRecord>) -> Self {
        let mut t = Totals::default();
        for r in records {
            t.trials += 1;
            match r.status {
                Status::Pass => t.pass += 1,
                Status::Fail => t.fail += 1,
                Status::Error => t.error += 1,
                Status::Unsupported => t.unsupported += 1,
                Status::Skipped => t.skipped += 1,
            }
            t.unexpected += usize::from(r.is_unexpected());
        }
        t
    }
}

/// Everything one run reports.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// The backends run.
    pub backends: Vec<BackendInfo>,
    /// The case tree, as given.
    pub cases_dir: String,
    /// Filters applied (empty: the whole suite).
    pub filters: Vec<String>,
    /// True when goldens were recorded in this run.
    pub recorded: bool,
    /// True when the run was interrupted (Ctrl-C).
    pub interrupted: bool,
    /// Known-issue entries that matched no trial.
    pub stale_expectations: Vec<String>,
    /// Every trial, sorted by id.
    pub records: Vec<TrialRecord>,
    /// Cross-backend comparison per case (runs on two or more backends).
    pub differential: Vec<crate::differential::CaseDiff>,
    /// When the run started.
    pub started_at: SystemTime,
    /// Wall time of the whole run.
    pub wall: Duration,
}

impl RunReport {
    /// A report of `records` (sorted here) with no filters or flags set.
    pub fn new(
        backends: Vec<BackendInfo>,
        suite: &Suite,
        mut records: Vec<TrialRecord>,
        started_at: SystemTime,
        wall: Duration,
    ) -> Self {
        records.sort_by(|a, b| a.id.cmp(&b.id));
        RunReport {
            backends,
            cases_dir: suite.paths.cases.display().to_string(),
            filters: Vec::new(),
            recorded: false,
            interrupted: false,
            stale_expectations: Vec::new(),
            records,
            differential: Vec::new(),
            started_at,
            wall,
        }
    }

    /// Totals per backend id.
    pub fn totals(&self) -> BTreeMap<String, Totals> {
        self.backends
            .iter()
            .map(|b| {
                (
                    b.id.clone(),
                    Totals::of(self.records.iter().filter(|r| r.backend == b.id)),
                )
            })
            .collect()
    }

    /// True when any result fails the run.
    pub fn has_unexpected(&self) -> bool {
        self.records.iter().any(TrialRecord::is_unexpected)
    }
}

/// Writes the three reports into `dir` (created if needed), each atomically.
pub fn write_reports(dir: &Path, report: &RunReport) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_atomic(&dir.join("report.json"), json::render(report).as_bytes())?;
    write_atomic(&dir.join("junit.xml"), junit::render(report).as_bytes())?;
    write_atomic(&dir.join("summary.md"), markdown::render(report).as_bytes())?;
    Ok(())
}
