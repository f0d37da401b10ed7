//! `keras.ops.pad`: Keras's `pad_width` handling, then `jnp.pad` in the
//! `constant`, `reflect`, `symmetric`, `edge` and `wrap` modes.

use kconform_api::infer::shape::PadWidth;
use kconform_api::{BackendError, OpCall, Value};
use ndarray::{ArrayD, Axis, IxDyn};

use super::gathered;
use crate::args::{py_repr, py_type_name, Args};
use crate::array::with_array;
use crate::convert::to_array;
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{shape_repr, OpError, OpResult};

/// One `pad_width` entry as Keras's `Pad._process_pad_width` leaves it.
type Row = Vec<Value>;

/// Keras's `pad_width` processing, shared with symbolic inference.
fn process_pad_width(v: &Value) -> OpResult<PadWidth> {
    kconform_api::infer::shape::process_pad_width(v).map_err(|e| match e {
        BackendError::Raised { kind, message } => match kind.as_str() {
            "ValueError" => OpError::Value(message),
            "TypeError" => OpError::Type(message),
            "IndexError" => OpError::Index(message),
            _ => OpError::Internal(format!("{kind}: {message}")),
        },
        BackendError::Unsupported(m) => OpError::Unsupported(m),
        other => OpError::Internal(other.to_string()),
    })
}

/// `_broadcast_to_pairs` on the processed rows: `(before, after)` per axis.
fn pairs(rows: &[Row], ndim: usize) -> OpResult<Vec<(i64, i64)>> {
    let width = rows[0].len();
    let int = |v: &Value| match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        _ => Err(OpError::Type(
            "`pad_width` must be of integral type.".into(),
        )),
    };
    match (rows.len(), width) {
        (k, 2) if k == ndim || k == 1 => (0..ndim)
            .map(|i| {
                let r = &rows[if k == 1 { 0 } else { i }];
                Ok((int(&r[0])?, int(&r[1])?))
            })
            .collect(),
        (k, w) => Err(OpError::Value(format!(
            "jnp.pad: pad_width with nd={ndim} has unsupported shape ({k}, {w}). Valid shapes \
             are ({ndim}, 2), (1, 2), (2,), (1,), or ()."
        ))),
    }
}

/// The padding fill values per axis and side, converted to `T` as XLA does.
fn constant_fills<T: Elem>(v: Option<&Value>, ndim: usize) -> OpResult<Vec<(T, T)>> {
    let Some(v) = v else {
        return Ok(vec![(T::zero(), T::zero()); ndim]);
    };
    let c = to_array(v)?;
    let s: Vec<T> = c.scalars().into_iter().map(T::from_scalar).collect();
    let shape = c.shape().to_vec();
    let at = |i: usize, side: usize| -> T {
        match shape.as_slice() {
            [] | [1] => s[0],
            [2] => s[side],
            [1, 2] => s[side],
            _ => s[i * 2 + side],
        }
    };
    match shape.as_slice() {
        [] | [1] | [2] | [1, 2] => {}
        [n, 2] if *n == ndim => {}
        other => {
            return Err(OpError::Value(format!(
                "jnp.pad: constant_values has unsupported shape {}. If the shape is 1D or 2D, \
                 the last dimension must be of size 1 or 2.",
                shape_repr(other)
            )))
        }
    }
    Ok((0..ndim).map(|i| (at(i, 0), at(i, 1))).collect())
}

/// Constant padding, axis by axis (later axes' fills cover the corners).
fn pad_constant<T: Elem>(
    a: ArrayD<T>,
    widths: &[(usize, usize)],
    fills: &[(T, T)],
) -> OpResult<ArrayD<T>> {
    let mut out = a;
    for (axis, (&(before, after), &(lo, hi))) in widths.iter().zip(fills).enumerate() {
        if before == 0 && after == 0 {
            continue;
        }
        let side = |n: usize, v: T| {
            let mut s = out.shape().to_vec();
            s[axis] = n;
            ArrayD::from_elem(IxDyn(&s), v)
        };
        let (b, e) = (side(before, lo), side(after, hi));
        out = ndarray::concatenate(Axis(axis), &[b.view(), out.view(), e.view()])
            .map_err(|err| OpError::Internal(err.to_string()))?;
    }
    Ok(out)
}

