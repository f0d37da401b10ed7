//! Binding an [`OpCall`] to a Python signature, and reading argument values the
//! way the Keras code they stand for reads them.

use kconform_api::{BackendError, OpCall, Value};

pub use kconform_api::python::{py_repr, py_type_name};

/// Arguments bound to a Python signature `name(p0, p1, ..., *, kw...)`.
pub struct Bound<'a> {
    values: Vec<Option<&'a Value>>,
}

/// Binds `call` to `name(params...)` whose first `required` parameters have no
/// default, raising Python's `TypeError`s for extra, unknown, duplicate or
/// missing arguments (see [`OpCall::bind`]).
pub fn bind<'a>(
    call: &'a OpCall,
    params: &[&str],
    required: usize,
) -> Result<Bound<'a>, BackendError> {
    call.bind(params, required).map(|values| Bound { values })
}

impl<'a> Bound<'a> {
    /// Parameter `i`, or `None` when it was not given (Python's default then applies).
    pub fn get(&self, i: usize) -> Option<&'a Value> {
        self.values.get(i).copied().flatten()
    }

    /// Parameter `i`, which [`bind`] guaranteed is present (a required one).
    pub fn req(&self, i: usize) -> &'a Value {
        const NONE: &Value = &Value::None;
        self.get(i).unwrap_or(NONE)
    }

    /// Parameter `i` with Python `None` treated as not given.
    pub fn opt(&self, i: usize) -> Option<&'a Value> {
        self.get(i).filter(|v| !matches!(v, Value::None))
    }

    /// A boolean flag (`keepdims`), default `false`; Python truthiness for ints.
    pub fn flag(&self, i: usize) -> Result<bool, BackendError> {
        match self.get(i) {
            None | Some(Value::None) | Some(Value::Bool(false)) => Ok(false),
            Some(Value::Bool(true)) => Ok(true),
            Some(Value::Int(n)) => Ok(*n != 0),
            Some(other) => Err(BackendError::Unsupported(format!(
                "a {} as a boolean flag",
                other.kind()
            ))),
        }
    }
}

/// A Python int (a `bool` is one), as `operator.index` reads it.
pub fn py_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// Python truthiness (`if value:`), a NumPy array's included.
pub fn truthy(v: &Value) -> Result<bool, BackendError> {
    Ok(match v {
        Value::None => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::List(x) | Value::Tuple(x) => !x.is_empty(),
        Value::Dict(m) => !m.is_empty(),
        Value::Tensor(t) if t.len() == 1 => t.scalar(0).as_f64() != 0.0,
        Value::Tensor(_) => {
            return Err(BackendError::value_error(
                "The truth value of an array with more than one element is ambiguous. \
                 Use a.any() or a.all()",
            ))
        }
        Value::Spec(_) | Value::Seed(_) | Value::Ref(_) => {
            return Err(BackendError::Unsupported(format!(
                "a {} as a boolean",
                v.kind()
            )))
        }
    })
}

/// An `axis` argument after Keras's `to_tuple_or_list`: `None`, or the listed
/// axes (an int becomes a one-element list). `is_empty()` on the result is
/// Keras's `axis == () or axis == []` test.
pub fn axes(v: Option<&Value>) -> Result<Option<Vec<i64>>, BackendError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(vec![*i])),
        Some(Value::Bool(b)) => Ok(Some(vec![i64::from(*b)])),
        Some(Value::List(items)) | Some(Value::Tuple(items)) => items
            .iter()
            .map(|x| {
                py_int(x).ok_or_else(|| {
                    BackendError::type_error(format!(
                        "axis elements must be ints, got {}",
                        x.kind()
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(BackendError::value_error(format!(
            "`value` must be an integer, tuple or list. Received: value={}",
            py_repr(other)
        ))),
    }
}

/// A single integer axis, for ops whose Keras code passes `axis` on as one int.
pub fn one_axis(v: Option<&Value>, what: &str) -> Result<Option<i64>, BackendError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(x) => py_int(x).map(Some).ok_or_else(|| {
            BackendError::Unsupported(format!("`{what}` as a {} (only an int)", x.kind()))
        }),
    }
}

/// `canonicalize_axis` from Keras's backend utils.
pub fn canonicalize_axis(axis: i64, ndim: usize) -> Result<i64, BackendError> {
    let n = ndim as i64;
    if !(-n <= axis && axis < n) {
        return Err(BackendError::value_error(format!(
            "axis {axis} is out of bounds for an array with dimension {ndim}."
        )));
    }
    Ok(if axis < 0 { axis + n } else { axis })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_raises_python_type_errors() {
        let call = OpCall::new("absolute", vec![Value::Int(1), Value::Int(2)]);
        let e = bind(&call, &["x"], 1).err().unwrap();
        assert_eq!(
            e,
            BackendError::type_error("absolute() takes 1 positional argument but 2 were given")
        );
        let call = OpCall::new("sum", vec![]).kwarg("foo", Value::None);
        let e = bind(&call, &["x", "axis"], 1).err().unwrap();
        assert_eq!(
            e,
            BackendError::type_error("sum() got an unexpected keyword argument 'foo'")
        );
        let call = OpCall::new("add", vec![]);
        let e = bind(&call, &["x1", "x2"], 2).err().unwrap();
        assert_eq!(
            e,
            BackendError::type_error(
                "add() missing 2 required positional arguments: 'x1' and 'x2'"
            )
        );
        let call = OpCall::new("sum", vec![Value::Int(1)]).kwarg("axis", Value::Int(0));
        let b = bind(&call, &["x", "axis", "keepdims"], 1).unwrap();
        assert_eq!(axes(b.get(1)).unwrap(), Some(vec![0]));
        assert!(!b.flag(2).unwrap());
    }
}
