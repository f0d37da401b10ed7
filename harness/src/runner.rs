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
use crate::suite::{PlannedTrial, Suite, SuitePaths, TrialKind};
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
    group_under_nextest: bool,
}

/// True when cargo-nextest runs (or lists) this binary: it sets
/// `NEXTEST_RUN_ID` in both phases (0.9.138 and later) and `NEXTEST` when running.
fn under_nextest() -> bool {
    std::env::var_os("NEXTEST").is_some() || std::env::var_os("NEXTEST_RUN_ID").is_some()
}

impl Harness {
    /// A harness for `backend` over the suite found by [`SuitePaths::discover`].
    pub fn new(backend: impl Backend + 'static) -> Self {
        Harness {
            backend: Box::new(backend),
            paths: SuitePaths::discover(),
            expectations: None,
            report_dir: std::env::var_os("KCONFORM_REPORT_DIR").map(PathBuf::from),
            group_under_nextest: false,
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

    /// Under cargo-nextest, which starts one process per trial, makes each
    /// case file one trial (`ops::absolute::file::<backend>`, running all its
    /// cases and failing with every unexpected one): for backends with a
    /// costly start (libtorch takes ~0.2 s to load), 250 processes instead of
    /// 14,000. `cargo test` keeps one trial per case either way.
    pub fn group_by_file_under_nextest(mut self) -> Self {
        self.group_under_nextest = true;
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
        // One exact trial (how nextest runs each test): read only the case
        // files whose prefix that trial name starts with.
        let suite = Arc::new(match (&args.filter, args.exact, args.list) {
            (Some(name), true, false) => {
                let name = name.clone();
                Suite::load_matching(self.paths, move |prefix| {
                    name.strip_prefix(prefix)
                        .is_some_and(|rest| rest.starts_with("::"))
                })
            }
            _ => Suite::load(self.paths),
        });
        let expectations = Arc::new(expectations);
        let records = Arc::new(Mutex::new(Vec::new()));
        let started = (SystemTime::now(), Instant::now());
        let plans = suite.plan(&but.info.id);
        let run_one = {
            let (suite, but, expectations, records) = (
                suite.clone(),
                but.clone(),
                expectations.clone(),
                records.clone(),
            );
            move |plan: &PlannedTrial| {
                let mut rec = execute(&suite, plan, &but, None);
                rec.known = expectations.lookup(&rec.id);
                let verdict = Verdict::of(&rec);
                if let Ok(mut r) = records.lock() {
                    r.push(rec);
                }
                verdict
            }
        };
        let run_one = Arc::new(run_one);
        let trials: Vec<Trial> = if self.group_under_nextest && under_nextest() {
            group_by_file(plans, &suite, &but.info.id)
                .into_iter()
                .map(|(id, group)| {
                    let run_one = run_one.clone();
                    Trial::ignorable_test(id, move || {
                        Verdict::combine(group.iter().map(|p| (p.id.as_str(), run_one(p))))
                    })
                })
                .collect()
        } else {
            plans
                .into_iter()
                .map(|plan| {
                    let run_one = run_one.clone();
                    Trial::ignorable_test(plan.id.clone(), move || run_one(&plan).outcome())
                })
                .collect()
        };
        let conclusion = libtest_mimic::run(&args, trials);
        if let (Some(dir), false, false) = (&self.report_dir, under_nextest(), args.list) {
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

/// How one trial ended, for libtest.
enum Verdict {
    /// Passed, or failed as expected.
    Ok,
    /// Unsupported or a known issue: libtest's `ignored`, with the reason.
    Ignored(String),
    /// An unexpected result, with its text.
    Failed(String),
}

impl Verdict {
    fn of(rec: &crate::outcome::TrialRecord) -> Self {
        if rec.is_unexpected() {
            Verdict::Failed(rec.failure_text())
        } else if rec.status == Status::Unsupported {
            Verdict::Ignored(format!(
                "unsupported: {}",
                rec.message.as_deref().unwrap_or("")
            ))
        } else if rec.known.is_some() {
            Verdict::Ignored(format!("known {}", rec.status.name()))
        } else {
            Verdict::Ok
        }
    }

    fn outcome(self) -> Result<Completion, Failed> {
        match self {
            Verdict::Ok => Ok(Completion::Completed),
            Verdict::Ignored(why) => Ok(Completion::ignored_with(why)),
            Verdict::Failed(text) => Err(Failed::from(text)),
        }
    }

    /// A file's trials as one: failed when any failed (listing each),
    /// ignored when every trial was, else passed.
    fn combine<'a>(
        verdicts: impl Iterator<Item = (&'a str, Verdict)>,
    ) -> Result<Completion, Failed> {
        let (mut failures, mut ran, mut ignored) = (Vec::new(), 0, 0);
        for (id, v) in verdicts {
            ran += 1;
            match v {
                Verdict::Ok => {}
                Verdict::Ignored(_) => ignored += 1,
                Verdict::Failed(text) => failures.push(format!("--- {id} ---\n{text}")),
            }
        }
        if !failures.is_empty() {
            Err(Failed::from(format!(
                "{} of {ran} trials unexpected:\n{}",
                failures.len(),
                failures.join("\n\n")
            )))
        } else if ran > 0 && ignored == ran {
            Ok(Completion::ignored_with(format!(
                "all {ran} trials unsupported or known"
            )))
        } else {
            Ok(Completion::Completed)
        }
    }
}

/// The plan's trials grouped by case file, each group named
/// `<file prefix>::file::<backend>`; spec-level trials stay alone.
fn group_by_file(
    plans: Vec<PlannedTrial>,
    suite: &Suite,
    backend_id: &str,
) -> Vec<(String, Vec<PlannedTrial>)> {
    let mut groups: Vec<(String, Vec<PlannedTrial>)> = Vec::new();
    for plan in plans {
        let file = match &plan.kind {
            TrialKind::Case { file, .. }
            | TrialKind::Broken { file, .. }
            | TrialKind::FileError { file } => Some(*file),
            TrialKind::SpecError(_) => None,
        };
        let id = match file {
            Some(f) => format!("{}::file::{backend_id}", suite.files[f].name()),
            None => plan.id.clone(),
        };
        match groups.last_mut() {
            Some((last, group)) if *last == id => group.push(plan),
            _ => groups.push((id, vec![plan])),
        }
    }
    groups
}
