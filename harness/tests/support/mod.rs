//! Shared helpers for the harness's integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::Path;
use std::sync::atomic::AtomicBool;

use kconform_harness::expectations::Expectations;
use kconform_harness::run::{run_trials, RunOptions};
use kconform_harness::trial::BackendUnderTest;
use kconform_harness::{Suite, TrialRecord};

/// Writes a minimal suite (catalog, tolerances, one case file) under `root`.
pub fn write_suite(root: &Path, case_file: &str, yaml: &str) {
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::create_dir_all(root.join("cases/ops")).unwrap();
    std::fs::write(
        root.join("spec/behaviors.yaml"),
        "version: 1\nguide: test\nbehaviors:\n  - id: ops.table.absolute\n    section: s\n    claim: c\n    status: holds\n",
    )
    .unwrap();
    std::fs::write(
        root.join("spec/tolerances.yaml"),
        "version: 1\ndefaults:\n  float32: {atol: 0.0, rtol: 0.0, ulp: 0}\noverrides: []\n",
    )
    .unwrap();
    std::fs::write(root.join("cases/ops").join(case_file), yaml).unwrap();
}

/// Runs every trial of `suite` whose id contains `filter` on `but`.
pub fn run(suite: &Suite, but: &BackendUnderTest, filter: &str) -> Vec<TrialRecord> {
    let plans: Vec<_> = suite
        .plan(&but.info.id)
        .into_iter()
        .filter(|p| p.id.contains(filter))
        .collect();
    let stop = AtomicBool::new(false);
    let expectations = Expectations::default();
    let opts = RunOptions {
        jobs: 2,
        expectations: &expectations,
        recorder: None,
        stop: &stop,
        on_done: &|_| {},
    };
    run_trials(suite, but, &plans, &opts)
}