/// The source position of every output position along an axis of length
/// `n` padded by `(before, after)` in `mode` (`n > 0`).
fn source_positions(mode: &str, n: usize, before: usize, after: usize) -> Vec<usize> {
    let n_i = n as i64;
    (-(before as i64)..n_i + after as i64)
        .map(|j| {
            let k = match mode {
                "reflect" if n == 1 => 0,
                "reflect" => {
                    let m = j.rem_euclid(2 * (n_i - 1));
                    if m >= n_i {
                        2 * (n_i - 1) - m
                    } else {
                        m
                    }
                }
                "symmetric" => {
                    let m = j.rem_euclid(2 * n_i);
                    if m >= n_i {
                        2 * n_i - 1 - m
                    } else {
                        m
                    }
                }
                "edge" => j.clamp(0, n_i - 1),
                _ => j.rem_euclid(n_i),
            };
            k as usize
        })
        .collect()
}

/// `keras.ops.pad(x, pad_width, mode="constant", constant_values=None)`.
pub fn pad(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "pad_width", "mode", "constant_values"], 2)?;
    let width = process_pad_width(args.value(1))?;
    let rows = &width.rows;
    let mode = match args.get(2) {
        None => "constant".to_string(),
        Some(Value::Str(s)) => s.clone(),
        Some(other) => {
            return Err(OpError::Unsupported(format!(
                "pad mode given as a {}",
                other.kind()
            )))
        }
    };
    let x_value = args.value(0);
    if rows.len() > 1 {
        let Value::Tensor(t) = x_value else {
            return Err(OpError::Attribute(format!(
                "'{}' object has no attribute 'shape'",
                py_type_name(x_value)
            )));
        };
        if rows.len() != t.rank() {
            return Err(OpError::Value(format!(
                "`pad_width` must have the same length as `x.shape`. Received: pad_width={} (of \
                 length {}) and x.shape={} (of length {})",
                py_repr(&width.shown),
                rows.len(),
                shape_repr(t.shape()),
                t.rank()
            )));
        }
    }
    let x = to_array(x_value)?;
    let constant_values = args.get(3);
    if constant_values.is_some() && mode != "constant" {
        return Err(OpError::Value(format!(
            "Argument `constant_values` can only be provided when `mode == 'constant'`. \
             Received: mode={mode}"
        )));
    }
    let ndim = x.ndim();
    let widths = pairs(rows, ndim)?;
    if !["constant", "reflect", "symmetric", "edge", "wrap"].contains(&mode.as_str()) {
        return Err(OpError::Unsupported(format!("pad mode '{mode}'")));
    }
    if ndim == 0 {
        return tensor(x);
    }
    if widths.iter().any(|&(b, a)| b < 0 || a < 0) {
        return Err(OpError::Value("index can't contain negative values".into()));
    }
    let widths: Vec<(usize, usize)> = widths
        .into_iter()
        .map(|(b, a)| (b as usize, a as usize))
        .collect();
    let out_shape: Vec<usize> = x
        .shape()
        .iter()
        .zip(&widths)
        .map(|(&d, &(b, a))| d.saturating_add(b).saturating_add(a))
        .collect();
    super::check_dims(&out_shape)?;
    if mode == "constant" {
        return tensor(with_array!(x, a => {
            let fills = constant_fills(constant_values, ndim)?;
            Elem::wrap(pad_constant(a, &widths, &fills)?)
        }));
    }
    let mut out = x;
    for (axis, &(before, after)) in widths.iter().enumerate() {
        let n = out.shape()[axis];
        if n == 0 {
            if before > 0 || after > 0 {
                return Err(OpError::Value(format!(
                    "Cannot apply '{mode}' padding to empty axis"
                )));
            }
            continue;
        }
        if before > 0 || after > 0 {
            out = gathered(&out, axis, &source_positions(&mode, n, before, after));
        }
    }
    tensor(out)
}
