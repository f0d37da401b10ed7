//! Harness overhead per trial, excluding the op: load + execute + diff + report.
//!
//! An echo backend returns the expected tensor instantly, so what is measured
//! is kconform's own cost per trial.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, SystemTime};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use kconform_api::{Backend, BackendError, BackendInfo, Capabilities, DType, OpCall, Value};
use kconform_harness::expectations::Expectations;
use kconform_harness::report::{write_reports, RunReport};
use kconform_harness::run::{run_trials, RunOptions};
use kconform_harness::trial::BackendUnderTest;
use kconform_harness::{Suite, SuitePaths};

const CASES: usize = 200;

/// Returns its first argument: the op costs nothing.
struct Echo;

impl Backend for Echo {
    fn info(&self) -> BackendInfo {
        BackendInfo::new("echo", "cpu")
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            ops: ["absolute".to_string()].into(),
            dtypes: DType::ALL.into(),
            features: Default::default(),
            random_stream: None,
        }
    }
    fn call(&self, call: &OpCall) -> Result<Value, BackendError> {
        Ok(call.args[0].clone())
    }
}

fn write_suite(root: &std::path::Path) {
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::create_dir_all(root.join("cases/ops")).unwrap();
    std::fs::write(
        root.join("spec/behaviors.yaml"),
        "version: 1\nguide: bench\nbehaviors:\n  - {id: b, section: s, claim: c, status: holds}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("spec/tolerances.yaml"),
        "version: 1\ndefaults:\n  float32: {atol: 1.0e-6, rtol: 1.0e-6, ulp: 4}\n",
    )
    .unwrap();
    let mut yaml = String::from("op: absolute\nbehavior: b\ncases:\n");
    for i in 0..CASES {
        yaml.push_str(&format!(
            "  - id: c{i}\n    args: [{{generate: uniform, shape: [8, 8], dtype: float32, seed: {i}}}]\n    expect: {{value: {{generate: uniform, shape: [8, 8], dtype: float32, seed: {i}}}}}\n"
        ));
    }
    std::fs::write(root.join("cases/ops/absolute.yaml"), yaml).unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    write_suite(dir.path());
    let paths = SuitePaths::under(dir.path());
    let mut g = c.benchmark_group("harness_overhead");
    g.throughput(Throughput::Elements(CASES as u64));
    g.bench_function("load_200_cases", |b| b.iter(|| Suite::load(paths.clone())));
    let suite = Suite::load(paths.clone());
    let but = BackendUnderTest::new(Box::new(Echo)).unwrap();
    let plans = suite.plan("echo");
    let stop = AtomicBool::new(false);
    let expectations = Expectations::default();
    let opts = RunOptions {
        jobs: 1,
        expectations: &expectations,
        recorder: None,
        stop: &stop,
        on_done: &|_| {},
    };
    g.bench_function("execute_and_diff_200_trials", |b| {
        b.iter(|| run_trials(&suite, &but, &plans, &opts))
    });
    let records = run_trials(&suite, &but, &plans, &opts);
    assert!(records
        .iter()
        .all(|r| r.status == kconform_harness::Status::Pass));
    let out = tempfile::tempdir().unwrap();
    g.bench_function("write_reports_200_trials", |b| {
        b.iter_batched(
            || {
                RunReport::new(
                    vec![but.info.clone()],
                    &suite,
                    records.clone(),
                    SystemTime::now(),
                    Duration::from_secs(1),
                )
            },
            |r| write_reports(out.path(), &r).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
