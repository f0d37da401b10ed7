//! Compares a backend's result with what is expected, and measures how far off it is.

use kconform_api::tensor::Scalar;
use kconform_api::{DType, Tensor, Value};
use serde::Serialize;

use crate::tolerance::Tolerance;

/// The element where a tensor is furthest outside (or closest to) its tolerance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Worst {
    /// Multi-index of the element.
    pub index: Vec<usize>,
    /// The backend's value, printed exactly (`-0.0`, `NaN`, `inf`).
    pub actual: String,
    /// The expected value, printed exactly.
    pub expected: String,
}

/// Measurements of one tensor comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TensorMetrics {
    /// Where in the result, e.g. `out` or `out[1]`.
    pub path: String,
    /// Expected dtype.
    pub dtype: DType,
    /// Expected shape.
    pub shape: Vec<usize>,
    /// Elements compared.
    pub elements: usize,
    /// Elements outside tolerance.
    pub mismatches: usize,
    /// Largest `|a - e|` over finite pairs.
    pub max_abs_error: f64,
    /// Largest `|a - e| / |e|` over finite pairs with `e != 0`.
    pub max_rel_error: f64,
    /// Largest ulp distance in the expected dtype (floats only).
    pub max_ulp: u64,
    /// Tolerance applied (floats only).
    pub tolerance: Option<Tolerance>,
    /// Largest fraction of the allowed tolerance used (1.0 = at the limit);
    /// `None` when some element is beyond any tolerance (NaN or inf mismatch,
    /// or an exact-compare mismatch).
    pub tolerance_used: Option<f64>,
    /// The worst element.
    pub worst: Option<Worst>,
}

/// The result of comparing one output against its expectation.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Comparison {
    /// Human-readable reasons it failed; empty when it passed.
    pub problems: Vec<String>,
    /// Per-tensor measurements.
    pub metrics: Vec<TensorMetrics>,
}

impl Comparison {
    /// True when nothing differs beyond tolerance.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// How to compare floats.
pub struct CompareOptions<'a> {
    /// The tolerance for a given expected dtype.
    pub tolerance: &'a dyn Fn(DType) -> Tolerance,
    /// `-0.0` differs from `0.0`.
    pub signed_zero_strict: bool,
}

/// Compares `actual` with `expected`.
pub fn compare(actual: &Value, expected: &Value, opts: &CompareOptions<'_>) -> Comparison {
    let mut c = Comparison::default();
    compare_at("out", actual, expected, opts, &mut c);
    c
}

fn compare_at(path: &str, a: &Value, e: &Value, opts: &CompareOptions<'_>, c: &mut Comparison) {
    match (a, e) {
        (Value::Tensor(a), Value::Tensor(e)) => compare_tensors(path, a, e, opts, c),
        (Value::List(a), Value::List(e)) | (Value::Tuple(a), Value::Tuple(e)) => {
            if a.len() != e.len() {
                c.problems.push(format!(
                    "{path}: expected {} items, got {}",
                    e.len(),
                    a.len()
                ));
                return;
            }
            for (i, (x, y)) in a.iter().zip(e).enumerate() {
                compare_at(&format!("{path}[{i}]"), x, y, opts, c);
            }
        }
        (Value::Dict(a), Value::Dict(e)) => {
            let (ka, ke): (Vec<_>, Vec<_>) = (a.keys().collect(), e.keys().collect());
            if ka != ke {
                c.problems
                    .push(format!("{path}: expected keys {ke:?}, got {ka:?}"));
                return;
            }
            for (k, y) in e {
                compare_at(&format!("{path}[{k:?}]"), &a[k], y, opts, c);
            }
        }
        (Value::Float(a), Value::Float(e)) => {
            let (ta, te) = (
                Tensor::from_scalars(DType::Float64, vec![], &[Scalar::Float(*a)]),
                Tensor::from_scalars(DType::Float64, vec![], &[Scalar::Float(*e)]),
            );
            if let (Ok(ta), Ok(te)) = (ta, te) {
                compare_tensors(path, &ta, &te, opts, c);
            }
        }
        (Value::Spec(a), Value::Spec(e)) => {
            if a != e {
                c.problems.push(format!(
                    "{path}: expected symbolic {:?} {}, got {:?} {}",
                    e.shape, e.dtype, a.shape, a.dtype
                ));
            }
        }
        _ if a == e => {}
        _ if std::mem::discriminant(a) == std::mem::discriminant(e) => {
            c.problems
                .push(format!("{path}: expected {e:?}, got {a:?}"));
        }
        _ => c.problems.push(format!(
            "{path}: expected a Python {} ({}), got a {} ({})",
            e.kind(),
            short(e),
            a.kind(),
            short(a)
        )),
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::Tensor(t) => format!("{} {:?}", t.dtype(), t.shape()),
        other => {
            let s = format!("{other:?}");
            if s.len() > 60 {
                format!("{}…", &s[..60])
            } else {
                s
            }
        }
    }
}

