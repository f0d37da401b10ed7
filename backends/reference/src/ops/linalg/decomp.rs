//! Decompositions and solves: `det`, `slogdet`, `logdet`, `inv`, `solve`,
//! `solve_triangular` and `cholesky`. Inputs are promoted as JAX's
//! `promote_dtypes_inexact` does (integers and bool to `float32`); LAPACK
//! work runs in `f64` and rounds once into the result dtype, the closed
//! forms JAX uses for small matrices run in the dtype itself.

use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, IxDyn};

use crate::args::{py_repr, truthy, Args};
use crate::array::{from_vec, with_float_dtype, Array};
use crate::binary::promote;
use crate::broadcast::broadcast_shapes;
use crate::convert::{convert, to_array};
use crate::elem::{Elem, FloatElem};
use crate::elementwise::{float_result_dtype, tensor};
use crate::error::{shape_repr, OpError, OpResult};

use super::lapack::{self, require_lapack_dtype, Lu};

/// Keras's `_assert_2d` and `_assert_square`.
fn assert_square(x: &Array) -> OpResult<usize> {
    let s = x.shape();
    if s.len() < 2 {
        return Err(OpError::Value(format!(
            "Expected input to have rank >= 2. Received input with shape {}.",
            shape_repr(s)
        )));
    }
    let (m, n) = (s[s.len() - 2], s[s.len() - 1]);
    if m != n {
        return Err(OpError::Value(format!(
            "Expected a square matrix. Received non-square input with shape {}",
            shape_repr(s)
        )));
    }
    Ok(n)
}

/// The elements of `a` (any dtype) as `f64`, broadcast to `shape`, row-major.
fn broadcast_f64(a: &Array, shape: &[usize]) -> OpResult<Vec<f64>> {
    let data: Vec<f64> = a.scalars().into_iter().map(Scalar::as_f64).collect();
    let arr = ArrayD::from_shape_vec(IxDyn(a.shape()), data)
        .map_err(|e| OpError::Internal(e.to_string()))?;
    let view = arr
        .broadcast(IxDyn(shape))
        .ok_or_else(|| OpError::Internal("linalg broadcast".into()))?;
    Ok(view.iter().copied().collect())
}

/// Rounds `f64` results into `dtype` (through `f32`, as XLA's `f32` would).
fn rounded(shape: &[usize], data: &[f64], dtype: DType) -> OpResult<Array> {
    with_float_dtype!(dtype, T => Ok(T::wrap(from_vec(
        shape,
        data.iter().map(|&v| T::store64(v)).collect(),
    )?)), _ => Err(OpError::Internal(format!("non-float linalg dtype {dtype}"))))
}

/// The square input of a unary decomposition, promoted to its float dtype.
fn square_input<'a>(call: &'a OpCall, extra: &[&str]) -> OpResult<(Args<'a>, Array, usize, DType)> {
    let mut params = vec!["x"];
    params.extend_from_slice(extra);
    let args = Args::bind(call, &params, 1)?;
    let x = to_array(args.value(0))?;
    let n = assert_square(&x)?;
    let dtype = float_result_dtype(x.dtype())?;
    Ok((args, x.cast(dtype), n, dtype))
}

/// Sign and log-magnitude of each determinant, as `jnp.linalg.slogdet`
/// computes them: closed forms for `n <= 2` in the dtype, else from an LU
/// factorization (`log|u_ii|` summed in the dtype).
fn slogdet_parts(x: &Array, n: usize, dtype: DType) -> OpResult<(Vec<f64>, Vec<f64>)> {
    let batch = x.len() / (n * n).max(1);
    let count = if n == 0 {
        x.shape()[..x.ndim() - 2].iter().product()
    } else {
        batch
    };
    if n > 2 {
        require_lapack_dtype(dtype)?;
    }
    with_float_dtype!(dtype, T => {
        let v: Vec<T> = x.clone().into_typed::<T>().iter().copied().collect();
        let mut signs = Vec::with_capacity(count);
        let mut logs = Vec::with_capacity(count);
        for b in 0..count {
            let m = &v[b * n * n..(b + 1) * n * n];
            let (sign, log) = match n {
                1 | 2 => {
                    let d = if n == 1 { m[0] } else { m[0].mul(m[3]).sub(m[1].mul(m[2])) };
                    let f = d.load();
                    let sign = if f.is_nan() { f } else if f == 0.0 { 0.0 } else { f.signum() };
                    (T::store(sign), T::store64(f64::from(d.abs().load()).ln()))
                }
                _ => {
                    let a: Vec<f64> = m.iter().map(|e| f64::from(e.load())).collect();
                    let Lu { lu, swaps, .. } = lapack::lu(&a, n);
                    let diag: Vec<T> = (0..n).map(|i| T::store64(lu[i * n + i])).collect();
                    if diag.iter().any(|d| d.load() == 0.0) {
                        (T::zero(), T::store(f32::NEG_INFINITY))
                    } else {
                        let negative = diag.iter().filter(|d| d.load() < 0.0).count();
                        let sign = if (swaps + negative) % 2 == 0 { 1.0 } else { -1.0 };
                        let logs = diag.iter().map(|d| T::store64(f64::from(d.abs().load()).ln()));
                        (T::store(sign), T::sum_of(logs.collect::<Vec<T>>().into_iter()))
                    }
                }
            };
            signs.push(f64::from(sign.load()));
            logs.push(f64::from(log.load()));
        }
        Ok((signs, logs))
    }, _ => Err(OpError::Internal(format!("slogdet on {dtype}"))))
}

