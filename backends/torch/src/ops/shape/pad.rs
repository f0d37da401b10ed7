//! `pad`: Keras's `Pad` operation (its `pad_width` processing and length
//! check) and Keras-torch's `torch.nn.functional.pad` call.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::py::py_len;
use super::torch_args::{torch_ints, torch_type_name};
use crate::args::{bind, py_int, py_repr, py_type_name};
use crate::error::{torch_raised, TorchResult};
use crate::keras::{cast, dtype, output, tensor, Ctx, R};

/// `Pad._process_pad_width`: an int is `((p, p),)`; a sequence starting with
/// an int is one row; otherwise rows of equal length, one-value rows doubled
/// in place (which a tuple of rows refuses).
fn pad_rows(pad_width: &Value) -> R<Vec<Value>> {
    let (items, is_tuple) = match pad_width {
        Value::Int(_) | Value::Bool(_) => {
            let pair = Value::Tuple(vec![pad_width.clone(), pad_width.clone()]);
            return Ok(vec![pair]);
        }
        Value::List(items) => (items, false),
        Value::Tuple(items) => (items, true),
        Value::None | Value::Float(_) => {
            return Err(BackendError::type_error(format!(
                "'{}' object is not subscriptable",
                py_type_name(pad_width)
            )))
        }
        Value::Str(s) if s.is_empty() => {
            return Err(BackendError::raised(
                "IndexError",
                "string index out of range",
            ))
        }
        Value::Str(_) => {
            return Err(BackendError::type_error(
                "'str' object does not support item assignment",
            ))
        }
        other => {
            return Err(BackendError::Unsupported(format!(
                "`pad_width` as a {}",
                other.kind()
            )))
        }
    };
    let Some(first) = items.first() else {
        let seq = if is_tuple { "tuple" } else { "list" };
        return Err(BackendError::raised(
            "IndexError",
            format!("{seq} index out of range"),
        ));
    };
    if py_int(first).is_some() {
        return Ok(vec![pad_width.clone()]);
    }
    let first_len = py_len(first)?;
    let mut rows = items.clone();
    for i in 0..rows.len() {
        let len = py_len(&rows[i])?;
        if len != first_len {
            let shown = if is_tuple {
                Value::Tuple(rows)
            } else {
                Value::List(rows)
            };
            return Err(BackendError::value_error(format!(
                "`pad_width` should be a list of tuples of length 1 or 2. Received: pad_width={}",
                py_repr(&shown)
            )));
        }
        if len == 1 {
            if is_tuple {
                return Err(BackendError::type_error(
                    "'tuple' object does not support item assignment",
                ));
            }
            let only = match &rows[i] {
                Value::List(v) | Value::Tuple(v) => v[0].clone(),
                other => {
                    return Err(BackendError::Unsupported(format!(
                        "a `pad_width` row as a {}",
                        other.kind()
                    )))
                }
            };
            rows[i] = Value::Tuple(vec![only.clone(), only]);
        }
    }
    Ok(rows)
}

/// A row's elements, and Python's `row[0] + row[1]` of them.
fn row_width(row: &Value) -> R<(&[Value], f64)> {
    let items = match row {
        Value::List(v) | Value::Tuple(v) => v.as_slice(),
        other => {
            return Err(BackendError::Unsupported(format!(
                "a `pad_width` row as a {}",
                other.kind()
            )))
        }
    };
    let number = |v: &Value| match v {
        Value::Float(f) => Ok(*f),
        other => py_int(other).map(|i| i as f64).ok_or_else(|| {
            BackendError::type_error(format!(
                "unsupported operand type(s) for +: '{}' and 'int'",
                py_type_name(other)
            ))
        }),
    };
    match items {
        [a, b, ..] => Ok((items, number(a)? + number(b)?)),
        _ => Err(BackendError::raised(
            "IndexError",
            format!("{} index out of range", py_type_name(row)),
        )),
    }
}

/// Keras-torch's flat torch pad list: rows from the last axis back, stopping
/// once no earlier row pads anything.
fn torch_pad_list(rows: &[Value]) -> R<Vec<Value>> {
    let widths = rows.iter().map(row_width).collect::<R<Vec<_>>>()?;
    let mut remaining: f64 = widths.iter().map(|w| w.1).sum();
    let mut flat = Vec::new();
    for (items, width) in widths.iter().rev() {
        flat.extend(items.iter().cloned());
        remaining -= width;
        if remaining == 0.0 {
            break;
        }
    }
    Ok(flat)
}

/// `F.pad`'s `value`: a Python number (or 0-d array) as a float.
fn fill_value(v: &Value) -> R<f64> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Tensor(t) if t.rank() == 0 => Ok(t.to_f64_vec()[0]),
        other => py_int(other).map(|i| i as f64).ok_or_else(|| {
            BackendError::type_error(format!(
                "pad(): argument 'value' (position 4) must be float, not {}",
                torch_type_name(other)
            ))
        }),
    }
}

