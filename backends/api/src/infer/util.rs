//! Building blocks of inference rules, ported from Keras 3.15.1's
//! `keras/src/ops/operation_utils.py` and `backend_utils.py`, with Keras's
//! error messages word for word.

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::promote::{result_type, Operand};
use crate::value::{TensorSpec, Value};

/// A symbolic shape: `None` where a dimension is unknown.
pub type Dims = Vec<Option<usize>>;

/// A [`Value::Spec`] leaf.
pub fn spec(shape: Dims, dtype: DType) -> Value {
    Value::Spec(TensorSpec { shape, dtype })
}

/// The spec of a tensor argument: a [`Value::Spec`] as declared, a concrete
/// [`Value::Tensor`] by its shape and dtype; anything else is `None`.
pub fn tensor_spec(v: &Value) -> Option<TensorSpec> {
    match v {
        Value::Spec(s) => Some(s.clone()),
        Value::Tensor(t) => Some(TensorSpec {
            shape: t.shape().iter().map(|&d| Some(d)).collect(),
            dtype: t.dtype(),
        }),
        _ => None,
    }
}

/// Binds `call` to the Python signature `params` (the first `required` have
/// no default), raising Python's `TypeError`s; slot `i` is the value given for
/// `params[i]`, `None` when absent.
pub fn bind<'a>(
    call: &'a OpCall,
    params: &[&str],
    required: usize,
) -> Result<Vec<Option<&'a Value>>, BackendError> {
    call.bind(params, required)
}

/// The spec of a required tensor argument named `name`.
pub fn require_spec(v: Option<&Value>, name: &str) -> Result<TensorSpec, BackendError> {
    match v {
        Some(v) => tensor_spec(v).ok_or_else(|| {
            BackendError::Unsupported(format!(
                "symbolic argument `{name}` given as a {} (only tensors are inferred)",
                v.kind()
            ))
        }),
        None => Err(BackendError::Unsupported(format!(
            "symbolic argument `{name}` missing"
        ))),
    }
}

/// A value as an operand of [`result_type`]: tensors are strong, Python `int`
/// and `float` weak, `bool` strong `bool` (as `type(True)` standardizes).
pub fn operand(v: &Value) -> Result<Operand, BackendError> {
    match v {
        Value::Int(_) => Ok(Operand::WeakInt),
        Value::Float(_) => Ok(Operand::WeakFloat),
        Value::Bool(_) => Ok(Operand::Strong(DType::Bool)),
        other => tensor_spec(other)
            .map(|s| Operand::Strong(s.dtype))
            .ok_or_else(|| {
                BackendError::Unsupported(format!(
                    "a {} operand in symbolic inference",
                    other.kind()
                ))
            }),
    }
}

/// `keras.backend.result_type(...)`, as a [`BackendError`] on failure.
pub fn promote(operands: &[Operand]) -> Result<DType, BackendError> {
    result_type(operands).map_err(|e| BackendError::Unsupported(e.to_string()))
}

/// The dtype a unary float function returns for input dtype `d`, as most
/// `compute_output_spec`s of `keras.ops.numpy` compute it:
/// `floatx()` for `int64`, else `result_type(d, float)`.
pub fn float_dtype(d: DType) -> Result<DType, BackendError> {
    if d == DType::Int64 {
        Ok(DType::Float32)
    } else {
        promote(&[Operand::Strong(d), Operand::WeakFloat])
    }
}

/// Python's repr of a shape as a list (`[None, 2]`).
pub fn list_repr(dims: &[Option<usize>]) -> String {
    let items: Vec<String> = dims.iter().map(dim_repr).collect();
    format!("[{}]", items.join(", "))
}

