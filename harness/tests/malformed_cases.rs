//! A malformed case file gives a located error (file:line:col, case id, what was
//! expected), and never costs another case its result.

mod support;

use kconform_harness::suite::{LoadedFile, SuitePaths};
use kconform_harness::trial::BackendUnderTest;
use kconform_harness::{Status, Suite};
use kconform_reference::ReferenceBackend;

const ONE_BAD_CASE: &str = "\
op: absolute
behavior: ops.table.absolute
cases:
  - id: good
    args: [{tensor: [-1.5, 2.0], dtype: float32}]
    expect: {value: {tensor: [1.5, 2.0], dtype: float32}}
  - id: typo
    args: [{tensor: [1.0], dtype: float32}]
    dtyp: float32
    expect: golden
  - id: bad_dtype
    args: [{tensor: [1.0], dtype: float31}]
    expect: golden
  - id: ragged
    args: [{tensor: [[1.0, 2.0], [3.0]], dtype: float32}]
    expect: golden
  - id: overflow
    args: [{tensor: [300], dtype: int8}]
    expect: golden
  - id: unknown_behavior
    behavior: ops.table.nope
    args: []
    expect: golden
";

#[test]
fn each_broken_case_is_located_and_the_good_case_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    support::write_suite(dir.path(), "absolute.yaml", ONE_BAD_CASE);
    let suite = Suite::load(SuitePaths::under(dir.path()));
    let LoadedFile::Ok(file) = &suite.files[0] else {
        panic!("file should load: {:?}", suite.files[0])
    };
    assert_eq!(file.cases.len(), 1);
    let errors: Vec<String> = file.broken.iter().map(|b| b.error.to_string()).collect();
    let expect = [
        (
            "absolute.yaml:9:5: case `typo`: ",
            "unknown key `dtyp` in a case; expected one of: id, summary",
        ),
        (
            "absolute.yaml:12:35: case `bad_dtype`: ",
            "unknown dtype `float31`",
        ),
        ("absolute.yaml:15:34: case `ragged`: ", "ragged tensor data"),
        (
            "absolute.yaml:18:21: case `overflow`: ",
            "value 300 does not fit dtype int8",
        ),
        (
            "absolute.yaml:21:15: case `unknown_behavior`: ",
            "unknown behavior id `ops.table.nope`",
        ),
    ];
    assert_eq!(errors.len(), expect.len(), "{errors:#?}");
    for ((loc, what), got) in expect.iter().zip(&errors) {
        assert!(
            got.contains(loc) && got.contains(what),
            "expected `{loc}…{what}` in\n{got}"
        );
    }
    let but = BackendUnderTest::new(Box::new(ReferenceBackend::new())).unwrap();
    let records = support::run(&suite, &but, "");
    let status = |id: &str| {
        records
            .iter()
            .find(|r| r.id == format!("ops::absolute::{id}::reference"))
            .map(|r| r.status)
    };
    assert_eq!(status("good"), Some(Status::Pass), "{records:#?}");
    for id in [
        "typo",
        "bad_dtype",
        "ragged",
        "overflow",
        "unknown_behavior",
    ] {
        assert_eq!(status(id), Some(Status::Error), "{id}");
    }
}

#[test]
fn yaml_syntax_error_is_located_and_reported_as_the_file_trial() {
    let dir = tempfile::tempdir().unwrap();
    support::write_suite(
        dir.path(),
        "absolute.yaml",
        "op: absolute\nbehavior: ops.table.absolute\ncases:\n  - id: a\n    args: [\n",
    );
    let suite = Suite::load(SuitePaths::under(dir.path()));
    let LoadedFile::Err { error, .. } = &suite.files[0] else {
        panic!("syntax error must fail the file")
    };
    let text = error.to_string();
    assert!(
        text.contains("absolute.yaml:5:11:") && text.contains("unclosed bracket"),
        "{text}"
    );
    let plan = suite.plan("reference");
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].id, "ops::absolute::load::reference");
}

#[test]
fn unknown_top_level_key_is_located() {
    let dir = tempfile::tempdir().unwrap();
    support::write_suite(
        dir.path(),
        "absolute.yaml",
        "op: absolute\nbehaviour: ops.table.absolute\ncases: []\n",
    );
    let suite = Suite::load(SuitePaths::under(dir.path()));
    let LoadedFile::Err { error, .. } = &suite.files[0] else {
        panic!()
    };
    let text = error.to_string();
    assert!(
        text.contains("absolute.yaml:2:1:") && text.contains("unknown field `behaviour`"),
        "{text}"
    );
}

#[test]
fn corrupt_golden_fails_only_its_trial() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "op: absolute\nbehavior: ops.table.absolute\ncases:\n  - id: literal\n    args: [-2]\n    expect: {value: 2}\n  - id: recorded\n    args: [{tensor: [-1.0], dtype: float32}]\n    expect: golden\n";
    support::write_suite(dir.path(), "absolute.yaml", yaml);
    let gdir = dir.path().join("cases/ops/absolute.goldens");
    std::fs::create_dir_all(&gdir).unwrap();
    std::fs::write(
        gdir.join("golden.json"),
        "{\"format\": 1, \"provenance\": {}, \"cases\": ",
    )
    .unwrap();
    let suite = Suite::load(SuitePaths::under(dir.path()));
    let but = BackendUnderTest::new(Box::new(ReferenceBackend::new())).unwrap();
    let records = support::run(&suite, &but, "");
    let rec = records.iter().find(|r| r.id.contains("recorded")).unwrap();
    assert_eq!(rec.status, Status::Error);
    assert!(
        rec.message
            .as_deref()
            .unwrap_or("")
            .contains("corrupt golden store"),
        "{rec:?}"
    );
    let other = records.iter().find(|r| r.id.contains("literal")).unwrap();
    assert_ne!(other.status, Status::Error, "{other:?}");
}
