//! kconform's harness: loads YAML cases, runs them on a [`kconform_api::Backend`],
//! compares results with goldens recorded from real Keras, and writes reports.
//!
//! Data flows one way: case files → [`case`] loader → [`suite::Suite`] plan →
//! [`trial::execute`] on a backend → [`differ`] → [`report`].
//!
//! A backend author's integration is a `harness = false` test:
//! `kconform_harness::Harness::new(MyBackend::new()).run()`.

mod atomic;
pub mod behaviors;
pub mod case;
pub mod coverage;
pub mod differ;
pub mod differential;
pub mod distribution;
pub mod expectations;
pub mod golden;
pub mod op_coverage;
pub mod outcome;
pub mod report;
pub mod run;
mod runner;
pub mod spec_file;
pub mod suite;
pub mod tolerance;
pub mod trial;

pub use atomic::write_atomic;
pub use outcome::{Status, TrialRecord};
pub use runner::Harness;
pub use suite::{Suite, SuitePaths};
