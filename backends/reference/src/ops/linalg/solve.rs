//! Linear solves: `solve`, `inv` (`solve(x, I)`) and `solve_triangular`,
//! batched and broadcast as `jnp.vectorize` does, in `f64` rounded once.

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, IxDyn};

use crate::args::{py_repr, truthy, Args};
use crate::array::Array;
use crate::binary::promote;
use crate::broadcast::broadcast_shapes;
use crate::convert::convert;
use crate::elementwise::{float_result_dtype, tensor};
use crate::error::{shape_repr, OpError, OpResult};

use super::decomp::{assert_square, broadcast_f64, rounded, square_input};
use super::lapack::{self, require_lapack_dtype};

/// Keras's checks of `b` against `a` (`_assert_1d`, `_assert_a_b_compat`).
fn assert_rhs(a: &Array, b: &Array, b_value: &Value) -> OpResult<()> {
    if b.ndim() < 1 {
        let shown = match b_value {
            Value::Tensor(_) => py_repr(&Value::Float(b.scalars()[0].as_f64())),
            other => py_repr(other),
        };
        return Err(OpError::Value(format!(
            "Expected input to have rank >= 1. Received scalar input {shown}."
        )));
    }
    let (sa, sb) = (a.shape(), b.shape());
    let incompatible = |which: &str| {
        OpError::Value(format!(
            "Incompatible shapes between `a` and `b`. Expected `a.shape[{which}] == \
             b.shape[{which}]`. Received: a.shape={}, b.shape={}",
            shape_repr(sa),
            shape_repr(sb)
        ))
    };
    if sa.len() == sb.len() && sa[sa.len() - 2] != sb[sb.len() - 2] {
        return Err(incompatible("-2"));
    }
    if sa.len() + 1 == sb.len() && sa[sa.len() - 1] != sb[sb.len() - 1] {
        return Err(incompatible("-1"));
    }
    Ok(())
}

/// Solves one system given its row-major matrix and one right-hand column.
type ColumnSolver<'a> = &'a dyn Fn(&[f64], &[f64]) -> Vec<f64>;

/// A batched solve `a x = b` (`b` a batch of vectors when `vector`, else of
/// `m × k` matrices), broadcasting batch dimensions as `jnp.vectorize`
/// does; `solve_one` solves one system given its matrix and one column.
fn batched_solve(
    a: &Array,
    b: &Array,
    vector: bool,
    dim: &str,
    solve_one: ColumnSolver<'_>,
) -> OpResult<(Vec<usize>, Vec<f64>)> {
    let (sa, sb) = (a.shape(), b.shape());
    let m = sa[sa.len() - 1];
    let core = if vector { 1 } else { 2 };
    let bm = sb[sb.len() - core];
    if bm != m {
        let sig = if vector {
            format!("({dim},{dim}),({dim})->({dim})")
        } else if dim == "m" {
            "(m,m),(m,n)->(m,n)".to_string()
        } else {
            format!("({dim},{dim}),({dim},k)->({dim},k)")
        };
        return Err(OpError::Value(format!(
            "inconsistent size for core dimension '{dim}': {bm} vs {m} on vectorized function \
             with excluded=frozenset() and signature='{sig}'"
        )));
    }
    let k = if vector { 1 } else { sb[sb.len() - 1] };
    let (ba, bb) = (&sa[..sa.len() - 2], &sb[..sb.len() - core]);
    let batch = broadcast_shapes(ba, bb).ok_or_else(|| {
        OpError::Value(format!(
            "Incompatible shapes for broadcasting: shapes=[{}, {}]",
            shape_repr(ba),
            shape_repr(bb)
        ))
    })?;
    let with = |core: &[usize]| -> Vec<usize> { batch.iter().chain(core).copied().collect() };
    let av = broadcast_f64(a, &with(&[m, m]))?;
    let b_core: Vec<usize> = if vector { vec![m] } else { vec![m, k] };
    let bv = broadcast_f64(b, &with(&b_core))?;
    let count: usize = batch.iter().product();
    let mut out = vec![0.0; count * m * k];
    for i in 0..count {
        let mat = &av[i * m * m..(i + 1) * m * m];
        for j in 0..k {
            let col: Vec<f64> = (0..m).map(|r| bv[i * m * k + r * k + j]).collect();
            for (r, v) in solve_one(mat, &col).into_iter().enumerate() {
                out[i * m * k + r * k + j] = v;
            }
        }
    }
    Ok((with(&b_core), out))
}

