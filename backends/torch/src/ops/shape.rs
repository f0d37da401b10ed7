//! The `shape` group of ops (as in the reference backend's `ops::shape`), on
//! libtorch with Keras 3.15.1's torch-backend semantics: one submodule per
//! kind of op, and here the reading of arguments the way PyTorch's Python
//! argument parser reads them (Keras-torch hands most arguments to torch
//! unchecked, so torch's `TypeError`s are what a bad argument raises).

mod fill;
mod join;
mod pad;
mod permute;
mod repeat;
mod sort;
mod space;
mod split;
mod triangle;

use kconform_api::{BackendError, Value};

use super::Kernel;
use crate::args::py_type_name;
use crate::keras::{output, R};

/// This group's ops, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[
    ("argsort", sort::argsort),
    ("array_split", split::array_split),
    ("broadcast_to", permute::broadcast_to),
    ("expand_dims", permute::expand_dims),
    ("eye", triangle::eye),
    ("fliplr", permute::fliplr),
    ("flipud", permute::flipud),
    ("full", fill::full),
    ("full_like", fill::full_like),
    ("hstack", join::hstack),
    ("identity", triangle::identity),
    ("linspace", space::linspace),
    ("logspace", space::logspace),
    ("moveaxis", permute::moveaxis),
    ("ones", fill::ones),
    ("ones_like", fill::ones_like),
    ("pad", pad::pad),
    ("ravel", permute::ravel),
    ("repeat", repeat::repeat),
    ("roll", repeat::roll),
    ("rot90", permute::rot90),
    ("sort", sort::sort),
    ("split", split::split),
    ("stack", join::stack),
    ("swapaxes", permute::swapaxes),
    ("tile", repeat::tile),
    ("transpose", permute::transpose),
    ("tri", triangle::tri),
    ("tril", triangle::tril),
    ("triu", triangle::triu),
    ("unstack", split::unstack),
    ("vstack", join::vstack),
    ("zeros", fill::zeros),
    ("zeros_like", fill::zeros_like),
];

/// The type name PyTorch's argument parser prints for a Python value (a
/// host tensor stands for a NumPy array).
fn torch_type_name(v: &Value) -> &'static str {
    match v {
        Value::Tensor(_) => "numpy.ndarray",
        other => py_type_name(other),
    }
}

/// A value PyTorch's parser takes for an `int`: a Python int (not a bool),
/// or a 0-d integer NumPy array (read through `__index__`).
fn torch_index(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Tensor(t) if t.rank() == 0 && t.dtype().is_integer() => {
            t.to_f64_vec().first().map(|&f| f as i64)
        }
        _ => None,
    }
}

/// An `int` parameter of a torch function: a Python int (not a bool) or a
/// 0-d integer array, else PyTorch's `TypeError` "`what` must be int, not T"
/// (`what` is e.g. `"tril(): argument 'diagonal'"`).
fn torch_int(v: &Value, what: &str) -> R<i64> {
    torch_index(v).ok_or_else(|| {
        BackendError::type_error(format!("{what} must be int, not {}", torch_type_name(v)))
    })
}

