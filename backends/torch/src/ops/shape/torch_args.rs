//! Arguments as PyTorch's Python argument parser reads them: Keras-torch
//! hands most arguments to torch unchecked, so torch's `TypeError`s (and the
//! ints it accepts, NumPy's 0-d arrays among them) are what Keras-torch shows.

use kconform_api::{BackendError, Value};

use crate::args::py_type_name;
use crate::keras::R;

/// The type name PyTorch's argument parser prints for a Python value (a
/// host tensor stands for a NumPy array).
pub(super) fn torch_type_name(v: &Value) -> &'static str {
    match v {
        Value::Tensor(_) => "numpy.ndarray",
        other => py_type_name(other),
    }
}

/// A value PyTorch's parser takes for a `SymInt`: a Python int (not a
/// bool), or a 0-d integer NumPy array (read through `__index__`). Plain
/// `int` parameters (dims, `rot90`'s `k`, `diag`'s `diagonal`) take only the
/// Python int.
pub(super) fn torch_index(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Tensor(t) if t.rank() == 0 && t.dtype().is_integer() => {
            t.to_f64_vec().first().map(|&f| f as i64)
        }
        _ => None,
    }
}

fn not_int(v: &Value, what: &str) -> BackendError {
    BackendError::type_error(format!("{what} must be int, not {}", torch_type_name(v)))
}

/// A plain `int` parameter of a torch function (a dim, `rot90`'s `k`): a
/// Python int, else PyTorch's `TypeError` "`what` must be int, not T" (`what`
/// is e.g. `"rot90(): argument 'k'"`).
pub(super) fn torch_int(v: &Value, what: &str) -> R<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(not_int(other, what)),
    }
}

/// A `SymInt` parameter of a torch function (`tril`'s `diagonal`,
/// `eye`'s sizes): a Python int or a 0-d integer array.
pub(super) fn torch_symint(v: &Value, what: &str) -> R<i64> {
    torch_index(v).ok_or_else(|| not_int(v, what))
}

/// A `tuple of ints` parameter of a torch function: a list or tuple whose
/// first element is an int (or a 0-d integer array; a bool is refused) and
/// whose others read as ints (bools included, through `__index__`), else
/// PyTorch's `TypeError`.
pub(super) fn torch_ints(v: &Value, what: &str) -> R<Vec<i64>> {
    if let Some(ints) = as_ints(v) {
        return Ok(ints);
    }
    let message = match v {
        Value::List(items) | Value::Tuple(items) => {
            let readable = |i: usize, x: &Value| {
                if i == 0 {
                    torch_index(x).is_some()
                } else {
                    later_index(x).is_some()
                }
            };
            let (i, bad) = items
                .iter()
                .enumerate()
                .find(|&(i, x)| !readable(i, x))
                .unwrap_or((0, v));
            format!(
                "{what} must be tuple of ints, but found element of type {} at pos {i}",
                torch_type_name(bad)
            )
        }
        other => format!(
            "{what} must be tuple of ints, not {}",
            torch_type_name(other)
        ),
    };
    Err(BackendError::type_error(message))
}

/// An element after the first of a `tuple of ints`: anything with `__index__`.
fn later_index(v: &Value) -> Option<i64> {
    match v {
        Value::Bool(b) => Some(i64::from(*b)),
        other => torch_index(other),
    }
}

/// A list or tuple of ints as PyTorch's parser takes it for a `tuple of
/// ints` parameter (see [`torch_ints`]), or `None` when it does not.
pub(super) fn as_ints(v: &Value) -> Option<Vec<i64>> {
    match v {
        Value::List(items) | Value::Tuple(items) => {
            if let Some(first) = items.first() {
                torch_index(first)?;
            }
            items.iter().map(later_index).collect()
        }
        _ => None,
    }
}

/// PyTorch's `TypeError` for a tensor factory (`torch.ones`, `torch.full`,
/// ...) called with `dtype=` and `device=` when no overload matches: `got`
/// lists the arguments as PyTorch prints them, `lead` the overloads'
/// leading parameters.
pub(super) fn factory_mismatch(func: &str, got: &str, lead: &str) -> BackendError {
    let tail = "torch.dtype dtype = None, torch.layout layout = None, torch.device device = \
                None, bool pin_memory = False, bool requires_grad = False)";
    BackendError::type_error(format!(
        "{func}() received an invalid combination of arguments - got ({got}), but expected \
         one of:\n * ({lead}, *, tuple of names names, {tail}\n * ({lead}, *, Tensor out = \
         None, {tail}\n"
    ))
}

/// An `int[1]` parameter (`roll`'s shifts and dims): one int, or a tuple of
/// ints (a 0-d array trips an internal assert of PyTorch's parser).
pub(super) fn torch_int_or_ints(v: &Value, what: &str) -> R<Vec<i64>> {
    match v {
        Value::List(_) | Value::Tuple(_) => torch_ints(v, what),
        Value::Int(i) => Ok(vec![*i]),
        other if torch_index(other).is_some() => Err(BackendError::raised(
            "RuntimeError",
            "PyList_Check(arg) INTERNAL ASSERT FAILED at \"/pytorch/torch/csrc/utils/python_arg_parser.h\":576, \
             please report a bug to PyTorch. expected tuple or list",
        )),
        other => Err(BackendError::type_error(format!(
            "{what} must be tuple of ints, not {}",
            torch_type_name(other)
        ))),
    }
}
