//! Distribution checks end to end on the reference backend: a sampler that
//! follows its law passes, one held to the wrong law fails with its statistic,
//! a malformed check is a located load error, and a check whose critical value
//! is missing is located by `problems` and errors as a trial.

mod support;

use kconform_harness::distribution::problems;
use kconform_harness::suite::{LoadedFile, SuitePaths};
use kconform_harness::trial::BackendUnderTest;
use kconform_harness::{Status, Suite};
use kconform_reference::ReferenceBackend;

const CASES: &str = "\
op: random.normal
behavior: ops.table.absolute
cases:
  - id: follows
    args: [{tuple: [20000]}]
    kwargs: {mean: 1.0, stddev: 2.0, seed: 3}
    expect:
      distribution: {test: ks, law: {normal: {mean: 1.0, stddev: 2.0}}, alpha: 1.0e-6}
  - id: wrong_law
    args: [{tuple: [20000]}]
    kwargs: {seed: 3}
    expect:
      distribution: {test: ks, law: {normal: {mean: 0.0, stddev: 1.3}}, alpha: 1.0e-6}
  - id: no_critical_value
    args: [{tuple: [1234]}]
    kwargs: {seed: 3}
    expect:
      distribution: {test: ks, law: {normal: {mean: 0.0, stddev: 1.0}}, alpha: 1.0e-6}
  - id: unknown_law
    args: [{tuple: [20000]}]
    expect:
      distribution: {test: ks, law: {gaussian: {mean: 0.0}}, alpha: 1.0e-6}
";

const TABLE: &str = "version: 1\ngenerator: test\nks:\n  \
    - {n: 20000, alpha: 1.0e-6, critical: 0.019036122860194064}\n";

#[test]
fn checks_pass_fail_and_locate_their_problems() {
    let dir = tempfile::tempdir().unwrap();
    support::write_suite(dir.path(), "normal.yaml", CASES);
    std::fs::write(dir.path().join("spec/critical-values.yaml"), TABLE).unwrap();
    let suite = Suite::load(SuitePaths::under(dir.path()));
    let LoadedFile::Ok(file) = &suite.files[0] else {
        panic!("file should load: {:?}", suite.files[0])
    };
    let broken: Vec<String> = file.broken.iter().map(|b| b.error.to_string()).collect();
    assert_eq!(broken.len(), 1, "{broken:#?}");
    assert!(
        broken[0].contains("normal.yaml:22:38: case `unknown_law`: unknown law `gaussian`"),
        "{}",
        broken[0]
    );
    let found = problems(&suite);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("normal.yaml:18:21: case `no_critical_value`: no critical value for ks n=1234 alpha=1e-6"),
        "{}",
        found[0]
    );
    let but = BackendUnderTest::new(Box::new(ReferenceBackend::new())).unwrap();
    let records = support::run(&suite, &but, "");
    let rec = |id: &str| {
        records
            .iter()
            .find(|r| r.id == format!("ops::normal::{id}::reference"))
            .unwrap_or_else(|| panic!("{id}: {records:#?}"))
    };
    let ok = rec("follows");
    assert_eq!(ok.status, Status::Pass, "{ok:?}");
    assert_eq!(ok.expectation, "distribution");
    assert!(ok
        .message
        .as_deref()
        .unwrap_or("")
        .contains("<= critical 0.019036"));
    let bad = rec("wrong_law");
    assert_eq!(bad.status, Status::Fail, "{bad:?}");
    assert!(
        bad.message
            .as_deref()
            .unwrap_or("")
            .contains("> critical 0.019036 (n=20000, alpha=1e-6)"),
        "{bad:?}"
    );
    assert_eq!(rec("no_critical_value").status, Status::Error);
    assert_eq!(rec("unknown_law").status, Status::Error);
}

#[test]
fn a_malformed_table_is_a_spec_error() {
    let dir = tempfile::tempdir().unwrap();
    support::write_suite(dir.path(), "normal.yaml", CASES);
    std::fs::write(
        dir.path().join("spec/critical-values.yaml"),
        "version: 1\ngenerator: t\nks: [{n: 5, alpha: 1.0e-6}]\n",
    )
    .unwrap();
    let suite = Suite::load(SuitePaths::under(dir.path()));
    assert!(suite.critical.is_err());
    let plan = suite.plan("reference");
    assert_eq!(plan[0].id, "spec::critical_values::load::reference");
}