/// A `tuple of ints` parameter of a torch function: a list or tuple of
/// ints (0-d integer arrays allowed, bools not), else PyTorch's `TypeError`.
fn torch_ints(v: &Value, what: &str) -> R<Vec<i64>> {
    if let Some(ints) = as_ints(v) {
        return Ok(ints);
    }
    let message = match v {
        Value::List(items) | Value::Tuple(items) => {
            let (i, bad) = items
                .iter()
                .enumerate()
                .find(|(_, x)| torch_index(x).is_none())
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

/// A list or tuple of ints as PyTorch's parser takes it for a `tuple of
/// ints` parameter, or `None` when it does not.
fn as_ints(v: &Value) -> Option<Vec<i64>> {
    match v {
        Value::List(items) | Value::Tuple(items) => items.iter().map(torch_index).collect(),
        _ => None,
    }
}

/// PyTorch's `TypeError` for a tensor factory (`torch.ones`, `torch.full`,
/// ...) called with `dtype=` and `device=` when no overload matches: `got`
/// lists the arguments as PyTorch prints them, `lead` the overloads'
/// leading parameters.
fn factory_mismatch(func: &str, got: &str, lead: &str) -> BackendError {
    let tail = "torch.dtype dtype = None, torch.layout layout = None, torch.device device = \
                None, bool pin_memory = False, bool requires_grad = False)";
    BackendError::type_error(format!(
        "{func}() received an invalid combination of arguments - got ({got}), but expected \
         one of:\n * ({lead}, *, tuple of names names, {tail}\n * ({lead}, *, Tensor out = \
         None, {tail}\n"
    ))
}

/// An `int[1]` parameter (`roll`'s shifts and dims): one int, or a tuple of ints.
fn torch_int_or_ints(v: &Value, what: &str) -> R<Vec<i64>> {
    match v {
        Value::List(_) | Value::Tuple(_) => torch_ints(v, what),
        other => torch_int(other, what).map(|i| vec![i]),
    }
}

/// Python's `len(v)`, or its `TypeError` for a value without one.
fn py_len(v: &Value) -> R<usize> {
    match v {
        Value::List(items) | Value::Tuple(items) => Ok(items.len()),
        Value::Str(s) => Ok(s.chars().count()),
        Value::Dict(d) => Ok(d.len()),
        Value::Tensor(t) if t.rank() > 0 => Ok(t.shape()[0]),
        Value::Tensor(_) => Err(BackendError::type_error("len() of unsized object")),
        other => Err(BackendError::type_error(format!(
            "object of type '{}' has no len()",
            py_type_name(other)
        ))),
    }
}

/// The elements of a list, tuple or 1-D integer array as Python values (an
/// array's elements become ints, as NumPy integers stand for them).
fn py_items(v: &Value) -> R<Vec<Value>> {
    match v {
        Value::List(items) | Value::Tuple(items) => Ok(items.clone()),
        Value::Tensor(t) if t.rank() == 1 && t.dtype().is_integer() => Ok(t
            .to_f64_vec()
            .into_iter()
            .map(|f| Value::Int(f as i64))
            .collect()),
        other => Err(BackendError::Unsupported(format!(
            "a {} as a sequence of ints",
            other.kind()
        ))),
    }
}

/// Python's `bool(v)` for the values an argument can hold.
fn py_truthy(v: &Value) -> R<bool> {
    match v {
        Value::None => Ok(false),
        Value::Bool(b) => Ok(*b),
        Value::Int(i) => Ok(*i != 0),
        Value::Float(f) => Ok(*f != 0.0),
        Value::Str(s) => Ok(!s.is_empty()),
        Value::List(items) | Value::Tuple(items) => Ok(!items.is_empty()),
        Value::Dict(d) => Ok(!d.is_empty()),
        Value::Tensor(t) if t.len() == 1 => Ok(t.to_f64_vec()[0] != 0.0),
        Value::Tensor(_) => Err(BackendError::value_error(
            "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()",
        )),
        Value::Spec(_) => Err(BackendError::Unsupported("a KerasTensor as a flag".into())),
    }
}

/// Python's `v == 0` for a Python number (anything else is unequal).
fn py_is_zero(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::Float(f) => *f == 0.0,
        Value::Tensor(t) if t.len() == 1 => t.to_f64_vec()[0] == 0.0,
        _ => false,
    }
}

/// The end of the Python slice `[:stop]` of a sequence of length `len`.
fn slice_end(len: usize, stop: i64) -> usize {
    let n = len as i64;
    let end = if stop < 0 {
        (n + stop).max(0)
    } else {
        stop.min(n)
    };
    end as usize
}

/// Several torch tensors as the Python list Keras returns.
fn outputs(parts: &[tch::Tensor]) -> R<Value> {
    parts
        .iter()
        .map(output)
        .collect::<R<Vec<_>>>()
        .map(Value::List)
}
