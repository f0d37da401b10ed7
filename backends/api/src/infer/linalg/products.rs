//! Rules of the tensor products (`Dot`, `Tensordot`, `Inner`, `Vdot`,
//! `Outer`, `Kron`, `Cross` in `keras/src/ops/numpy.py`), Keras's quirks kept.

use super::{py_del, py_get, shape_of, Shape};
use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{
    bind, broadcast_shapes, canonicalize_axis, list_repr, operand, promote, require_spec, spec,
    tuple_repr,
};
use crate::promote::Operand;
use crate::value::Value;

type R = Result<Value, BackendError>;

/// `result_type` of the two inputs (Python scalars weak).
fn pair_dtype(a: &Value, b: &Value) -> Result<DType, BackendError> {
    promote(&[operand(a)?, operand(b)?])
}

/// `Dot.compute_output_spec`.
pub fn dot(call: &OpCall) -> R {
    let args = bind(call, &["x1", "x2"], 2)?;
    let (a, b) = (
        args[0].unwrap_or(&Value::None),
        args[1].unwrap_or(&Value::None),
    );
    let dtype = pair_dtype(a, b)?;
    let (mut s1, mut s2) = (
        shape_of(a).unwrap_or_default(),
        shape_of(b).unwrap_or_default(),
    );
    if s1.is_empty() || s2.is_empty() {
        // `multiply(x1, x2)`.
        return Ok(spec(broadcast_shapes(&s1, &s2)?, dtype));
    }
    if s1.len() == 1 && s2.len() == 1 {
        return Ok(spec(vec![], dtype));
    }
    let (l1, l2) = (s1.len(), s2.len());
    if l2 == 1 {
        if s1[l1 - 1] != s2[0] {
            return Err(BackendError::value_error(format!(
                "Shape must match on the last axis of `x1` and `x2` when `x1` is N-d array \
                 while `x2` is 1-D, but receive shape `x1.shape={}` and x2.shape=`{}`.",
                tuple_repr(&s1),
                tuple_repr(&s2)
            )));
        }
        s1.pop();
        return Ok(spec(s1, dtype));
    }
    let (k1, k2) = (s1[l1 - 1], s2[l2 - 2]);
    if k1.is_none() || k2.is_none() || k1 == k2 {
        s1.pop();
        s2.remove(l2 - 2);
        s1.extend(s2);
        return Ok(spec(s1, dtype));
    }
    Err(BackendError::value_error(format!(
        "Shape must match on the last axis of `x1` and second last axis of `x2` when `x1` is \
         N-d array while `x2` is M-D, but received `x1.shape={}` and x2.shape=`{}`.",
        tuple_repr(&s1),
        tuple_repr(&s2)
    )))
}

/// Keras's `shape_equal(a, b, allow_none=True)`.
fn shape_equal(a: &[Option<usize>], b: &[Option<usize>]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(p, q)| p.is_none() || q.is_none() || p == q)
}

/// The ints of one half of a `tensordot` axes pair (`for ax in axes[i]`).
fn axis_list(v: &Value) -> Result<Vec<i64>, BackendError> {
    match v {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(|i| match i {
                Value::Int(n) => Ok(*n),
                Value::Bool(b) => Ok(i64::from(*b)),
                other => Err(BackendError::type_error(format!(
                    "list indices must be integers or slices, not {}",
                    crate::python::py_type_name(other)
                ))),
            })
            .collect(),
        other => Err(BackendError::type_error(format!(
            "'{}' object is not iterable",
            crate::python::py_type_name(other)
        ))),
    }
}

/// `Tensordot.compute_output_spec`.
pub fn tensordot(call: &OpCall) -> R {
    let args = bind(call, &["x1", "x2", "axes"], 2)?;
    let (a, b) = (
        args[0].unwrap_or(&Value::None),
        args[1].unwrap_or(&Value::None),
    );
    let dtype = pair_dtype(a, b)?;
    let (s1, s2) = (
        shape_of(a).unwrap_or_default(),
        shape_of(b).unwrap_or_default(),
    );
    let axes = args[2].cloned().unwrap_or(Value::Int(2));
    let n = match axes {
        Value::Int(n) => n,
        Value::Bool(b) => i64::from(b),
        Value::List(ref pair) | Value::Tuple(ref pair) => {
            let first = pair.first().ok_or_else(|| index_error("tuple"))?;
            let second = pair.get(1).ok_or_else(|| index_error("tuple"))?;
            let (ax1, ax2) = (axis_list(first)?, axis_list(second)?);
            let pick = |s: &Shape, ax: &[i64]| -> Result<Shape, BackendError> {
                ax.iter().map(|&i| py_get(s, i)).collect()
            };
            let (sel1, sel2) = (pick(&s1, &ax1)?, pick(&s2, &ax2)?);
            if !shape_equal(&sel1, &sel2) {
                return Err(BackendError::value_error(format!(
                    "Shape mismatch on `x1[axes[0]]` and `x2[axes[1]]`, received {} and {}.",
                    list_repr(&sel1),
                    list_repr(&sel2)
                )));
            }
            let mark =
                |s: &Shape, ax: &[i64]| -> Result<Vec<Option<Option<usize>>>, BackendError> {
                    let mut m: Vec<Option<Option<usize>>> = s.iter().map(|&d| Some(d)).collect();
                    for &i in ax {
                        let j = super::py_index(m.len(), i, "list assignment index out of range")?;
                        m[j] = None;
                    }
                    Ok(m)
                };
            let mut out: Shape = mark(&s1, &ax1)?.into_iter().flatten().collect();
            out.extend(mark(&s2, &ax2)?.into_iter().flatten());
            return Ok(spec(out, dtype));
        }
        _ => {
            return Err(BackendError::Unsupported(
                "a tensordot `axes` of this form".into(),
            ))
        }
    };
    let out: Shape = if n <= 0 {
        s1.iter().chain(&s2).copied().collect()
    } else {
        let n = n as usize;
        let head = &s1[..s1.len().saturating_sub(n)];
        let tail = s2.get(n..).unwrap_or(&[]);
        head.iter().chain(tail).copied().collect()
    };
    Ok(spec(out, dtype))
}

