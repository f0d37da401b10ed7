//! Tensor products: `dot`, `tensordot`, `inner`, `vdot`, `outer`, `kron` and
//! `cross`. Contractions run through the matmul kernel (XLA's `dot`: integers
//! wrap in the result dtype, floats accumulate in order in `f32`).

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, IxDyn};

use crate::args::{index, py_repr, py_type_name, Args};
use crate::array::{from_vec, with_array, with_dtype, Array, Unwrap};
use crate::axes::canonical_axis;
use crate::binary::{binary_inputs, multiply, promote};
use crate::broadcast::broadcast_or_raise;
use crate::convert::{convert, Converted};
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{check_size, shape_repr, OpError, OpResult};
use crate::linalg::{batched, Dims};

/// `a` with its axes permuted (a view, made contiguous by the next reshape).
pub(super) fn permuted(a: Array, perm: &[usize]) -> Array {
    with_array!(a, v => Elem::wrap(v.permuted_axes(IxDyn(perm))))
}

/// The dtype `lax.dot_general` computes `a · b` in: their promotion, where a
/// weak Python `int` (an `int32` array) refuses a narrower integer result.
pub(super) fn dot_dtype(a: &Converted, b: &Converted) -> OpResult<DType> {
    let dtype = promote(&[a.operand, b.operand])?;
    let narrow = matches!(
        dtype,
        DType::Int8 | DType::Int16 | DType::Uint8 | DType::Uint16
    );
    if narrow && [a.operand, b.operand].contains(&Operand::WeakInt) {
        return Err(OpError::Type(format!(
            "`preferred_element_type` must not be narrower than the original type, got \
             preferred_element_type of {dtype} for result type of int32."
        )));
    }
    Ok(dtype)
}

/// `lax.dot_general` without batch dimensions: `x`'s axes `ax` contract with
/// `y`'s axes `ay`; the result holds `x`'s free axes, then `y`'s.
pub(super) fn contract(
    x: Array,
    y: Array,
    ax: &[usize],
    ay: &[usize],
    dtype: DType,
) -> OpResult<Array> {
    let (xs, ys) = (x.shape().to_vec(), y.shape().to_vec());
    let kx: Vec<usize> = ax.iter().map(|&i| xs[i]).collect();
    let ky: Vec<usize> = ay.iter().map(|&i| ys[i]).collect();
    if kx != ky {
        return Err(OpError::Type(format!(
            "dot_general requires contracting dimensions to have the same shape, got {} and {}.",
            shape_repr(&kx),
            shape_repr(&ky)
        )));
    }
    let free_x: Vec<usize> = (0..xs.len()).filter(|i| !ax.contains(i)).collect();
    let free_y: Vec<usize> = (0..ys.len()).filter(|i| !ay.contains(i)).collect();
    let m: usize = free_x.iter().map(|&i| xs[i]).product();
    let n: usize = free_y.iter().map(|&i| ys[i]).product();
    let k: usize = kx.iter().product();
    let mut out_shape: Vec<usize> = free_x.iter().map(|&i| xs[i]).collect();
    out_shape.extend(free_y.iter().map(|&i| ys[i]));
    check_size(&out_shape)?;
    let perm_x: Vec<usize> = free_x.iter().chain(ax).copied().collect();
    let perm_y: Vec<usize> = ay.iter().chain(&free_y).copied().collect();
    let x = permuted(x.cast(dtype), &perm_x).reshaped(&[m, k])?;
    let y = permuted(y.cast(dtype), &perm_y).reshaped(&[k, n])?;
    let dims = Dims {
        batch: vec![],
        m,
        k,
        n,
        xs: vec![m, k],
        ys: vec![k, n],
    };
    Ok(with_dtype!(dtype, T => T::wrap(batched::<T>(x, y, &dims, &out_shape)?)))
}

