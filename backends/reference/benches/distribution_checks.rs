//! The suite's distribution checks (every case with `expect: distribution`)
//! run through the harness on the reference backend: draw, observe, test.
//! Budget: under a second for all of them, on one thread.

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kconform_harness::case::Expectation;
use kconform_harness::expectations::Expectations;
use kconform_harness::run::{run_trials, RunOptions};
use kconform_harness::suite::{LoadedFile, TrialKind};
use kconform_harness::trial::BackendUnderTest;
use kconform_harness::{Status, Suite, SuitePaths};
use kconform_reference::ReferenceBackend;

fn bench(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let suite = Suite::load(SuitePaths::under(&root));
    let is_distribution = |kind: &TrialKind| match kind {
        TrialKind::Case { file, case } => matches!(
            &suite.files[*file],
            LoadedFile::Ok(f) if matches!(f.cases[*case].expect, Expectation::Distribution(_))
        ),
        _ => false,
    };
    let plans: Vec<_> = suite
        .plan("reference")
        .into_iter()
        .filter(|p| is_distribution(&p.kind))
        .collect();
    assert!(!plans.is_empty(), "the suite has no distribution checks");
    let but = BackendUnderTest::new(Box::new(ReferenceBackend::new())).expect("reference info");
    let stop = AtomicBool::new(false);
    let expectations = Expectations::default();
    let opts = RunOptions {
        jobs: 1,
        expectations: &expectations,
        recorder: None,
        stop: &stop,
        on_done: &|_| {},
    };
    // Every check must pass, or the timing means nothing.
    for r in run_trials(&suite, &but, &plans, &opts) {
        assert_eq!(r.status, Status::Pass, "{}: {:?}", r.id, r.message);
    }
    let mut g = c.benchmark_group("distribution_checks");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(plans.len() as u64));
    g.bench_function(format!("all_{}_checks_one_thread", plans.len()), |b| {
        b.iter(|| run_trials(&suite, &but, &plans, &opts))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