fn index_error(kind: &str) -> BackendError {
    BackendError::raised("IndexError", format!("{kind} index out of range"))
}

/// `Inner.compute_output_spec`.
pub fn inner(call: &OpCall) -> R {
    let args = bind(call, &["x1", "x2"], 2)?;
    let (a, b) = (
        args[0].unwrap_or(&Value::None),
        args[1].unwrap_or(&Value::None),
    );
    let dtype = pair_dtype(a, b)?;
    let (s1, s2) = (
        shape_of(a).unwrap_or_default(),
        shape_of(b).unwrap_or_default(),
    );
    if s1.is_empty() {
        return Ok(spec(s2, dtype));
    }
    if s2.is_empty() {
        return Ok(spec(s1, dtype));
    }
    let (d1, d2) = (s1[s1.len() - 1], s2[s2.len() - 1]);
    if let (Some(p), Some(q)) = (d1, d2) {
        if p != q {
            return Err(BackendError::value_error(format!(
                "`inner` requires the last dimension of `x1` and `x2` to match. Received: \
                 x1.shape={}, x2.shape={}.",
                tuple_repr(&s1),
                tuple_repr(&s2)
            )));
        }
    }
    let mut out = s1[..s1.len() - 1].to_vec();
    out.extend_from_slice(&s2[..s2.len() - 1]);
    Ok(spec(out, dtype))
}

/// `Vdot.compute_output_spec`: always a scalar.
pub fn vdot(call: &OpCall) -> R {
    let args = bind(call, &["x1", "x2"], 2)?;
    let (a, b) = (
        args[0].unwrap_or(&Value::None),
        args[1].unwrap_or(&Value::None),
    );
    Ok(spec(vec![], pair_dtype(a, b)?))
}

/// `Outer.compute_output_spec`: `(x1.size, x2.size)`, a Python scalar
/// counting as shape `[1]`.
pub fn outer(call: &OpCall) -> R {
    let args = bind(call, &["x1", "x2"], 2)?;
    let (a, b) = (
        args[0].unwrap_or(&Value::None),
        args[1].unwrap_or(&Value::None),
    );
    let dtype = pair_dtype(a, b)?;
    let size = |v: &Value| -> Option<usize> {
        shape_of(v)
            .unwrap_or_else(|| vec![Some(1)])
            .into_iter()
            .product::<Option<usize>>()
    };
    Ok(spec(vec![size(a), size(b)], dtype))
}

/// `Kron.compute_output_spec`: the shapes zipped (so the longer one is
/// truncated), and Python scalars as strong `int32`/`float32`.
pub fn kron(call: &OpCall) -> R {
    let args = bind(call, &["x1", "x2"], 2)?;
    let (a, b) = (
        args[0].unwrap_or(&Value::None),
        args[1].unwrap_or(&Value::None),
    );
    let strong = |v: &Value| -> Result<Operand, BackendError> {
        Ok(match operand(v)? {
            Operand::WeakInt => Operand::Strong(DType::Int32),
            Operand::WeakFloat => Operand::Strong(DType::Float32),
            o => o,
        })
    };
    let dtype = promote(&[strong(a)?, strong(b)?])?;
    let (s1, s2) = (
        shape_of(a).unwrap_or_default(),
        shape_of(b).unwrap_or_default(),
    );
    let out = s1
        .iter()
        .zip(&s2)
        .map(|(p, q)| Some((*p)? * (*q)?))
        .collect();
    Ok(spec(out, dtype))
}

/// `Cross.compute_output_spec` (its error messages print `{axisa}` and
/// `{axisb}` literally).
pub fn cross(call: &OpCall) -> R {
    let args = bind(call, &["x1", "x2", "axisa", "axisb", "axisc", "axis"], 2)?;
    let x1 = require_spec(args[0], "x1")?;
    let x2 = require_spec(args[1], "x2")?;
    let int = |i: usize| crate::infer::util::int_arg(args[i]).map(|v| v.unwrap_or(-1));
    let (mut axisa, mut axisb, mut axisc) = (int(2)?, int(3)?, int(4)?);
    if let Some(axis) = crate::infer::util::int_arg(args[5])? {
        (axisa, axisb, axisc) = (axis, axis, axis);
    }
    let (mut s1, mut s2) = (x1.shape.clone(), x2.shape.clone());
    let v1 = py_get(&s1, axisa)?;
    let v2 = py_get(&s2, axisb)?;
    py_del(&mut s1, axisa)?;
    py_del(&mut s2, axisb)?;
    let mut out = broadcast_shapes(&s1, &s2)?;
    for (v, which, name) in [(v1, "x1", "axisa"), (v2, "x2", "axisb")] {
        if let Some(d) = v {
            if d != 2 && d != 3 {
                return Err(BackendError::value_error(format!(
                    "`{which}`'s dim on `axis={{{name}}}` must be either 2 or 3, but received: {d}"
                )));
            }
        }
    }
    let three = v1 == Some(3) || v2 == Some(3);
    let c = canonicalize_axis(axisc, out.len() + usize::from(three))?;
    if three {
        out.insert(c, Some(3));
    }
    let dtype = promote(&[Operand::Strong(x1.dtype), Operand::Strong(x2.dtype)])?;
    Ok(spec(out, dtype))
}
