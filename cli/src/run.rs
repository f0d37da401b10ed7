//! `kconform run`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use anyhow::{bail, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use kconform_harness::differential::{differential, CaseDiff};
use kconform_harness::expectations::Expectations;
use kconform_harness::golden::Provenance;
use kconform_harness::report::{write_reports, RunReport};
use kconform_harness::run::{run_trials, RunOptions};
use kconform_harness::trial::{BackendUnderTest, Recorder};
use kconform_harness::Suite;

use crate::backends;
use crate::SuiteArgs;

/// Arguments of `kconform run`.
#[derive(Args)]
pub struct RunArgs {
    /// Comma-separated backends (reference, keras:jax, keras:torch, keras:numpy).
    #[arg(long, default_value = "reference", value_delimiter = ',')]
    backend: Vec<String>,
    #[command(flatten)]
    suite: SuiteArgs,
    /// Only trials whose name contains this text (repeatable; any may match).
    #[arg(long)]
    filter: Vec<String>,
    /// Only trials whose name equals a --filter exactly.
    #[arg(long)]
    exact: bool,
    /// Where to write the reports (default: reports/<backends>).
    #[arg(long, value_name = "DIR")]
    report_dir: Option<PathBuf>,
    /// Record goldens from the (single, real-Keras) backend instead of comparing.
    #[arg(long)]
    record: bool,
    /// Known-issues file (see spec/case-format.md, "Known issues").
    #[arg(long = "expect", value_name = "FILE")]
    expectations: Option<PathBuf>,
    /// Worker threads (default: available cores).
    #[arg(long)]
    jobs: Option<usize>,
    /// With several backends: exit 1 when they disagree on any case they all
    /// ran (statuses, values or exceptions), whatever the goldens say; results
    /// against the goldens are still reported. For holding one backend to
    /// another, e.g. `--backend torch,keras:torch`.
    #[arg(long)]
    require_agreement: bool,
}

fn matches(id: &str, filters: &[String], exact: bool) -> bool {
    filters.is_empty()
        || filters.iter().any(|f| {
            if exact {
                id == f
            } else {
                id.contains(f.as_str())
            }
        })
}