/// Position of `x` on the float line of `dtype`: adjacent floats differ by 1,
/// and `-0.0` and `0.0` share a position.
fn ordinal(x: f64, dtype: DType) -> i128 {
    fn from_bits(bits: i128, sign_bit: i128) -> i128 {
        if bits & sign_bit != 0 {
            -(bits & !sign_bit)
        } else {
            bits
        }
    }
    match dtype {
        DType::Float16 => from_bits(
            kconform_api::round::f16_from_f64(x).to_bits().into(),
            0x8000,
        ),
        DType::Bfloat16 => from_bits(
            kconform_api::round::bf16_from_f64(x).to_bits().into(),
            0x8000,
        ),
        DType::Float32 => from_bits((x as f32).to_bits().into(), 0x8000_0000),
        _ => from_bits(x.to_bits().into(), 1 << 63),
    }
}

fn show(s: Scalar) -> String {
    match s {
        Scalar::Bool(b) => {
            if b {
                "True".into()
            } else {
                "False".into()
            }
        }
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => format!("{f:?}"),
    }
}

fn unravel(mut i: usize, shape: &[usize]) -> Vec<usize> {
    let mut idx = vec![0; shape.len()];
    for (d, &n) in shape.iter().enumerate().rev() {
        if n > 0 {
            idx[d] = i % n;
            i /= n;
        }
    }
    idx
}

/// How much of its tolerance one float element uses (`inf` = beyond any).
fn element_usage(
    a: f64,
    e: f64,
    dtype: DType,
    tol: &Tolerance,
    strict_zero: bool,
) -> (f64, f64, u64) {
    if e.is_nan() || a.is_nan() {
        return (
            if e.is_nan() && a.is_nan() {
                0.0
            } else {
                f64::INFINITY
            },
            0.0,
            0,
        );
    }
    if e.is_infinite() || a.is_infinite() {
        return (if a == e { 0.0 } else { f64::INFINITY }, 0.0, 0);
    }
    if strict_zero && a == 0.0 && e == 0.0 && a.is_sign_negative() != e.is_sign_negative() {
        return (f64::INFINITY, 0.0, 0);
    }
    let abs = (a - e).abs();
    let ulp = ordinal(a, dtype)
        .abs_diff(ordinal(e, dtype))
        .min(u64::MAX as u128) as u64;
    let allowed = tol.atol + tol.rtol * e.abs();
    let by_abs = if abs == 0.0 {
        0.0
    } else if allowed > 0.0 {
        abs / allowed
    } else {
        f64::INFINITY
    };
    let by_ulp = if ulp == 0 {
        0.0
    } else if tol.ulp > 0 {
        ulp as f64 / tol.ulp as f64
    } else {
        f64::INFINITY
    };
    (by_abs.min(by_ulp), abs, ulp)
}

