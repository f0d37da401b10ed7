//! The loaded, validated form of case files.

use std::path::PathBuf;

use kconform_api::{DType, Value};

use crate::tolerance::TolerancePatch;

/// A position in a case file (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The case file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// Whether a case runs the op eagerly or on symbolic tensors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `Backend::call`.
    Eager,
    /// `Backend::call_symbolic`.
    Symbolic,
}

/// What a case expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Expectation {
    /// The outputs real Keras produced, from the golden store.
    Golden,
    /// Only the shape and dtype of the outputs real Keras produced (its
    /// tensors recorded as specs): the dtype cases.
    GoldenSpec,
    /// An inline literal.
    Value(Value),
    /// The call raises this Python exception type, with `message` as a substring.
    Error {
        /// Python exception type name.
        kind: String,
        /// Substring of the message, if given.
        message: Option<String>,
    },
    /// Relations between the outputs of a program (indices into its result
    /// tuple): `same` pairs are identical (dtype, shape and bits), `differ`
    /// pairs are not. For behaviors that hold on every random stream.
    Outputs {
        /// Pairs that must be identical.
        same: Vec<(usize, usize)>,
        /// Pairs that must differ.
        differ: Vec<(usize, usize)>,
    },
    /// The output is tested against a law (spec/case-format.md,
    /// "Distribution checks"); no golden.
    Distribution(Box<crate::distribution::DistributionCheck>),
    /// Only the result's shape and dtype are checked.
    Spec {
        /// Dimensions (`None` = unknown).
        shape: Vec<Option<usize>>,
        /// Dtype.
        dtype: DType,
    },
}

impl Expectation {
    /// True when the expected outputs live in the golden store.
    pub fn uses_golden(&self) -> bool {
        matches!(self, Expectation::Golden | Expectation::GoldenSpec)
    }

    /// Short name for reports.
    pub fn kind(&self) -> &'static str {
        match self {
            Expectation::Golden => "golden",
            Expectation::GoldenSpec => "golden_spec",
            Expectation::Value(_) => "value",
            Expectation::Error { .. } => "error",
            Expectation::Outputs { .. } => "outputs",
            Expectation::Spec { .. } => "spec",
            Expectation::Distribution(_) => "distribution",
        }
    }
}

/// One case, ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// Stable id, unique within its file.
    pub id: String,
    /// One-line description.
    pub summary: Option<String>,
    /// The `keras.ops` name called.
    pub op: String,
    /// The behavior id it covers (spec/behaviors.yaml).
    pub behavior: String,
    /// Eager or symbolic.
    pub mode: Mode,
    /// Which of the four kinds of case this is.
    pub kind: super::CaseKind,
    /// The random stream family whose exact values the case pins (the file's
    /// `stream:`), if any: it runs only on backends of that family.
    pub stream: Option<String>,
    /// A program of several steps instead of one call (`args` and `kwargs`
    /// are then empty).
    pub program: Option<kconform_api::Program>,
    /// Positional arguments, materialized.
    pub args: Vec<Value>,
    /// Keyword arguments, materialized.
    pub kwargs: std::collections::BTreeMap<String, Value>,
    /// What is expected.
    pub expect: Expectation,
    /// Case-level tolerance layer.
    pub tolerance: TolerancePatch,
    /// `-0.0` and `0.0` differ when true.
    pub signed_zero_strict: bool,
    /// Where the case starts in its file.
    pub location: Location,
}

/// A case that failed to load, kept so its trial reports the error while the
/// rest of the file still runs.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokenCase {
    /// The case id if it could be read, else `case<N>` by position.
    pub id: String,
    /// The located error.
    pub error: crate::case::LoadError,
}

/// One case file.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseFile {
    /// Path of the YAML file.
    pub path: PathBuf,
    /// Trial-name prefix from the path under the cases dir, e.g. `ops::absolute`.
    pub name: String,
    /// The file's `op`.
    pub op: String,
    /// Op-level tolerance layer.
    pub tolerance: TolerancePatch,
    /// Cases that loaded.
    pub cases: Vec<Case>,
    /// Cases that did not.
    pub broken: Vec<BrokenCase>,
}

impl CaseFile {
    /// The golden store directory of this file (`<stem>.goldens` beside it).
    pub fn golden_dir(&self) -> PathBuf {
        let stem = self
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.path.with_file_name(format!("{stem}.goldens"))
    }
}