/// Runs the suite; exit code 1 when any result is unexpected, 130 when interrupted.
pub fn run(args: RunArgs) -> Result<ExitCode> {
    if args.require_agreement && args.backend.len() < 2 {
        bail!("--require-agreement compares backends: give two or more, e.g. --backend torch,keras:torch");
    }
    if args.record && (args.backend.len() != 1 || !backends::is_keras(&args.backend[0])) {
        bail!("--record needs exactly one real-Keras backend, e.g. --backend keras:jax (goldens come from real Keras only)");
    }
    let expectations = match &args.expectations {
        Some(p) => Expectations::load(p)?,
        None => Expectations::default(),
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            eprintln!("\nkconform: interrupted; finishing running trials and writing reports (Ctrl-C again to abort)");
        })
        .context("cannot install the Ctrl-C handler")?;
    }
    let started = (SystemTime::now(), Instant::now());
    let paths = args.suite.paths();
    let suite = Suite::load(paths);
    let mut infos = Vec::new();
    let mut records = Vec::new();
    let mut record_errors = Vec::new();
    for name in &args.backend {
        let but = BackendUnderTest::new(backends::open(name)?).map_err(anyhow::Error::msg)?;
        let plans: Vec<_> = suite
            .plan(&but.info.id)
            .into_iter()
            .filter(|p| matches(&p.id, &args.filter, args.exact))
            .collect();
        let recorder = args.record.then(|| {
            Recorder::new(Provenance {
                backend: but.info.id.clone(),
                versions: but.info.versions.clone(),
                recorded_at: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            })
        });
        let bar = ProgressBar::new(plans.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:40}] {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(but.info.id.clone());
        let on_done = |r: &kconform_harness::TrialRecord| {
            bar.inc(1);
            if r.is_unexpected() {
                bar.println(format!("{} {}", r.status.name().to_uppercase(), r.id));
            }
        };
        let jobs = args.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        });
        let opts = RunOptions {
            jobs,
            expectations: &expectations,
            recorder: recorder.as_ref(),
            stop: &stop,
            on_done: &on_done,
        };
        records.extend(run_trials(&suite, &but, &plans, &opts));
        bar.finish_and_clear();
        if let Some(r) = recorder {
            record_errors.extend(r.finish(&suite));
        }
        infos.push(but.info);
    }
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let stale = if args.filter.is_empty() {
        expectations
            .unmatched(&ids)
            .into_iter()
            .map(String::from)
            .collect()
    } else {
        Vec::new()
    };
    let mut report = RunReport::new(infos, &suite, records, started.0, started.1.elapsed());
    report.filters = args.filter.clone();
    report.recorded = args.record;
    report.interrupted = stop.load(Ordering::SeqCst);
    report.stale_expectations = stale;
    if args.backend.len() > 1 {
        if let Ok(policy) = &suite.policy {
            report.differential = differential(&report.records, policy);
            print_differential(&report.differential);
        }
    }
    let dir = args
        .report_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(args.backend.join("+").replace(':', "-")));
    write_reports(&dir, &report)
        .with_context(|| format!("cannot write reports to {}", dir.display()))?;
    for (backend, t) in report.totals() {
        println!(
            "{backend}: {} trials: {} pass, {} fail, {} error, {} unsupported, {} skipped ({} unexpected)",
            t.trials, t.pass, t.fail, t.error, t.unsupported, t.skipped, t.unexpected
        );
    }
    for e in &record_errors {
        eprintln!("kconform: {e}");
    }
    let unexpected: Vec<_> = report
        .records
        .iter()
        .filter(|r| r.is_unexpected())
        .collect();
    // Held to another backend, results against the goldens are context:
    // they stay in the reports, not on the terminal.
    let shown = if args.require_agreement { 0 } else { 20 };
    for r in unexpected.iter().take(shown) {
        eprintln!("\n--- {} ---\n{}", r.id, r.failure_text());
    }
    if unexpected.len() > shown {
        eprintln!(
            "\n… and {} more; see {}",
            unexpected.len() - shown,
            dir.join("summary.md").display()
        );
    }
    println!(
        "reports: {} ({:.2} s)",
        dir.display(),
        report.wall.as_secs_f64()
    );
    let disagreements: Vec<(String, String)> = report
        .differential
        .iter()
        .filter_map(|d| d.disagreement().map(|why| (d.case.clone(), why)))
        .collect();
    if args.require_agreement {
        for (case, why) in &disagreements {
            eprintln!("DISAGREE {case}: {why}");
        }
        println!(
            "agreement: {} of {} cases compared disagree",
            disagreements.len(),
            report.differential.len()
        );
    }
    // A trial that errored while recording is already unexpected.
    let failed = if args.require_agreement {
        !disagreements.is_empty() || !record_errors.is_empty()
    } else {
        !unexpected.is_empty() || !record_errors.is_empty()
    };
    Ok(if report.interrupted {
        ExitCode::from(130)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One line per case: each backend's status, disagreeing pairs, and the outlier.
fn print_differential(diffs: &[CaseDiff]) {
    println!("per-case comparison ({} cases):", diffs.len());
    for d in diffs {
        let statuses: Vec<String> = d
            .statuses
            .iter()
            .map(|(b, s)| format!("{b}={}", s.name()))
            .collect();
        let pairs: Vec<String> = d
            .pairs
            .iter()
            .map(|p| {
                let rel = if p.agree { "~" } else { "≠" };
                match &p.note {
                    Some(n) if !p.agree && p.max_abs_error == 0.0 => {
                        format!("{}{rel}{} ({n})", p.a, p.b)
                    }
                    _ => format!(
                        "{}{rel}{} abs {:.3e} ulp {}",
                        p.a, p.b, p.max_abs_error, p.max_ulp
                    ),
                }
            })
            .collect();
        let outlier = d
            .outlier
            .as_ref()
            .map(|o| format!("  outlier: {o}"))
            .unwrap_or_default();
        println!(
            "  {}  {}  [{}]{outlier}",
            d.case,
            statuses.join(" "),
            pairs.join("; ")
        );
    }
}
