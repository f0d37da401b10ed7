//! What PyTorch's Python argument parser does with the Python values Keras
//! passes on to a torch function: which it accepts for a `Number` or an `int`
//! parameter, and the `TypeError`s it raises for the rest.

use kconform_api::{BackendError, Value};

use crate::args::py_type_name;
use crate::shim::OpArg;

/// `type(v)` as the parser prints it (`tp_name`: a NumPy array is `numpy.ndarray`).
pub fn torch_type_name(v: &Value) -> &'static str {
    match v {
        Value::Tensor(_) => "numpy.ndarray",
        other => py_type_name(other),
    }
}

/// The parser's `TypeError` for a value of the wrong type: `argument 'param'
/// (position p) must be <expected>, not <type>` (`position` when the value is
/// passed positionally).
fn wrong_type(
    function: &str,
    param: &str,
    position: Option<usize>,
    expected: &str,
    v: &Value,
) -> BackendError {
    let at = position.map_or(String::new(), |p| format!(" (position {p})"));
    BackendError::type_error(format!(
        "{function}(): argument '{param}'{at} must be {expected}, not {}",
        torch_type_name(v)
    ))
}

/// A `Scalar` parameter: a Python `bool`, `int` or `float` passes as itself.
pub fn number(
    v: &Value,
    function: &str,
    param: &str,
    position: Option<usize>,
) -> Result<OpArg<'static>, BackendError> {
    match v {
        Value::Bool(b) => Ok(OpArg::Bool(*b)),
        Value::Int(i) => Ok(OpArg::Int(*i)),
        Value::Float(f) => Ok(OpArg::Float(*f)),
        other => Err(wrong_type(function, param, position, "Number", other)),
    }
}

/// An `int64_t` parameter: only a Python `int` (not a `bool`) passes.
pub fn int(
    v: &Value,
    function: &str,
    param: &str,
    position: Option<usize>,
) -> Result<i64, BackendError> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(wrong_type(function, param, position, "int", other)),
    }
}

/// The parser's `TypeError` when no overload of `function` accepts the
/// arguments: `got (<described>)`, then each overload's signature.
pub fn invalid_combination(function: &str, got: &str, overloads: &[&str]) -> BackendError {
    let listed: String = overloads.iter().map(|o| format!(" * {o}\n")).collect();
    BackendError::type_error(format!(
        "{function}() received an invalid combination of arguments - got ({got}), but expected one of:\n{listed}"
    ))
}