/// Python's repr of a shape as a tuple (`(None, 2)`, `(3,)`).
pub fn tuple_repr(dims: &[Option<usize>]) -> String {
    let items: Vec<String> = dims.iter().map(dim_repr).collect();
    match items.len() {
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}

fn dim_repr(d: &Option<usize>) -> String {
    d.map_or_else(|| "None".into(), |n| n.to_string())
}

/// `operation_utils.broadcast_shapes(shape1, shape2)`.
pub fn broadcast_shapes(
    shape1: &[Option<usize>],
    shape2: &[Option<usize>],
) -> Result<Dims, BackendError> {
    let pad = |s: &[Option<usize>], n: usize| {
        let mut out = vec![Some(1); n - s.len()];
        out.extend_from_slice(s);
        out
    };
    let n = shape1.len().max(shape2.len());
    let (s1, s2) = (pad(shape1, n), pad(shape2, n));
    let mut out = s1.clone();
    for i in 0..n {
        out[i] = match (s1[i], s2[i]) {
            (Some(1), b) => b,
            (None, Some(1)) => None,
            (None, b) => b,
            (Some(a), b) if b == Some(1) || b.is_none() || b == Some(a) => Some(a),
            (Some(a), b) => {
                return Err(BackendError::value_error(format!(
                    "Cannot broadcast shape, the failure dim has value {a}, which cannot be \
                     broadcasted to {}. Input shapes are: {} and {}.",
                    dim_repr(&b),
                    list_repr(shape1),
                    list_repr(shape2)
                )))
            }
        };
    }
    Ok(out)
}

/// `backend_utils.canonicalize_axis(axis, num_dims)`.
pub fn canonicalize_axis(axis: i64, num_dims: usize) -> Result<usize, BackendError> {
    let n = num_dims as i64;
    if !(-n <= axis && axis < n) {
        return Err(BackendError::value_error(format!(
            "axis {axis} is out of bounds for an array with dimension {num_dims}."
        )));
    }
    Ok(if axis < 0 { axis + n } else { axis } as usize)
}

/// Reads an `axis` argument: `None`, an int, or a list/tuple of ints.
pub fn axes_arg(v: Option<&Value>) -> Result<Option<Vec<i64>>, BackendError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(vec![*i])),
        Some(Value::List(items) | Value::Tuple(items)) => items
            .iter()
            .map(|i| match i {
                Value::Int(i) => Ok(*i),
                other => Err(BackendError::type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    crate::python::py_type_name(other)
                ))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(BackendError::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            crate::python::py_type_name(other)
        ))),
    }
}

/// Reads an optional Python `bool` argument (default `default`).
pub fn bool_arg(v: Option<&Value>, default: bool) -> Result<bool, BackendError> {
    match v {
        None | Some(Value::None) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::Int(i)) => Ok(*i != 0),
        Some(other) => Err(BackendError::Unsupported(format!(
            "a {} where a bool was expected",
            other.kind()
        ))),
    }
}

/// Reads an optional Python `int` argument.
pub fn int_arg(v: Option<&Value>) -> Result<Option<i64>, BackendError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => index(v).map(Some),
    }
}

/// Python's `operator.index(v)`: an int or bool, else CPython's `TypeError`.
pub fn index(v: &Value) -> Result<i64, BackendError> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        other => Err(BackendError::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            crate::python::py_type_name(other)
        ))),
    }
}

/// A Python `IndexError` with `message`.
pub fn index_error(message: impl Into<String>) -> BackendError {
    BackendError::raised("IndexError", message)
}

/// A reduction's rule: binds `(x, axis, keepdims, *extra)` and returns
/// `reduce_shape(x.shape, axis, keepdims)` with the dtype
/// `dtype_of(x.dtype, bound)` gives (`bound` is every bound slot).
pub fn reduction(
    call: &OpCall,
    extra: &[&str],
    dtype_of: impl Fn(DType, &[Option<&Value>]) -> Result<DType, BackendError>,
) -> Result<Value, BackendError> {
    let mut params = vec!["x", "axis", "keepdims"];
    params.extend_from_slice(extra);
    let args = bind(call, &params, 1)?;
    let x = require_spec(args[0], "x")?;
    let axis = axes_arg(args[1])?;
    let keepdims = bool_arg(args[2], false)?;
    let shape = reduce_shape(&x.shape, axis.as_deref(), keepdims)?;
    Ok(spec(shape, dtype_of(x.dtype, &args)?))
}

