//! Triangles and diagonals: `tril`, `triu`, `tri`, `eye`, `identity`.

use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, IxDyn};

use super::fill::jnp_dtype;
use crate::args::{index, py_repr, Args};
use crate::array::{from_vec, with_array, with_dtype};
use crate::convert::to_array;
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{check_size, int_tuple_repr, OpError, OpResult};

/// JAX's refusal of an array as a static (hashed) argument of a jitted function.
pub(super) fn unhashable(v: &Value) -> OpError {
    OpError::Value(format!(
        "Non-hashable static arguments are not supported. An error occurred while trying to \
         hash an object of type <class 'numpy.ndarray'>, {}. The error was:\nTypeError: \
         unhashable type: 'numpy.ndarray'",
        py_repr(v)
    ))
}

/// Keeps the elements of the last two axes where `keep(row, col)` holds and
/// zeroes the others (`lax.select`, so NaN becomes zero too).
fn masked(call: &OpCall, name: &str, keep: fn(i128, i128, i128) -> bool) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "k"], 1)?;
    let x = to_array(args.value(0))?;
    let k = match args.get(1) {
        None => 0,
        Some(v @ Value::Tensor(_)) => return Err(unhashable(v)),
        Some(v) => index(v)?,
    };
    if x.ndim() < 2 {
        return Err(OpError::Value(format!(
            "Argument to jax.numpy.{name} must be at least 2D"
        )));
    }
    let shape = x.shape().to_vec();
    let (n, m) = (shape[shape.len() - 2], shape[shape.len() - 1]);
    tensor(with_array!(x, a => {
        let data: Vec<_> = a
            .iter()
            .enumerate()
            .map(|(p, &v)| {
                let (i, j) = ((p / m.max(1)) % n.max(1), p % m.max(1));
                if keep(i as i128, j as i128, k.into()) { v } else { Elem::zero() }
            })
            .collect();
        Elem::wrap(from_vec(&shape, data)?)
    }))
}

/// `keras.ops.tril(x, k=0)`: keeps `col <= row + k`.
pub fn tril(call: &OpCall) -> OpResult<Value> {
    masked(call, "tril", |i, j, k| j <= i + k)
}

/// `keras.ops.triu(x, k=0)`: keeps `col >= row + k`.
pub fn triu(call: &OpCall) -> OpResult<Value> {
    masked(call, "triu", |i, j, k| j >= i + k)
}

/// An `(N, M)` matrix of `dtype` that is one where `on(row, col)` holds.
fn matrix(n: usize, m: usize, dtype: DType, on: impl Fn(i128, i128) -> bool) -> OpResult<Value> {
    check_size(&[n, m])?;
    tensor(with_dtype!(dtype, T => {
        let (one, zero) = (T::one(), T::zero());
        T::wrap(ArrayD::from_shape_fn(IxDyn(&[n, m]), |d| {
            if on(d[0] as i128, d[1] as i128) { one } else { zero }
        }))
    }))
}

/// `keras.ops.tri(N, M=None, k=0, dtype=None)`: ones where `col <= row + k`.
pub fn tri(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["N", "M", "k", "dtype"], 1)?;
    let dt = jnp_dtype(args.get(3), DType::Float32)?;
    let n_value = args.value(0);
    let m_value = args.get(1).unwrap_or(n_value);
    let (n, m) = match (index(n_value), index(m_value)) {
        (Ok(n), Ok(m)) => (n, m),
        _ => {
            return Err(OpError::Type(format!(
                "Shapes must be 1D sequences of concrete values of integer type, got {}.",
                py_repr(&Value::Tuple(vec![n_value.clone(), m_value.clone()]))
            )))
        }
    };
    let k = args.get(2).map_or(Ok(0), index)?;
    if n < 0 || m < 0 {
        return Err(OpError::Type(format!(
            "iota shape must have every element be nonnegative, got {}.",
            int_tuple_repr([n, m])
        )));
    }
    matrix(n as usize, m as usize, dt, |i, j| j <= i + i128::from(k))
}

/// Keras's check that an `eye` dimension is not a float (Python or tensor).
fn not_float(v: Option<&Value>, message: &str) -> OpResult<()> {
    match v {
        Some(Value::Float(_)) => Err(OpError::Type(message.into())),
        Some(Value::Tensor(t)) if t.dtype().is_float() => Err(OpError::Type(message.into())),
        _ => Ok(()),
    }
}

/// `jnp.eye(N, M, k)` after Keras's checks; `n_error` is the `TypeError` of
/// a non-integer `N` (it names the caller).
fn eye_impl(
    n_value: &Value,
    m_value: Option<&Value>,
    k: Option<&Value>,
    dt: DType,
    n_error: &str,
) -> OpResult<Value> {
    let k = match k {
        None => 0,
        Some(v) => index(v).map_err(|_| {
            OpError::Value(format!("k must be a scalar integer; got {}", py_repr(v)))
        })?,
    };
    let n = index(n_value).map_err(|_| OpError::Type(n_error.into()))?;
    let m = match m_value {
        None => n,
        Some(v) => index(v).map_err(|_| {
            OpError::Type(format!(
                "Shapes must be 1D sequences of concrete values of integer type, got ({},). \
                 argument 'M' of jnp.eye().",
                py_repr(v)
            ))
        })?,
    };
    if n < 0 || m < 0 {
        return Err(OpError::Value(format!(
            "negative dimensions are not allowed, got {} and {}",
            py_repr(n_value),
            m_value.map_or_else(|| "None".to_string(), py_repr)
        )));
    }
    matrix(n as usize, m as usize, dt, |i, j| i + i128::from(k) == j)
}

/// `keras.ops.eye(N, M=None, k=0, dtype=None)`.
pub fn eye(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["N", "M", "k", "dtype"], 1)?;
    not_float(
        Some(args.value(0)),
        "Argument `N` must be an integer or an integer tensor.",
    )?;
    not_float(
        args.get(1),
        "Argument `M` must be an integer, an integer tensor, or `None`.",
    )?;
    let dt = jnp_dtype(args.get(3), DType::Float32)?;
    let n_error = format!(
        "Shapes must be 1D sequences of concrete values of integer type, got ({},). argument of \
         'N' jnp.eye().",
        py_repr(args.value(0))
    );
    eye_impl(args.value(0), args.get(1), args.get(2), dt, &n_error)
}

/// `keras.ops.identity(n, dtype=None)`: `jnp.eye(n)`.
pub fn identity(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["n", "dtype"], 1)?;
    let dt = jnp_dtype(args.get(1), DType::Float32)?;
    let n_error = format!(
        "Shapes must be 1D sequences of concrete values of integer type, got ({},). argument of \
         'N' jnp.eye().",
        py_repr(args.value(0))
    );
    eye_impl(args.value(0), None, None, dt, &n_error)
}