/// `keras.ops.dot` (`jnp.dot`): a 0-d operand multiplies; otherwise the last
/// axis of `x1` contracts with the only (1-D) or second-to-last axis of `x2`.
pub fn dot(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = dot_dtype(&a, &b)?;
    let (xn, yn) = (a.array.ndim(), b.array.ndim());
    if xn == 0 || yn == 0 {
        return multiply(call);
    }
    let ay = if yn == 1 { 0 } else { yn - 2 };
    tensor(contract(a.array, b.array, &[xn - 1], &[ay], dtype)?)
}

/// The contracted axes of a `tensordot` `axes` argument, as `jnp.tensordot`
/// reads it (an int `N`: the last `N` of `x1` with the first `N` of `x2`).
fn tensordot_axes(axes: &Value, xs: &[usize], ys: &[usize]) -> OpResult<(Vec<usize>, Vec<usize>)> {
    let (xn, yn) = (xs.len(), ys.len());
    let pair_err = || {
        OpError::Type(
            "tensordot axes argument must be an int, a pair of ints, or a pair of \
             lists/tuples of ints."
                .into(),
        )
    };
    match axes {
        Value::Int(n) => {
            let n = *n;
            if n > xn.min(yn) as i64 {
                return Err(OpError::Type(format!(
                    "Number of tensordot axes (axes {n}) exceeds input ranks ({} and {})",
                    shape_repr(xs),
                    shape_repr(ys)
                )));
            }
            let n = n.max(0) as usize;
            Ok(((xn - n..xn).collect(), (0..n).collect()))
        }
        Value::List(pair) | Value::Tuple(pair) if pair.len() == 2 => match (&pair[0], &pair[1]) {
            (Value::Int(i), Value::Int(j)) => {
                Ok((vec![canonical_axis(*i, xn)?], vec![canonical_axis(*j, yn)?]))
            }
            (l1 @ (Value::List(p) | Value::Tuple(p)), l2 @ (Value::List(q) | Value::Tuple(q))) => {
                if p.len() != q.len() {
                    return Err(OpError::Type(format!(
                        "tensordot requires axes lists to have equal length, got {} and {}.",
                        py_repr(l1),
                        py_repr(l2)
                    )));
                }
                let canon = |items: &[Value], n: usize| {
                    items
                        .iter()
                        .map(|v| canonical_axis(index(v)?, n))
                        .collect::<OpResult<Vec<_>>>()
                };
                Ok((canon(p, xn)?, canon(q, yn)?))
            }
            (p, q) => Err(OpError::Type(format!(
                "tensordot requires both axes lists to be either ints, tuples or lists, got {} \
                 and {}",
                py_repr(p),
                py_repr(q)
            ))),
        },
        _ => Err(pair_err()),
    }
}

/// `keras.ops.tensordot(x1, x2, axes=2)`.
pub fn tensordot(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x1", "x2", "axes"], 2)?;
    let a = convert(args.value(0))?;
    let b = convert(args.value(1))?;
    let dtype = dot_dtype(&a, &b)?;
    let axes = args.given(2).cloned().unwrap_or(Value::Int(2));
    let (ax, ay) = tensordot_axes(&axes, a.array.shape(), b.array.shape())?;
    tensor(contract(a.array, b.array, &ax, &ay, dtype)?)
}

/// `keras.ops.inner`: a 0-d operand multiplies; otherwise the last axes contract.
pub fn inner(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let (xn, yn) = (a.array.ndim(), b.array.ndim());
    if xn == 0 || yn == 0 {
        return multiply(call);
    }
    let dtype = dot_dtype(&a, &b)?;
    tensor(contract(a.array, b.array, &[xn - 1], &[yn - 1], dtype)?)
}

/// `keras.ops.vdot`: the dot product of both inputs flattened (real dtypes
/// need no conjugation).
pub fn vdot(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = dot_dtype(&a, &b)?;
    let (x, y) = (a.array.ravel()?, b.array.ravel()?);
    tensor(contract(x, y, &[0], &[0], dtype)?)
}

