//! The `kconform` binary's contract: exit codes, located errors, reports.

use std::path::Path;
use std::process::{Command, Output};

fn write_suite(root: &Path, cases: &str) {
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::create_dir_all(root.join("cases/ops")).unwrap();
    std::fs::write(
        root.join("spec/behaviors.yaml"),
        "version: 1\nguide: test\nbehaviors:\n  - {id: ops.table.absolute, section: s, claim: c, status: holds}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("spec/tolerances.yaml"),
        "version: 1\ndefaults: {}\n",
    )
    .unwrap();
    std::fs::write(root.join("cases/ops/absolute.yaml"), cases).unwrap();
}

fn kconform(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kconform"))
        .args(args)
        .arg("--cases")
        .arg(root.join("cases"))
        .current_dir(root)
        .output()
        .unwrap()
}

const GOOD: &str = "op: absolute\nbehavior: ops.table.absolute\ncases:\n  - id: ok\n    args: [{tensor: [-1, 2], dtype: int32}]\n    expect: {value: {tensor: [1, 2], dtype: int32}}\n";

#[test]
fn run_passes_and_writes_three_reports() {
    let dir = tempfile::tempdir().unwrap();
    write_suite(dir.path(), GOOD);
    let out = kconform(dir.path(), &["run", "--report-dir", "rep"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in ["report.json", "junit.xml", "summary.md"] {
        assert!(dir.path().join("rep").join(f).is_file(), "{f}");
    }
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 trials: 1 pass"));
}

#[test]
fn unexpected_failure_exits_1_with_the_diff() {
    let dir = tempfile::tempdir().unwrap();
    write_suite(
        dir.path(),
        &GOOD.replace("[1, 2], dtype: int32}}", "[1, 3], dtype: int32}}"),
    );
    let out = kconform(dir.path(), &["run", "--report-dir", "rep"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ops::absolute::ok::reference")
            && err.contains("worst at [1]: got 2, expected 3"),
        "{err}"
    );
    let summary = std::fs::read_to_string(dir.path().join("rep/summary.md")).unwrap();
    assert!(summary.contains("Unexpected results (1)"), "{summary}");
}

#[test]
fn check_reports_located_errors_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    write_suite(
        dir.path(),
        &GOOD.replace("    expect:", "    expct: golden\n    expect:"),
    );
    let out = kconform(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("absolute.yaml:6:5: case `ok`: unknown key `expct`"),
        "{err}"
    );
}

#[test]
fn unknown_backend_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write_suite(dir.path(), GOOD);
    let out = kconform(dir.path(), &["run", "--backend", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown backend `nope`"));
    let out = kconform(dir.path(), &["run", "--record"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("goldens come from real Keras only"));
}
