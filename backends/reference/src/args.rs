//! Binding an [`OpCall`] to a Python signature, and reading argument values
//! the way Python and Keras read them.

use kconform_api::{DType, OpCall, Value};

use crate::convert::to_array;
use crate::elem::Elem;
use crate::error::{OpError, OpResult};

pub use kconform_api::python::{py_repr, py_type_name};

/// The arguments of one call, bound to the op's parameters by position or name.
#[derive(Debug)]
pub struct Args<'a> {
    values: Vec<Option<&'a Value>>,
}

impl<'a> Args<'a> {
    /// Binds `call` to the Python signature `params` (all positional-or-keyword;
    /// the first `required` have no default), raising Python's `TypeError`s.
    pub fn bind(call: &'a OpCall, params: &[&str], required: usize) -> OpResult<Self> {
        let values = call.bind(params, required).map_err(|e| match e {
            kconform_api::BackendError::Raised { message, .. } => OpError::Type(message),
            other => OpError::Type(other.to_string()),
        })?;
        Ok(Args { values })
    }

    /// Parameter `i`, or `None` when it was not given (or given as `None`).
    pub fn get(&self, i: usize) -> Option<&'a Value> {
        self.values
            .get(i)
            .copied()
            .flatten()
            .filter(|v| !matches!(v, Value::None))
    }

    /// Parameter `i` as given (an explicit `None` included), or `None` when absent.
    pub fn given(&self, i: usize) -> Option<&'a Value> {
        self.values.get(i).copied().flatten()
    }

    /// Parameter `i` as given (`Value::None` when not given).
    pub fn value(&self, i: usize) -> &'a Value {
        self.values
            .get(i)
            .copied()
            .flatten()
            .unwrap_or(&Value::None)
    }
}

/// The repr of an `axis` argument as JAX prints it after `tuple(axis)`.
pub fn int_tuple_repr_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::List(items) | Value::Tuple(items)) => py_repr(&Value::Tuple(items.clone())),
        Some(other) => py_repr(other),
        None => "None".into(),
    }
}

/// Python truthiness (`if value:`), as `keepdims` is read.
pub fn truthy(v: &Value) -> OpResult<bool> {
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
            return Err(OpError::Value(
                "The truth value of an array with more than one element is ambiguous. \
                 Use a.any() or a.all()"
                    .into(),
            ))
        }
        Value::Spec(_) => {
            return Err(OpError::Type(
                "A symbolic KerasTensor cannot be used as a boolean.".into(),
            ))
        }
        Value::Seed(_) => {
            return Err(OpError::Value(
                "The truth value of an array with more than one element is ambiguous. \
                 Use a.any() or a.all()"
                    .into(),
            ))
        }
        Value::Ref(_) => return Err(OpError::Unsupported("program references in kernels".into())),
    })
}

/// `operator.index(v)`: an int, a bool, or an integer tensor of one element.
pub fn index(v: &Value) -> OpResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Tensor(t) if t.rank() == 0 && !t.dtype().is_float() => {
            let a = to_array(v)?;
            Ok(a.into_typed::<i32>()
                .iter()
                .next()
                .map_or(0, |&x| i64::from(x)))
        }
        other => Err(OpError::Type(format!(
            "'{}' object cannot be interpreted as an integer",
            py_type_name(other)
        ))),
    }
}

/// An `axis` argument: `None`, one int, or a tuple/list of ints (`None` → `None`).
/// A float raises `TypeError: 'float' object is not iterable`, as in JAX.
pub fn axes(v: Option<&Value>) -> OpResult<Option<Vec<i64>>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::List(items) | Value::Tuple(items)) => {
            items.iter().map(index).collect::<OpResult<_>>().map(Some)
        }
        Some(Value::Float(_)) => Err(OpError::Type("'float' object is not iterable".into())),
        Some(other) => Ok(Some(vec![index(other)?])),
    }
}

/// A dtype argument read with `keras.backend.standardize_dtype`; `None` stays
/// `None` (the caller knows what `None` means for its op).
pub fn dtype(v: Option<&Value>) -> OpResult<Option<DType>> {
    let name = match v {
        None | Some(Value::None) => return Ok(None),
        Some(Value::Str(s)) => s.as_str(),
        Some(other) => return Err(OpError::Value(format!("Invalid dtype: {}", py_repr(other)))),
    };
    match name {
        "int" => Ok(Some(DType::Int32)),
        "string" => Err(OpError::Type("data type 'string' not understood".into())),
        "float8_e4m3fn" | "float8_e5m2" | "complex64" | "complex128" => {
            Err(OpError::Unsupported(format!("dtype {name}")))
        }
        _ => name
            .parse::<DType>()
            .map(Some)
            .map_err(|_| OpError::Value(format!("Invalid dtype: {name}"))),
    }
}

/// A Python float/int argument (`mean`, `minval`, `epsilon`, …), or
/// `default` when absent.
pub fn float_arg(v: Option<&Value>, default: f64) -> OpResult<f64> {
    match v {
        None => Ok(default),
        Some(Value::Float(f)) => Ok(*f),
        Some(Value::Int(i)) => Ok(*i as f64),
        Some(Value::Bool(b)) => Ok(f64::from(u8::from(*b))),
        Some(other) => Err(OpError::Unsupported(format!(
            "a {} where a Python number is expected",
            other.kind()
        ))),
    }
}

/// The value of a Python scalar argument converted into `T` with XLA
/// semantics (as `lax.convert_element_type(initial, dtype)` does).
pub fn scalar_as<T: Elem>(v: &Value) -> OpResult<T> {
    let a = to_array(v)?;
    if a.len() != 1 {
        return Err(OpError::Value(format!(
            "initial value must be a scalar. Got array of shape {}",
            crate::error::shape_repr(a.shape())
        )));
    }
    a.scalar_at(0)
        .map(T::from_scalar)
        .ok_or_else(|| OpError::Internal("empty scalar".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(op: &str, args: Vec<Value>) -> OpCall {
        OpCall::new(op, args)
    }

    #[test]
    fn python_binding_errors() {
        let c = call("sum", vec![Value::Int(1); 4]);
        let e = Args::bind(&c, &["x", "axis", "keepdims"], 1).unwrap_err();
        assert_eq!(
            e,
            OpError::Type("sum() takes from 1 to 3 positional arguments but 4 were given".into())
        );
        let c = call("add", vec![]);
        let e = Args::bind(&c, &["x1", "x2"], 2).unwrap_err();
        assert_eq!(
            e,
            OpError::Type("add() missing 2 required positional arguments: 'x1' and 'x2'".into())
        );
        let c = call("sum", vec![Value::Int(1)]).kwarg("x", Value::Int(2));
        assert!(Args::bind(&c, &["x"], 1).is_err());
        let c = call("sum", vec![Value::Int(1)]).kwarg("foo", Value::Int(2));
        let e = Args::bind(&c, &["x"], 1).unwrap_err();
        assert_eq!(
            e,
            OpError::Type("sum() got an unexpected keyword argument 'foo'".into())
        );
    }
}