/// Converts an argument `jnp` checks with `check_arraylike` (lists refused,
/// naming the argument's position).
fn arraylike(v: &Value, name: &str, position: usize) -> OpResult<Converted> {
    match v {
        Value::List(_) | Value::Tuple(_) => Err(OpError::Type(format!(
            "{name} requires ndarray or scalar arguments, got <class '{}'> at position \
             {position}.",
            py_type_name(v)
        ))),
        _ => convert(v),
    }
}

/// Elementwise products `a[i] * b[j]` of two arrays cast to `dtype`, laid out
/// by `index(i, j)` into `shape` (the `Elem` multiplication rounds as XLA's does).
fn products(
    a: Array,
    b: Array,
    dtype: DType,
    shape: &[usize],
    position: impl Fn(usize, usize) -> usize,
) -> OpResult<Array> {
    fn go<T: Unwrap>(
        a: Array,
        b: Array,
        shape: &[usize],
        position: &dyn Fn(usize, usize) -> usize,
    ) -> OpResult<Array> {
        let x: Vec<T> = a.into_typed::<T>().iter().copied().collect();
        let y: Vec<T> = b.into_typed::<T>().iter().copied().collect();
        let mut out = vec![T::zero(); x.len() * y.len()];
        for (i, &p) in x.iter().enumerate() {
            for (j, &q) in y.iter().enumerate() {
                out[position(i, j)] = p.mul(q);
            }
        }
        Ok(T::wrap(from_vec(shape, out)?))
    }
    check_size(shape)?;
    with_dtype!(dtype, T => go::<T>(a, b, shape, &position))
}

/// The `TypeError` a `lax` arithmetic primitive raises on `bool` operands.
fn refuse_bool(prim: &str, dtype: DType) -> OpResult<()> {
    if dtype == DType::Bool {
        return Err(OpError::Type(format!(
            "{prim} does not accept dtype bool at position 0. Accepted dtypes at position 0 are \
             subtypes of integer, floating, complexfloating."
        )));
    }
    Ok(())
}

/// `keras.ops.outer`: `x1.ravel()[:, None] * x2.ravel()[None, :]`.
pub fn outer(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x1", "x2"], 2)?;
    let a = arraylike(args.value(0), "outer", 0)?;
    let b = arraylike(args.value(1), "outer", 1)?;
    let dtype = promote(&[a.operand, b.operand])?;
    let (m, n) = (a.array.len(), b.array.len());
    tensor(products(a.array, b.array, dtype, &[m, n], |i, j| {
        i * n + j
    })?)
}

/// `keras.ops.kron`: the Kronecker product (the lower-rank input gains
/// leading ones; `out[i * b.shape + j] = a[i] * b[j]` per axis; `lax.mul`
/// refuses two `bool` inputs).
pub fn kron(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = promote(&[a.operand, b.operand])?;
    refuse_bool("mul", dtype)?;
    let rank = a.array.ndim().max(b.array.ndim());
    let padded = |s: &[usize]| {
        let mut p = vec![1; rank - s.len()];
        p.extend_from_slice(s);
        p
    };
    let (sa, sb) = (padded(a.array.shape()), padded(b.array.shape()));
    let shape: Vec<usize> = sa.iter().zip(&sb).map(|(p, q)| p * q).collect();
    let unravel = |mut i: usize, s: &[usize]| {
        let mut idx = vec![0; s.len()];
        for d in (0..s.len()).rev() {
            idx[d] = i % s[d].max(1);
            i /= s[d].max(1);
        }
        idx
    };
    let position = |i: usize, j: usize| {
        let (ia, ib) = (unravel(i, &sa), unravel(j, &sb));
        (0..rank).fold(0, |acc, d| acc * shape[d] + ia[d] * sb[d] + ib[d])
    };
    tensor(products(a.array, b.array, dtype, &shape, position)?)
}

