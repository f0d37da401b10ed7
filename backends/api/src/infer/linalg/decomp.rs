//! Rules of the decompositions (`keras/src/ops/linalg.py`, `Slogdet` and
//! `Logdet`): Keras keeps the input dtype (an integer input infers an
//! integer result; eager returns `float32`).

use crate::call::OpCall;
use crate::error::BackendError;
use crate::infer::util::{bind, require_spec, spec, tuple_repr};
use crate::value::{TensorSpec, Value};

type R = Result<Value, BackendError>;

/// `_assert_2d` and `_assert_square` (an unknown dimension differs from a
/// known one).
fn assert_square(x: &TensorSpec) -> Result<(), BackendError> {
    let s = &x.shape;
    if s.len() < 2 {
        return Err(BackendError::value_error(format!(
            "Expected input to have rank >= 2. Received input with shape {}.",
            tuple_repr(s)
        )));
    }
    if s[s.len() - 2] != s[s.len() - 1] {
        return Err(BackendError::value_error(format!(
            "Expected a square matrix. Received non-square input with shape {}",
            tuple_repr(s)
        )));
    }
    Ok(())
}

/// The input of a unary decomposition, checked.
fn square(call: &OpCall, params: &[&str]) -> Result<TensorSpec, BackendError> {
    let args = bind(call, params, 1)?;
    let x = require_spec(args[0], "x")?;
    assert_square(&x)?;
    Ok(x)
}

/// `Cholesky`: the input's spec.
pub fn cholesky(call: &OpCall) -> R {
    let x = square(call, &["x", "upper"])?;
    Ok(spec(x.shape, x.dtype))
}

/// `Inv`: the input's spec.
pub fn inv(call: &OpCall) -> R {
    let x = square(call, &["x"])?;
    Ok(spec(x.shape, x.dtype))
}

/// `Det`: the batch shape.
pub fn det(call: &OpCall) -> R {
    let x = square(call, &["x"])?;
    Ok(spec(x.shape[..x.shape.len() - 2].to_vec(), x.dtype))
}

/// The batch shape `x.shape[:-2]` (Python slicing: empty below rank 2).
fn batch_shape(x: &TensorSpec) -> Vec<Option<usize>> {
    x.shape[..x.shape.len().saturating_sub(2)].to_vec()
}

/// `Slogdet`: `sign` is always a scalar (Keras's shape), `logabsdet` the
/// batch shape; no checks.
pub fn slogdet(call: &OpCall) -> R {
    let args = bind(call, &["x"], 1)?;
    let x = require_spec(args[0], "x")?;
    Ok(Value::Tuple(vec![
        spec(vec![], x.dtype),
        spec(batch_shape(&x), x.dtype),
    ]))
}

/// `Logdet`: the batch shape, no checks.
pub fn logdet(call: &OpCall) -> R {
    let args = bind(call, &["x"], 1)?;
    let x = require_spec(args[0], "x")?;
    Ok(spec(batch_shape(&x), x.dtype))
}

/// `Solve`/`SolveTriangular`: `a` square, `b` at least 1-D and compatible
/// by Keras's `_assert_a_b_compat`; the result is `b`'s spec.
fn solve_like(call: &OpCall, params: &[&str]) -> R {
    let args = bind(call, params, 2)?;
    let a = require_spec(args[0], "a")?;
    let b = require_spec(args[1], "b")?;
    assert_square(&a)?;
    if b.shape.is_empty() {
        return Err(BackendError::value_error(
            "Expected input to have rank >= 1. Received scalar input <KerasTensor shape=(), \
             ...>."
                .to_string(),
        ));
    }
    let (sa, sb) = (&a.shape, &b.shape);
    let incompatible = |which: &str| {
        BackendError::value_error(format!(
            "Incompatible shapes between `a` and `b`. Expected `a.shape[{which}] == \
             b.shape[{which}]`. Received: a.shape={}, b.shape={}",
            tuple_repr(sa),
            tuple_repr(sb)
        ))
    };
    if sa.len() == sb.len() && sa[sa.len() - 2] != sb[sb.len() - 2] {
        return Err(incompatible("-2"));
    }
    if sa.len() + 1 == sb.len() && sa[sa.len() - 1] != sb[sb.len() - 1] {
        return Err(incompatible("-1"));
    }
    Ok(spec(b.shape, b.dtype))
}

/// `Solve`.
pub fn solve(call: &OpCall) -> R {
    solve_like(call, &["a", "b"])
}

/// `SolveTriangular`.
pub fn solve_triangular(call: &OpCall) -> R {
    solve_like(call, &["a", "b", "lower"])
}