/// The inputs of `solve`/`solve_triangular`: converted, checked as Keras
/// checks them, and promoted together to a float dtype.
fn solve_inputs<'a>(call: &'a OpCall, extra: &[&str]) -> OpResult<(Args<'a>, Array, Array, DType)> {
    let mut params = vec!["a", "b"];
    params.extend_from_slice(extra);
    let args = Args::bind(call, &params, 2)?;
    let a = convert(args.value(0))?;
    let b = convert(args.value(1))?;
    assert_square(&a.array)?;
    assert_rhs(&a.array, &b.array, args.value(1))?;
    let joint = promote(&[
        Operand::Strong(a.array.dtype()),
        Operand::Strong(b.array.dtype()),
    ])?;
    let dtype = float_result_dtype(joint)?;
    Ok((args, a.array.cast(dtype), b.array.cast(dtype), dtype))
}

/// Solves one system through its LU factorization.
fn solve_with_lu(mat: &[f64], col: &[f64]) -> Vec<f64> {
    lapack::lu(mat, col.len()).solve(col)
}

/// `keras.ops.solve(a, b)`: LU with partial pivoting; `b` is one vector
/// per batch when it is 1-D, else a batch of matrices.
pub fn solve(call: &OpCall) -> OpResult<Value> {
    let (_, a, b, dtype) = solve_inputs(call, &[])?;
    let (sa, sb) = (a.shape().to_vec(), b.shape().to_vec());
    if sb.len() > 1
        && sa.len() == sb.len() + 1
        && sa[sa.len() - 1] == sb[sb.len() - 1]
        && sa[sa.len() - 1] != sb[sb.len() - 2]
    {
        return Err(OpError::Value(format!(
            "Invalid shapes for solve: {}, {}. Prior to JAX v0.5.0, this would have been \
             treated as a batched 1-dimensional solve. To recover this behavior, use solve(a, \
             b[..., None]).squeeze(-1).",
            shape_repr(&sa),
            shape_repr(&sb)
        )));
    }
    require_lapack_dtype(dtype)?;
    let (shape, data) = batched_solve(&a, &b, sb.len() == 1, "m", &solve_with_lu)?;
    tensor(rounded(&shape, &data, dtype)?)
}

/// `keras.ops.inv`: `solve(x, I)`.
pub fn inv(call: &OpCall) -> OpResult<Value> {
    let (_, x, n, dtype) = square_input(call, &[])?;
    require_lapack_dtype(dtype)?;
    let eye = Array::F32(ArrayD::from_shape_fn(IxDyn(&[n, n]), |d| {
        if d[0] == d[1] {
            1.0
        } else {
            0.0
        }
    }));
    let (shape, data) = batched_solve(&x, &eye, false, "m", &solve_with_lu)?;
    tensor(rounded(&shape, &data, dtype)?)
}

/// `keras.ops.solve_triangular(a, b, lower=False)`: only `a`'s lower (or
/// upper) triangle is read. XLA solves half floats natively (no LAPACK).
pub fn solve_triangular(call: &OpCall) -> OpResult<Value> {
    let (args, a, b, dtype) = solve_inputs(call, &["lower"])?;
    let lower = truthy(args.value(2))?;
    let (sa, sb) = (a.shape().to_vec(), b.shape().to_vec());
    let vector =
        sb.len() == 1 || (sa.len() == sb.len() + 1 && sa[sa.len() - 1] == sb[sb.len() - 1]);
    let solve_one = |mat: &[f64], col: &[f64]| {
        let mut y = col.to_vec();
        if lower {
            lapack::forward_substitute(mat, col.len(), &mut y);
        } else {
            lapack::back_substitute(mat, col.len(), &mut y);
        }
        y
    };
    let (shape, data) = batched_solve(&a, &b, vector, "n", &solve_one)?;
    tensor(rounded(&shape, &data, dtype)?)
}