/// The cross products of vectors along the last axis of `a` and `b` (2 or 3
/// components; batch shapes broadcast), stacked on a new leading axis when a
/// component count is 3.
fn cross_last<T: Elem>(a: &ArrayD<T>, b: &ArrayD<T>, batch: &[usize]) -> OpResult<ArrayD<T>> {
    let (da, db) = (a.shape()[a.ndim() - 1], b.shape()[b.ndim() - 1]);
    let full = |d: usize| {
        let mut s = batch.to_vec();
        s.push(d);
        s
    };
    let bad = || OpError::Internal("cross broadcast".into());
    let av = a.broadcast(IxDyn(&full(da))).ok_or_else(bad)?;
    let bv = b.broadcast(IxDyn(&full(db))).ok_or_else(bad)?;
    let count: usize = batch.iter().product();
    let (av, bv) = (av.as_standard_layout(), bv.as_standard_layout());
    let (xa, xb) = (av.as_slice().unwrap_or(&[]), bv.as_slice().unwrap_or(&[]));
    let comps = if da == 2 && db == 2 { 1 } else { 3 };
    let mut out = vec![T::zero(); comps * count];
    for r in 0..count {
        let get = |s: &[T], d: usize, i: usize| if i < d { s[r * d + i] } else { T::zero() };
        let (a0, a1, a2) = (get(xa, da, 0), get(xa, da, 1), get(xa, da, 2));
        let (b0, b1, b2) = (get(xb, db, 0), get(xb, db, 1), get(xb, db, 2));
        let z = a0.mul(b1).sub(a1.mul(b0));
        if comps == 1 {
            out[r] = z;
        } else {
            out[r] = a1.mul(b2).sub(a2.mul(b1));
            out[count + r] = a2.mul(b0).sub(a0.mul(b2));
            out[2 * count + r] = z;
        }
    }
    let mut shape = if comps == 3 { vec![3] } else { vec![] };
    shape.extend_from_slice(batch);
    from_vec(&shape, out)
}

/// `keras.ops.cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None)`.
pub fn cross(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x1", "x2", "axisa", "axisb", "axisc", "axis"], 2)?;
    let a = convert(args.value(0))?;
    let b = convert(args.value(1))?;
    let int_or = |i: usize| args.get(i).map_or(Ok(-1), index);
    let (mut axisa, mut axisb, mut axisc) = (int_or(2)?, int_or(3)?, int_or(4)?);
    if let Some(v) = args.get(5) {
        let axis = index(v)?;
        (axisa, axisb, axisc) = (axis, axis, axis);
    }
    let dtype = promote(&[a.operand, b.operand])?;
    let to_last = |x: Array, axis: i64| -> OpResult<Array> {
        let n = x.ndim();
        let ax = canonical_axis(axis, n)?;
        let perm: Vec<usize> = (0..n).filter(|&i| i != ax).chain([ax]).collect();
        Ok(permuted(x, &perm))
    };
    let (x, y) = (to_last(a.array, axisa)?, to_last(b.array, axisb)?);
    let (da, db) = (x.shape()[x.ndim() - 1], y.shape()[y.ndim() - 1]);
    if !matches!(da, 2 | 3) || !matches!(db, 2 | 3) {
        return Err(OpError::Value(
            "Dimension must be either 2 or 3 for cross product".into(),
        ));
    }
    refuse_bool("sub", dtype)?;
    let batch = broadcast_or_raise(
        "mul",
        &x.shape()[..x.ndim() - 1],
        &y.shape()[..y.ndim() - 1],
    )?;
    let (x, y) = (x.cast(dtype), y.cast(dtype));
    let stacked = with_dtype!(dtype, T => T::wrap(cross_last::<T>(
        &x.into_typed::<T>(),
        &y.into_typed::<T>(),
        &batch,
    )?));
    if da == 2 && db == 2 {
        return tensor(stacked);
    }
    // `moveaxis(c, 0, axisc)`.
    let n = stacked.ndim();
    let c = canonical_axis(axisc, n)?;
    let mut perm: Vec<usize> = (1..n).collect();
    perm.insert(c, 0);
    tensor(permuted(stacked, &perm))
}