fn compare_tensors(
    path: &str,
    a: &Tensor,
    e: &Tensor,
    opts: &CompareOptions<'_>,
    c: &mut Comparison,
) {
    if a.dtype() != e.dtype() {
        c.problems.push(format!(
            "{path}: dtype differs: expected {}, got {}",
            e.dtype(),
            a.dtype()
        ));
    }
    if a.shape() != e.shape() {
        c.problems.push(format!(
            "{path}: shape differs: expected {:?}, got {:?}",
            e.shape(),
            a.shape()
        ));
        return;
    }
    let dtype = e.dtype();
    let float = dtype.is_float() || a.dtype().is_float();
    let tol = float.then(|| (opts.tolerance)(dtype));
    let mut m = TensorMetrics {
        path: path.to_string(),
        dtype,
        shape: e.shape().to_vec(),
        elements: e.len(),
        mismatches: 0,
        max_abs_error: 0.0,
        max_rel_error: 0.0,
        max_ulp: 0,
        tolerance: tol,
        tolerance_used: Some(0.0),
        worst: None,
    };
    let mut worst_usage = -1.0f64;
    let mut first_mismatches = Vec::new();
    for i in 0..e.len() {
        let (sa, se) = (a.scalar(i), e.scalar(i));
        let (usage, abs, ulp) = match &tol {
            Some(tol) => element_usage(
                sa.as_f64(),
                se.as_f64(),
                dtype,
                tol,
                opts.signed_zero_strict,
            ),
            None => {
                let same = match (sa, se) {
                    (Scalar::Int(x), Scalar::Int(y)) => x == y,
                    (Scalar::Bool(x), Scalar::Bool(y)) => x == y,
                    (x, y) => x.as_f64() == y.as_f64(),
                };
                let abs = (sa.as_f64() - se.as_f64()).abs();
                (if same { 0.0 } else { f64::INFINITY }, abs, 0)
            }
        };
        if abs.is_finite() {
            m.max_abs_error = m.max_abs_error.max(abs);
            let ev = se.as_f64().abs();
            if ev > 0.0 {
                m.max_rel_error = m.max_rel_error.max(abs / ev);
            }
        }
        m.max_ulp = m.max_ulp.max(ulp);
        if usage > 1.0 {
            m.mismatches += 1;
            if first_mismatches.len() < 5 {
                first_mismatches.push(format!(
                    "{:?} got {} expected {}",
                    unravel(i, e.shape()),
                    show(sa),
                    show(se)
                ));
            }
        }
        if usage > worst_usage {
            worst_usage = usage;
            m.worst = Some(Worst {
                index: unravel(i, e.shape()),
                actual: show(sa),
                expected: show(se),
            });
        }
    }
    m.tolerance_used = (worst_usage.max(0.0))
        .is_finite()
        .then_some(worst_usage.max(0.0));
    if m.mismatches > 0 {
        let tol_text = tol
            .map(|t| format!("; tolerance atol={} rtol={} ulp={}", t.atol, t.rtol, t.ulp))
            .unwrap_or_else(|| "; exact compare".into());
        let worst = m
            .worst
            .as_ref()
            .map(|w| {
                format!(
                    "\n  worst at {:?}: got {}, expected {}",
                    w.index, w.actual, w.expected
                )
            })
            .unwrap_or_default();
        c.problems.push(format!(
            "{path}: {} of {} elements differ (dtype {dtype}, shape {:?}){tol_text}\n  max abs error {:e}, max rel error {:e}, max ulp {}{worst}\n  first mismatches: {}",
            m.mismatches,
            m.elements,
            m.shape,
            m.max_abs_error,
            m.max_rel_error,
            m.max_ulp,
            first_mismatches.join("; ")
        ));
    }
    c.metrics.push(m);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32t(v: &[f32]) -> Value {
        Value::Tensor(
            Tensor::new(vec![v.len()], kconform_api::TensorData::Float32(v.to_vec())).unwrap(),
        )
    }

    fn run(a: &Value, e: &Value, strict: bool) -> Comparison {
        let tol = |_| Tolerance {
            atol: 0.0,
            rtol: 0.0,
            ulp: 1,
        };
        compare(
            a,
            e,
            &CompareOptions {
                tolerance: &tol,
                signed_zero_strict: strict,
            },
        )
    }

    #[test]
    fn ulp_nan_inf_and_signed_zero() {
        let next = f32::from_bits(1.0f32.to_bits() + 1);
        let two = f32::from_bits(1.0f32.to_bits() + 2);
        assert!(run(
            &f32t(&[next, f32::NAN, f32::INFINITY]),
            &f32t(&[1.0, f32::NAN, f32::INFINITY]),
            false
        )
        .passed());
        let c = run(&f32t(&[two]), &f32t(&[1.0]), false);
        assert!(!c.passed());
        assert_eq!(c.metrics[0].max_ulp, 2);
        assert_eq!(c.metrics[0].tolerance_used, Some(2.0));
        assert!(!run(&f32t(&[1.0]), &f32t(&[f32::NAN]), false).passed());
        assert!(!run(&f32t(&[f32::NEG_INFINITY]), &f32t(&[f32::INFINITY]), false).passed());
        assert!(run(&f32t(&[0.0]), &f32t(&[-0.0]), false).passed());
        assert!(!run(&f32t(&[0.0]), &f32t(&[-0.0]), true).passed());
        // Adjacent across zero: -min_subnormal and +min_subnormal are 2 ulp apart.
        assert_eq!(
            ordinal(-f64::from(f32::from_bits(1)), DType::Float32)
                .abs_diff(ordinal(f64::from(f32::from_bits(1)), DType::Float32)),
            2
        );
    }

    #[test]
    fn readable_diff_names_worst_index() {
        let c = run(&f32t(&[1.0, 5.0, 3.0]), &f32t(&[1.0, 2.0, 3.0]), false);
        let text = c.problems.join("\n");
        assert!(text.contains("1 of 3 elements differ"), "{text}");
        assert!(
            text.contains("worst at [1]: got 5.0, expected 2.0"),
            "{text}"
        );
        assert_eq!(c.metrics[0].max_abs_error, 3.0);
        assert_eq!(c.metrics[0].mismatches, 1);
    }

    #[test]
    fn structure_dtype_and_exact_ints() {
        let i = |v: Vec<i32>| {
            Value::Tensor(Tensor::new(vec![v.len()], kconform_api::TensorData::Int32(v)).unwrap())
        };
        assert!(run(&i(vec![1, 2]), &i(vec![1, 2]), false).passed());
        assert!(!run(&i(vec![1, 3]), &i(vec![1, 2]), false).passed());
        assert!(!run(&f32t(&[1.0, 2.0]), &i(vec![1, 2]), false).passed());
        let c = run(&Value::Int(2), &Value::Tuple(vec![]), false);
        assert!(
            c.problems[0].contains("expected a Python tuple"),
            "{:?}",
            c.problems
        );
        assert!(!run(&Value::Int(2), &Value::Int(3), false).passed());
    }
}