/// libtorch's `TORCH_CHECK_NOT_IMPLEMENTED` messages of `at::pad` (an unknown
/// mode, a pad length the non-constant modes do not support), which PyTorch
/// raises as `NotImplementedError`.
fn not_implemented(message: &str) -> bool {
    message.starts_with("Unrecognised padding mode")
        || (message.starts_with("Padding size ") && message.contains(" is not supported for "))
        || message.starts_with("Only 2D, 3D, 4D, 5D padding with non-constant padding")
}

/// `F.pad`, with [`not_implemented`] errors raised as PyTorch raises them.
fn torch_pad(x: &tch::Tensor, pad: &[i64], mode: &str, value: Option<f64>) -> R<tch::Tensor> {
    x.f_pad(pad, mode, value)
        .map_err(|e| match torch_raised(e) {
            BackendError::Raised { message, .. } if not_implemented(&message) => {
                BackendError::raised("NotImplementedError", message)
            }
            other => other,
        })
}

/// `pad(x, pad_width, mode="constant", constant_values=None)`: Keras's
/// `Pad` (so a single row pads only the *last* axis on torch: Keras-torch
/// reverses the rows into torch's order and stops at the first one), then
/// `F.pad`; "symmetric" becomes torch's "replicate"; non-constant modes pad a
/// view of at least 3 dimensions, computed in float32 unless float32/64.
pub fn pad(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "pad_width", "mode", "constant_values"], 2)?;
    let rows = pad_rows(a.req(1))?;
    pad_call(ctx, a.req(0), &rows, a.get(2), a.opt(3)).map_err(|e| match e {
        BackendError::Raised { kind, message } => BackendError::raised(
            kind,
            format!(
                "Exception encountered when calling Pad.call().\n\n\u{1b}[1m{message}\u{1b}[0m\n\n\
                 Arguments received by Pad.call():"
            ),
        ),
        other => other,
    })
}

/// `Pad.call(x, constant_values)`: the row-count check, then Keras-torch's
/// `pad`. Keras re-raises what it raises with its "Exception encountered when
/// calling Pad.call()" preamble (the argument listing after it is left out).
fn pad_call(
    ctx: Ctx,
    raw_x: &Value,
    rows: &[Value],
    mode: Option<&Value>,
    constant_values: Option<&Value>,
) -> R<Value> {
    if rows.len() > 1 {
        let Value::Tensor(t) = raw_x else {
            return Err(BackendError::raised(
                "AttributeError",
                format!("'{}' object has no attribute 'shape'", py_type_name(raw_x)),
            ));
        };
        if rows.len() != t.rank() {
            let shape = Value::Tuple(t.shape().iter().map(|&n| Value::Int(n as i64)).collect());
            return Err(BackendError::value_error(format!(
                "`pad_width` must have the same length as `x.shape`. Received: pad_width={} \
                 (of length {}) and x.shape={} (of length {})",
                py_repr(&Value::List(rows.to_vec())),
                rows.len(),
                py_repr(&shape),
                t.rank()
            )));
        }
    }
    let mode = match mode.unwrap_or(&Value::Str("constant".into())) {
        Value::Str(s) => s.clone(),
        other => {
            return Err(BackendError::Unsupported(format!(
                "`mode` as a {}",
                other.kind()
            )))
        }
    };
    if constant_values.is_some() && mode != "constant" {
        return Err(BackendError::value_error(format!(
            "Argument `constant_values` can only be provided when `mode == 'constant'`. \
             Received: mode={mode}"
        )));
    }
    let x = tensor(ctx, raw_x)?;
    let flat = torch_pad_list(rows)?;
    let widths = torch_ints(&Value::List(flat), "pad(): argument 'pad' (position 2)")?;
    let mode = if mode == "symmetric" {
        "replicate".to_string()
    } else {
        mode
    };
    if mode == "constant" {
        let value = constant_values.map(fill_value).transpose()?;
        return output(&torch_pad(&x, &widths, "constant", value)?);
    }
    let ori_dtype = dtype(&x)?;
    let ori_ndim = x.dim();
    let mut x = x;
    if ori_ndim < 3 {
        let mut view = vec![1i64; 3 - ori_ndim];
        view.extend(x.size());
        x = x.f_view(view.as_slice()).py()?;
    }
    let need_cast = !matches!(ori_dtype, DType::Float32 | DType::Float64);
    if need_cast {
        x = cast(x, DType::Float32)?;
    }
    let mut x = torch_pad(&x, &widths, &mode, None)?;
    if need_cast {
        x = cast(x, ori_dtype)?;
    }
    if ori_ndim < 3 {
        let dims: Vec<i64> = (0..(3 - ori_ndim) as i64).collect();
        x = x.f_squeeze_dims(dims.as_slice()).py()?;
    }
    output(&x)
}
