//! Runs one planned trial on one backend and judges the result.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Mutex;
use std::time::Instant;

use kconform_api::{Backend, BackendError, BackendInfo, Capabilities, Feature, OpCall, Value};

use crate::case::{Case, CaseFile, Expectation, Mode};
use crate::differ::{compare, CompareOptions};
use crate::golden::{GoldenWriter, Provenance};
use crate::outcome::{Status, TrialRecord};
use crate::suite::{LoadedFile, PlannedTrial, Suite, TrialKind};
use crate::tolerance::ToleranceQuery;

/// One backend, with its identity and capabilities read once.
pub struct BackendUnderTest {
    /// The backend.
    pub backend: Box<dyn Backend>,
    /// Its info.
    pub info: BackendInfo,
    /// Its capabilities.
    pub caps: Capabilities,
}

impl BackendUnderTest {
    /// Reads info and capabilities once (a panicking backend is reported, not propagated).
    pub fn new(backend: Box<dyn Backend>) -> Result<Self, String> {
        let read = catch_unwind(AssertUnwindSafe(|| {
            (backend.info(), backend.capabilities())
        }));
        match read {
            Ok((info, caps)) => Ok(BackendUnderTest {
                backend,
                info,
                caps,
            }),
            Err(p) => Err(format!(
                "backend panicked while reporting its capabilities: {}",
                panic_text(&p)
            )),
        }
    }
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".into())
}

/// Records goldens during a run: one writer per case file.
pub struct Recorder {
    provenance: Provenance,
    writers: Mutex<std::collections::BTreeMap<usize, GoldenWriter>>,
}

impl Recorder {
    /// A recorder stamping every golden with `provenance`.
    pub fn new(provenance: Provenance) -> Self {
        Recorder {
            provenance,
            writers: Mutex::new(Default::default()),
        }
    }

    fn record(&self, suite: &Suite, file: usize, case: &str, value: &Value) -> Result<(), String> {
        let LoadedFile::Ok(f) = &suite.files[file] else {
            return Err("file did not load".into());
        };
        let mut writers = self
            .writers
            .lock()
            .map_err(|_| "recorder poisoned".to_string())?;
        if let std::collections::btree_map::Entry::Vacant(v) = writers.entry(file) {
            v.insert(
                GoldenWriter::new(&f.golden_dir(), self.provenance.clone())
                    .map_err(|e| e.to_string())?,
            );
        }
        writers
            .get_mut(&file)
            .map(|w| w.record(case, value))
            .ok_or_else(|| "no writer".to_string())
    }

    /// Writes every touched golden store. Returns the errors, one per file.
    pub fn finish(self, suite: &Suite) -> Vec<String> {
        let writers = self.writers.into_inner().unwrap_or_default();
        let mut errors = Vec::new();
        for (file, w) in writers {
            let LoadedFile::Ok(f) = &suite.files[file] else {
                continue;
            };
            let live: Vec<&str> = f
                .cases
                .iter()
                .filter(|c| c.expect.uses_golden())
                .map(|c| c.id.as_str())
                .collect();
            if let Err(e) = w.finish(&live) {
                errors.push(e.to_string());
            }
        }
        errors
    }
}

/// A record for trial `id` on `backend`, with status `error` until judged.
pub(crate) fn record_of(
    id: &str,
    backend: &str,
    op: &str,
    behavior: &str,
    expectation: &str,
) -> TrialRecord {
    let case = id
        .strip_suffix(&format!("::{backend}"))
        .unwrap_or(id)
        .to_string();
    TrialRecord {
        id: id.to_string(),
        case,
        backend: backend.to_string(),
        op: op.to_string(),
        behavior: behavior.to_string(),
        expectation: expectation.to_string(),
        kind: String::new(),
        status: Status::Error,
        message: None,
        metrics: Vec::new(),
        known: None,
        duration: Default::default(),
        output: None,
        raised: None,
    }
}

