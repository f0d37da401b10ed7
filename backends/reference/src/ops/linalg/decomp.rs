//! Decompositions: `det`, `slogdet`, `logdet` and `cholesky`, and the
//! helpers the solves share. Inputs are promoted as JAX's
//! `promote_dtypes_inexact` does (integers and bool to `float32`); LAPACK
//! work runs in `f64` and rounds once into the result dtype, the closed
//! forms JAX uses for small matrices run in the dtype itself.

use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, IxDyn};

use crate::args::{truthy, Args};
use crate::array::{from_vec, with_float_dtype, Array};
use crate::convert::to_array;
use crate::elem::{Elem, FloatElem};
use crate::elementwise::{float_result_dtype, tensor};
use crate::error::{shape_repr, OpError, OpResult};

use super::lapack::{self, require_lapack_dtype, Lu};

/// Keras's `_assert_2d` and `_assert_square`.
pub(super) fn assert_square(x: &Array) -> OpResult<usize> {
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
pub(super) fn broadcast_f64(a: &Array, shape: &[usize]) -> OpResult<Vec<f64>> {
    let data: Vec<f64> = a.scalars().into_iter().map(Scalar::as_f64).collect();
    let arr = ArrayD::from_shape_vec(IxDyn(a.shape()), data)
        .map_err(|e| OpError::Internal(e.to_string()))?;
    let view = arr
        .broadcast(IxDyn(shape))
        .ok_or_else(|| OpError::Internal("linalg broadcast".into()))?;
    Ok(view.iter().copied().collect())
}

/// Rounds `f64` results into `dtype` (through `f32`, as XLA's `f32` would).
pub(super) fn rounded(shape: &[usize], data: &[f64], dtype: DType) -> OpResult<Array> {
    with_float_dtype!(dtype, T => Ok(T::wrap(from_vec(
        shape,
        data.iter().map(|&v| T::store64(v)).collect(),
    )?)), _ => Err(OpError::Internal(format!("non-float linalg dtype {dtype}"))))
}

/// The square input of a unary decomposition, promoted to its float dtype.
pub(super) fn square_input<'a>(
    call: &'a OpCall,
    extra: &[&str],
) -> OpResult<(Args<'a>, Array, usize, DType)> {
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
