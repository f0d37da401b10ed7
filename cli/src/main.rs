//! `kconform`: run the Keras 3 conformance suite, list and check cases, and
//! report behavior coverage.

mod backends;
mod check;
mod compare;
mod coverage;
mod list;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use kconform_harness::SuitePaths;

/// Keras 3 conformance suite and differential-testing harness.
#[derive(Parser)]
#[command(name = "kconform", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the suite is.
#[derive(Args, Clone)]
struct SuiteArgs {
    /// Case directory (default: `cases/` of the checkout).
    #[arg(long, value_name = "DIR")]
    cases: Option<PathBuf>,
    /// Spec directory with behaviors.yaml and tolerances.yaml (default: `spec/` beside the cases).
    #[arg(long, value_name = "DIR")]
    spec: Option<PathBuf>,
}

impl SuiteArgs {
    fn paths(&self) -> SuitePaths {
        let found = SuitePaths::discover();
        let cases = self.cases.clone().unwrap_or(found.cases);
        let spec = self.spec.clone().unwrap_or_else(|| match &self.cases {
            Some(c) => c
                .parent()
                .map(|p| p.join("spec"))
                .unwrap_or_else(|| PathBuf::from("spec")),
            None => found.spec,
        });
        SuitePaths { cases, spec }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run cases on one or more backends and write report.json, junit.xml and summary.md.
    Run(run::RunArgs),
    /// List the cases (trial names without the backend).
    List {
        #[command(flatten)]
        suite: SuiteArgs,
        /// Only names containing this text (repeatable).
        #[arg(long)]
        filter: Vec<String>,
    },
    /// Validate case files, the catalog, the tolerance policy and the goldens without running anything.
    Check {
        #[command(flatten)]
        suite: SuiteArgs,
    },
    /// Compare two runs' report.json: new failures, fixed cases, tolerance-use drift.
    Compare {
        /// The earlier report.json.
        old: PathBuf,
        /// The later report.json.
        new: PathBuf,
        /// Report tolerance use that moved by at least this fraction of the allowed tolerance.
        #[arg(long, default_value_t = 0.25)]
        drift: f64,
        /// Also write the comparison as Markdown here.
        #[arg(long, value_name = "FILE")]
        write: Option<PathBuf>,
    },
    /// Behavior → cases, and keras.ops namespace coverage: which ops have all
    /// four kinds of case and, per backend (from report.json), pass them.
    Coverage {
        #[command(flatten)]
        suite: SuiteArgs,
        /// List each behavior's cases.
        #[arg(long)]
        verbose: bool,
        /// List every op with its case kinds and per-backend results.
        #[arg(long)]
        ops: bool,
        /// report.json files to read backend results from (default: every
        /// `reports/*/report.json` beside the case directory).
        #[arg(long, value_name = "FILE")]
        report: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::List { suite, filter } => list::list(&suite.paths(), &filter),
        Command::Check { suite } => check::check(&suite.paths()),
        Command::Coverage {
            suite,
            verbose,
            ops,
            report,
        } => coverage::coverage(&suite.paths(), verbose, ops, &report),
        Command::Compare {
            old,
            new,
            drift,
            write,
        } => compare::compare(&old, &new, drift, write.as_ref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kconform: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