/// Runs `plan` on `but` and returns its record. Never panics on a broken case,
/// golden or backend: each becomes this trial's error.
pub fn execute(
    suite: &Suite,
    plan: &PlannedTrial,
    but: &BackendUnderTest,
    recorder: Option<&Recorder>,
) -> TrialRecord {
    let start = Instant::now();
    let backend_id = but.info.id.as_str();
    let mut rec = match &plan.kind {
        TrialKind::SpecError(e) => {
            let mut r = record_of(&plan.id, backend_id, "", "", "load");
            r.message = Some(e.clone());
            r
        }
        TrialKind::FileError { file } => {
            let mut r = record_of(&plan.id, backend_id, "", "", "load");
            if let LoadedFile::Err { error, .. } = &suite.files[*file] {
                r.message = Some(error.to_string());
            }
            r
        }
        TrialKind::Broken { file, broken } => {
            let mut r = record_of(&plan.id, backend_id, "", "", "load");
            if let LoadedFile::Ok(f) = &suite.files[*file] {
                r.op = f.op.clone();
                r.message = Some(f.broken[*broken].error.to_string());
            }
            r
        }
        TrialKind::Case { file, case } => match &suite.files[*file] {
            LoadedFile::Ok(f) => {
                run_case(suite, *file, f, &f.cases[*case], &plan.id, but, recorder)
            }
            LoadedFile::Err { .. } => record_of(&plan.id, backend_id, "", "", "load"),
        },
    };
    rec.duration = start.elapsed();
    rec
}

/// Why a case does not apply to a backend at all (skipped, not unsupported):
/// it pins the exact values of another random stream family.
fn other_stream(case: &Case, caps: &Capabilities) -> Option<String> {
    let wanted = case.stream.as_deref()?;
    match caps.random_stream.as_deref() {
        Some(have) if have == wanted => None,
        have => Some(format!(
            "pins the exact `{wanted}` random stream; this backend follows {} \
             (held to the stream-independent cases only)",
            have.map_or_else(|| "no exact stream".to_string(), |h| format!("`{h}`"))
        )),
    }
}

fn unsupported_reason(case: &Case, caps: &Capabilities) -> Option<String> {
    if let Some(p) = &case.program {
        if !caps.has(Feature::Programs) {
            return Some("backend does not run programs (SeedGenerator, set_random_seed)".into());
        }
        if p.traced && !caps.has(Feature::TracedPrograms) {
            return Some("backend does not run traced programs".into());
        }
        if let Some(op) = p.backend_ops().into_iter().find(|op| !caps.supports_op(op)) {
            return Some(format!("backend does not implement `{op}`"));
        }
        let values = p
            .steps()
            .flat_map(|s| s.call.args.iter().chain(s.call.kwargs.values()));
        return unsupported_dtype(values, caps);
    }
    if !caps.supports_op(&case.op) {
        return Some(format!("backend does not implement `{}`", case.op));
    }
    if case.mode == Mode::Symbolic && !caps.has(Feature::Symbolic) {
        return Some("backend has no symbolic calls".into());
    }
    unsupported_dtype(case.args.iter().chain(case.kwargs.values()), caps)
}

fn unsupported_dtype<'a>(
    values: impl Iterator<Item = &'a Value>,
    caps: &Capabilities,
) -> Option<String> {
    for v in values {
        for t in v.tensors() {
            if !caps.supports_dtype(t.dtype()) {
                return Some(format!("backend does not support dtype {}", t.dtype()));
            }
        }
    }
    None
}