/// `keras.ops.det`: closed forms for 2×2 and 3×3 (in the dtype), else
/// `sign * exp(logabsdet)`.
pub fn det(call: &OpCall) -> OpResult<Value> {
    let (_, x, n, dtype) = square_input(call, &[])?;
    let batch: Vec<usize> = x.shape()[..x.ndim() - 2].to_vec();
    let out = with_float_dtype!(dtype, T => {
        let v: Vec<T> = x.clone().into_typed::<T>().iter().copied().collect();
        let at = |b: usize, i: usize, j: usize| v[b * n * n + i * n + j];
        let count: usize = batch.iter().product();
        let data: Vec<T> = match n {
            2 => (0..count)
                .map(|b| at(b, 0, 0).mul(at(b, 1, 1)).sub(at(b, 0, 1).mul(at(b, 1, 0))))
                .collect(),
            3 => (0..count)
                .map(|b| {
                    let t = |p: (usize, usize), q: (usize, usize), r: (usize, usize)| {
                        at(b, p.0, p.1).mul(at(b, q.0, q.1)).mul(at(b, r.0, r.1))
                    };
                    t((0, 0), (1, 1), (2, 2))
                        .add(t((0, 1), (1, 2), (2, 0)))
                        .add(t((0, 2), (1, 0), (2, 1)))
                        .sub(t((0, 2), (1, 1), (2, 0)))
                        .sub(t((0, 0), (1, 2), (2, 1)))
                        .sub(t((0, 1), (1, 0), (2, 2)))
                })
                .collect(),
            _ => {
                let (signs, logs) = slogdet_parts(&x, n, dtype)?;
                signs
                    .iter()
                    .zip(&logs)
                    .map(|(&s, &l)| T::store64(s).mul(T::store64(l.exp())))
                    .collect()
            }
        };
        T::wrap(from_vec(&batch, data)?)
    }, _ => return Err(OpError::Internal(format!("det on {dtype}"))));
    tensor(out)
}

/// `jnp.linalg.slogdet`'s input: promoted, with its own shape error.
fn slogdet_input(call: &OpCall) -> OpResult<(Array, usize, DType, Vec<usize>)> {
    let args = Args::bind(call, &["x"], 1)?;
    let x = to_array(args.value(0))?;
    let s = x.shape().to_vec();
    if s.len() < 2 || s[s.len() - 1] != s[s.len() - 2] {
        return Err(OpError::Value(format!(
            "Argument to slogdet() must have shape [..., n, n], got {}",
            shape_repr(&s)
        )));
    }
    let dtype = float_result_dtype(x.dtype())?;
    Ok((
        x.cast(dtype),
        s[s.len() - 1],
        dtype,
        s[..s.len() - 2].to_vec(),
    ))
}

/// `keras.ops.slogdet`: `(sign, logabsdet)`.
pub fn slogdet(call: &OpCall) -> OpResult<Value> {
    let (x, n, dtype, batch) = slogdet_input(call)?;
    let (signs, logs) = slogdet_parts(&x, n, dtype)?;
    Ok(Value::Tuple(vec![
        Value::Tensor(rounded(&batch, &signs, dtype)?.into_tensor()?),
        Value::Tensor(rounded(&batch, &logs, dtype)?.into_tensor()?),
    ]))
}

/// `keras.ops.logdet`: the `logabsdet` of `slogdet` (so the sign is dropped).
pub fn logdet(call: &OpCall) -> OpResult<Value> {
    let (x, n, dtype, batch) = slogdet_input(call)?;
    let (_, logs) = slogdet_parts(&x, n, dtype)?;
    tensor(rounded(&batch, &logs, dtype)?)
}

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
        kconform_api::promote::Operand::Strong(a.array.dtype()),
        kconform_api::promote::Operand::Strong(b.array.dtype()),
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

/// `keras.ops.cholesky(x, upper=False)`: the input is symmetrized first
/// (`(x + xᵀ) / 2`); a matrix that is not positive definite (or any NaN in
/// the factor) makes Keras raise.
pub fn cholesky(call: &OpCall) -> OpResult<Value> {
    let (args, x, n, dtype) = square_input(call, &["upper"])?;
    let upper = truthy(args.value(1))?;
    require_lapack_dtype(dtype).map_err(|e| match e {
        OpError::NotImplemented(m) => OpError::Value(format!("Cholesky decomposition failed: {m}")),
        other => other,
    })?;
    let failed = || {
        OpError::Value(
            "Cholesky decomposition failed: Cholesky decomposition failed. The input might not \
             be a valid positive definite matrix."
                .into(),
        )
    };
    let shape = x.shape().to_vec();
    let v: Vec<f64> = x.scalars().into_iter().map(Scalar::as_f64).collect();
    let count = v.len() / (n * n).max(1);
    let mut out = Vec::with_capacity(v.len());
    for b in 0..count {
        let m = &v[b * n * n..(b + 1) * n * n];
        // `(x + xᵀ) / 2`, rounded as the `f32` computation rounds it.
        let sym: Vec<f64> = (0..n * n)
            .map(|p| {
                let (i, j) = (p / n, p % n);
                f64::from((m[i * n + j] as f32 + m[j * n + i] as f32) / 2.0)
            })
            .collect();
        let l = lapack::cholesky(&sym, n).ok_or_else(failed)?;
        if l.iter().any(|v| v.is_nan()) {
            return Err(failed());
        }
        out.extend((0..n * n).map(|p| {
            let (i, j) = (p / n, p % n);
            if upper {
                l[j * n + i]
            } else {
                l[i * n + j]
            }
        }));
    }
    tensor(rounded(&shape, &out, dtype)?)
}