/// Reads a dtype argument given by name (`"float32"`); `None` when absent.
pub fn dtype_arg(v: Option<&Value>) -> Result<Option<DType>, BackendError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => s
            .parse::<DType>()
            .map(Some)
            .map_err(|_| BackendError::Unsupported(format!("dtype `{s}`"))),
        Some(other) => Err(BackendError::Unsupported(format!(
            "a {} given as a dtype",
            other.kind()
        ))),
    }
}

/// `operation_utils.reduce_shape(shape, axis, keepdims)`.
pub fn reduce_shape(
    shape: &[Option<usize>],
    axis: Option<&[i64]>,
    keepdims: bool,
) -> Result<Dims, BackendError> {
    let Some(axis) = axis else {
        return Ok(if keepdims {
            vec![Some(1); shape.len()]
        } else {
            Vec::new()
        });
    };
    let axes = axis
        .iter()
        .map(|&a| canonicalize_axis(a, shape.len()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = shape.to_vec();
    if keepdims {
        for &a in &axes {
            out[a] = Some(1);
        }
    } else {
        let mut sorted = axes;
        sorted.sort_unstable();
        sorted.dedup();
        for &a in sorted.iter().rev() {
            out.remove(a);
        }
    }
    Ok(out)
}

/// A unary rule's common shape: the input's spec, with the dtype `dtype_of` gives.
pub fn same_shape(
    call: &OpCall,
    params: &[&str],
    required: usize,
    dtype_of: fn(DType) -> Result<DType, BackendError>,
) -> Result<Value, BackendError> {
    let args = bind(call, params, required)?;
    let x = require_spec(args[0], params[0])?;
    Ok(spec(x.shape, dtype_of(x.dtype)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(e: BackendError) -> String {
        e.to_string()
    }

    #[test]
    fn broadcast_like_keras() {
        assert_eq!(
            broadcast_shapes(&[None, Some(3)], &[Some(1), Some(3)]).unwrap(),
            vec![None, Some(3)]
        );
        assert_eq!(
            broadcast_shapes(&[None], &[Some(4)]).unwrap(),
            vec![Some(4)]
        );
        assert_eq!(
            broadcast_shapes(&[Some(2)], &[None]).unwrap(),
            vec![Some(2)]
        );
        assert_eq!(
            msg(broadcast_shapes(&[Some(2), Some(3)], &[Some(4)]).unwrap_err()),
            "ValueError: Cannot broadcast shape, the failure dim has value 3, which cannot be \
             broadcasted to 4. Input shapes are: [2, 3] and [4]."
        );
    }

    #[test]
    fn reduce_and_axes() {
        let s = [None, Some(2), Some(3)];
        assert_eq!(
            reduce_shape(&s, Some(&[-1]), false).unwrap(),
            vec![None, Some(2)]
        );
        assert_eq!(
            reduce_shape(&s, Some(&[0, 2]), true).unwrap(),
            vec![Some(1), Some(2), Some(1)]
        );
        assert_eq!(
            reduce_shape(&s, None, false).unwrap(),
            Vec::<Option<usize>>::new()
        );
        assert_eq!(
            msg(reduce_shape(&s, Some(&[3]), false).unwrap_err()),
            "ValueError: axis 3 is out of bounds for an array with dimension 3."
        );
        assert_eq!(tuple_repr(&[Some(3)]), "(3,)");
        assert_eq!(tuple_repr(&[None, Some(2)]), "(None, 2)");
    }

    #[test]
    fn float_rule() {
        assert_eq!(float_dtype(DType::Int64).unwrap(), DType::Float32);
        assert_eq!(float_dtype(DType::Int8).unwrap(), DType::Float32);
        assert_eq!(float_dtype(DType::Float16).unwrap(), DType::Float16);
        assert_eq!(float_dtype(DType::Bfloat16).unwrap(), DType::Bfloat16);
    }
}