fn run_case(
    suite: &Suite,
    file_index: usize,
    file: &CaseFile,
    case: &Case,
    id: &str,
    but: &BackendUnderTest,
    recorder: Option<&Recorder>,
) -> TrialRecord {
    let mut rec = record_of(
        id,
        &but.info.id,
        &case.op,
        &case.behavior,
        case.expect.kind(),
    );
    rec.kind = case.kind.name().to_string();
    if let Some(why) = other_stream(case, &but.caps) {
        rec.status = Status::Skipped;
        rec.message = Some(why);
        return rec;
    }
    if let Some(why) = unsupported_reason(case, &but.caps) {
        rec.status = Status::Unsupported;
        rec.message = Some(why);
        return rec;
    }
    let call = OpCall {
        op: case.op.clone(),
        args: case.args.clone(),
        kwargs: case.kwargs.clone(),
    };
    let result = catch_unwind(AssertUnwindSafe(|| match (&case.program, case.mode) {
        (Some(p), _) => but.backend.run_program(p),
        (None, Mode::Eager) => but.backend.call(&call),
        (None, Mode::Symbolic) => but.backend.call_symbolic(&call),
    }))
    .unwrap_or_else(|p| {
        Err(BackendError::Internal(format!(
            "backend panicked: {}",
            panic_text(&p)
        )))
    });
    let output = result.as_ref().ok().cloned();
    let raised = match &result {
        Err(BackendError::Raised { kind, message }) => Some((kind.clone(), message.clone())),
        _ => None,
    };
    let (status, message) = judge(
        suite, file_index, file, case, result, but, recorder, &mut rec,
    );
    rec.status = status;
    rec.message = message;
    rec.output = output;
    rec.raised = raised;
    rec
}

#[allow(clippy::too_many_arguments)]
fn judge(
    suite: &Suite,
    file_index: usize,
    file: &CaseFile,
    case: &Case,
    result: Result<Value, BackendError>,
    but: &BackendUnderTest,
    recorder: Option<&Recorder>,
    rec: &mut TrialRecord,
) -> (Status, Option<String>) {
    let value = match (&case.expect, result) {
        (_, Err(BackendError::Unsupported(why))) => return (Status::Unsupported, Some(why)),
        (
            Expectation::Error { kind, message },
            Err(BackendError::Raised {
                kind: got,
                message: text,
            }),
        ) => {
            let kind_ok = got == *kind;
            let msg_ok = message.as_ref().is_none_or(|m| text.contains(m.as_str()));
            return if kind_ok && msg_ok {
                (Status::Pass, None)
            } else {
                (
                    Status::Fail,
                    Some(format!(
                        "expected {kind}{} but got {got}: {text}",
                        message
                            .as_ref()
                            .map(|m| format!(" containing {m:?}"))
                            .unwrap_or_default()
                    )),
                )
            };
        }
        (Expectation::Error { kind, .. }, Ok(v)) => {
            return (
                Status::Fail,
                Some(format!(
                    "expected {kind} to be raised, but the call returned {}",
                    describe(&v)
                )),
            )
        }
        (_, Err(BackendError::Raised { kind, message })) => {
            return (
                Status::Fail,
                Some(format!(
                    "the call raised {kind}: {message}\n(Keras returns a value here)"
                )),
            )
        }
        (_, Err(e)) => return (Status::Error, Some(e.to_string())),
        (_, Ok(v)) => v,
    };
    if let Expectation::Distribution(check) = &case.expect {
        return judge_distribution(suite, check, &value);
    }
    let value = if case.expect == Expectation::GoldenSpec {
        value.to_spec()
    } else {
        value
    };
    let expected = match &case.expect {
        Expectation::Golden | Expectation::GoldenSpec => {
            if let Some(r) = recorder {
                return match r.record(suite, file_index, &case.id, &value) {
                    Ok(()) => (Status::Pass, Some("recorded".into())),
                    Err(e) => (Status::Error, Some(format!("could not record: {e}"))),
                };
            }
            match suite
                .goldens(file_index)
                .and_then(|g| g.get(&case.id).map_err(|e| e.to_string()))
            {
                Ok(v) => v,
                Err(e) => return (Status::Error, Some(e)),
            }
        }
        Expectation::Value(v) => v.clone(),
        Expectation::Spec { shape, dtype } => {
            let got = match &value {
                Value::Tensor(t) => Some((
                    t.shape().iter().map(|&d| Some(d)).collect::<Vec<_>>(),
                    t.dtype(),
                )),
                Value::Spec(s) => Some((s.shape.clone(), s.dtype)),
                _ => None,
            };
            return match got {
                Some((s, d)) if s == *shape && d == *dtype => (Status::Pass, None),
                Some((s, d)) => (
                    Status::Fail,
                    Some(format!(
                        "expected shape {shape:?} dtype {dtype}, got shape {s:?} dtype {d}"
                    )),
                ),
                None => (
                    Status::Fail,
                    Some(format!(
                        "expected a tensor of shape {shape:?}, got {}",
                        describe(&value)
                    )),
                ),
            };
        }
        Expectation::Outputs { same, differ } => return judge_outputs(&value, same, differ),
        Expectation::Error { .. } | Expectation::Distribution(_) => {
            unreachable!("handled above")
        }
    };
    let Ok(policy) = &suite.policy else {
        return (Status::Error, Some("tolerance policy did not load".into()));
    };
    let tolerance = |dtype| {
        policy.resolve(&ToleranceQuery {
            dtype,
            op: &case.op,
            op_layer: &file.tolerance,
            case_layer: &case.tolerance,
            backend: &but.info.id,
            device: &but.info.device,
        })
    };
    let cmp = compare(
        &value,
        &expected,
        &CompareOptions {
            tolerance: &tolerance,
            signed_zero_strict: case.signed_zero_strict,
        },
    );
    let verdict = if cmp.passed() {
        (Status::Pass, None)
    } else {
        (Status::Fail, Some(cmp.problems.join("\n")))
    };
    rec.metrics = cmp.metrics;
    verdict
}

