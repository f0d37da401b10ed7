//! The backend author's entry point: `Harness::new(backend).run()` in a
//! `harness = false` test turns every case into a libtest trial.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use kconform_api::Backend;
use libtest_mimic::{Arguments, Completion, Failed, Trial};

use crate::expectations::Expectations;
use crate::outcome::Status;
use crate::report::{write_reports, RunReport};
use crate::suite::{Suite, SuitePaths};
use crate::trial::{execute, BackendUnderTest};

/// Runs the conformance suite against one backend under libtest
/// (`cargo test`, `cargo nextest`), honoring libtest's filters and flags.
///
/// ```no_run
/// // tests/conformance.rs of a backend crate, with `harness = false`:
/// kconform_harness::Harness::new(kconform_reference::ReferenceBackend::new())
///     .expect("tests/known-failures.yaml")
///     .run();
/// ```
pub struct Harness {
    backend: Box<dyn Backend>,
    paths: SuitePaths,
    expectations: Option<PathBuf>,
    report_dir: Option<PathBuf>,
}

impl Harness {
    /// A harness for `backend` over the suite found by [`SuitePaths::discover`].
    pub fn new(backend: impl Backend + 'static) -> Self {
        Harness {
            backend: Box::new(backend),
            paths: SuitePaths::discover(),
            expectations: None,
            report_dir: std::env::var_os("KCONFORM_REPORT_DIR").map(PathBuf::from),
        }
    }

    /// Uses the suite at `paths` instead.
    pub fn suite(mut self, paths: SuitePaths) -> Self {
        self.paths = paths;
        self
    }

    /// Loads known issues from `path` (see [`crate::expectations`]).
    pub fn expect(mut self, path: impl Into<PathBuf>) -> Self {
        self.expectations = Some(path.into());
        self
    }

    /// Writes report.json, junit.xml and summary.md to `dir` after the run
    /// (default: `$KCONFORM_REPORT_DIR`, if set). Ignored under nextest, where
    /// each process runs one trial.
    pub fn report_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.report_dir = Some(dir.into());
        self
    }

    /// Runs under libtest with the process's arguments and exits.
    pub fn run(self) -> ! {
        let args = Arguments::from_args();
        let expectations = match &self.expectations {
            None => Expectations::default(),
            Some(p) => match Expectations::load(p) {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("kconform: {e}");
                    std::process::exit(2);
                }
            },
        };
        let but = match BackendUnderTest::new(self.backend) {
            Ok(b) => Arc::new(b),
            Err(e) => {
                eprintln!("kconform: {e}");
                std::process::exit(2);
            }
        };
        let suite = Arc::new(Suite::load(self.paths));
        let expectations = Arc::new(expectations);
        let records = Arc::new(Mutex::new(Vec::new()));
        let started = (SystemTime::now(), Instant::now());
        let trials = suite
            .plan(&but.info.id)
            .into_iter()
            .map(|plan| {
                let (suite, but, expectations, records) = (
                    suite.clone(),
                    but.clone(),
                    expectations.clone(),
                    records.clone(),
                );
                Trial::ignorable_test(plan.id.clone(), move || {
                    let mut rec = execute(&suite, &plan, &but, None);
                    rec.known = expectations.lookup(&rec.id);
                    let outcome = if rec.is_unexpected() {
                        Err(Failed::from(rec.failure_text()))
                    } else if rec.status == Status::Unsupported {
                        Ok(Completion::ignored_with(format!(
                            "unsupported: {}",
                            rec.message.as_deref().unwrap_or("")
                        )))
                    } else if rec.known.is_some() {
                        Ok(Completion::ignored_with(format!(
                            "known {}",
                            rec.status.name()
                        )))
                    } else {
                        Ok(Completion::Completed)
                    };
                    if let Ok(mut r) = records.lock() {
                        r.push(rec);
                    }
                    outcome
                })
            })
            .collect();
        let conclusion = libtest_mimic::run(&args, trials);
        let under_nextest =
            std::env::var_os("NEXTEST").is_some() || std::env::var_os("NEXTEST_RUN_ID").is_some();
        if let (Some(dir), false, false) = (&self.report_dir, under_nextest, args.list) {
            let mut records = records.lock().map(|r| r.clone()).unwrap_or_default();
            records.sort_by(|a, b| a.id.cmp(&b.id));
            let report = RunReport::new(
                vec![but.info.clone()],
                &suite,
                records,
                started.0,
                started.1.elapsed(),
            );
            if let Err(e) = write_reports(dir, &report) {
                eprintln!(
                    "kconform: could not write reports to {}: {e}",
                    dir.display()
                );
            }
        }
        conclusion.exit()
    }
}