/// An `outputs` expectation: `same` pairs identical, `differ` pairs not.
fn judge_outputs(
    value: &Value,
    same: &[(usize, usize)],
    differ: &[(usize, usize)],
) -> (Status, Option<String>) {
    let Value::Tuple(items) = value else {
        return (
            Status::Fail,
            Some(format!(
                "expected a program's tuple of outputs, got {}",
                describe(value)
            )),
        );
    };
    let mut problems = Vec::new();
    let pairs = same
        .iter()
        .map(|p| (p, true))
        .chain(differ.iter().map(|p| (p, false)));
    for (&(i, j), want_same) in pairs {
        match (items.get(i), items.get(j)) {
            (Some(a), Some(b)) => {
                if (a == b) != want_same {
                    let (verb, how) = if want_same {
                        ("differ", "identical")
                    } else {
                        ("are identical", "different")
                    };
                    problems.push(format!("outputs {i} and {j} {verb}; expected them {how}"));
                }
            }
            _ => problems.push(format!(
                "outputs {i} and {j} compared, but the program returned {} outputs",
                items.len()
            )),
        }
    }
    if problems.is_empty() {
        (Status::Pass, None)
    } else {
        (Status::Fail, Some(problems.join("\n")))
    }
}

/// A distribution check: its verdict, or an error when it cannot be judged.
fn judge_distribution(
    suite: &Suite,
    check: &crate::distribution::DistributionCheck,
    value: &Value,
) -> (Status, Option<String>) {
    let table = match &suite.critical {
        Ok(t) => t,
        Err(e) => return (Status::Error, Some(format!("critical values: {e}"))),
    };
    match crate::distribution::evaluate(check, value, table) {
        Ok(v) if v.passed => (Status::Pass, Some(v.message)),
        Ok(v) => (Status::Fail, Some(v.message)),
        Err(e) => (Status::Error, Some(e)),
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Tensor(t) => format!("a {} tensor of shape {:?}", t.dtype(), t.shape()),
        other => format!("a Python {}", other.kind()),
    }
}
