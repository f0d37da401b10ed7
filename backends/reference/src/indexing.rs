//! `take` and `take_along_axis` with JAX's gather semantics: negative
//! indices wrap once, out-of-range positions are *filled* (NaN for floats,
//! the minimum of signed integers, the maximum of unsigned ones, `True`).

use kconform_api::{OpCall, Value};
use ndarray::{ArrayD, IxDyn};

use crate::args::{index, Args};
use crate::array::{from_vec, with_array, Array};
use crate::axes::canonical_axis;
use crate::broadcast::broadcast_shapes;
use crate::convert::to_array;
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{check_size, shape_repr, OpError, OpResult};

/// The indices as `i64` (any integer or bool dtype).
fn index_values(idx: &Array) -> Vec<i64> {
    idx.scalars()
        .into_iter()
        .map(|s| s.as_f64() as i64)
        .collect()
}

/// `i` normalized into `0..n`, or `None` when out of range.
fn normalize(i: i64, n: usize) -> Option<usize> {
    let n = n as i64;
    let i = if i < 0 { i + n } else { i };
    (0..n).contains(&i).then_some(i as usize)
}

/// `keras.ops.take` (`axis=None` takes from the flattened input).
pub fn take(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "indices", "axis"], 2)?;
    let x = to_array(args.value(0))?;
    let idx = to_array(args.value(1))?;
    if idx.dtype().is_float() {
        return Err(OpError::Value("indices must have an integer type".into()));
    }
    let (x, axis) = match args.get(2) {
        None => (x.ravel()?, 0),
        Some(v) => {
            let a = index(v)?;
            let n = x.ndim();
            (x, canonical_axis(a, n)?)
        }
    };
    let shape = x.shape().to_vec();
    let n = shape[axis];
    if n == 0 && !idx.is_empty() {
        return Err(OpError::Index(
            "Cannot do a non-empty jnp.take() from an empty axis.".into(),
        ));
    }
    let outer: usize = shape[..axis].iter().product();
    let inner: usize = shape[axis + 1..].iter().product();
    let positions: Vec<Option<usize>> = index_values(&idx)
        .into_iter()
        .map(|i| normalize(i, n))
        .collect();
    let mut out_shape = shape[..axis].to_vec();
    out_shape.extend_from_slice(idx.shape());
    out_shape.extend_from_slice(&shape[axis + 1..]);
    check_size(&out_shape)?;
    let blocks = Blocks { outer, n, inner };
    tensor(with_array!(x, a => Elem::wrap(from_vec(&out_shape, blocks.gather(&a, &positions))?)))
}

/// `x` viewed as `(outer, n, inner)` for a gather along the middle axis.
struct Blocks {
    outer: usize,
    n: usize,
    inner: usize,
}

impl Blocks {
    /// The `(outer, positions, inner)` gather, filling out-of-range positions.
    fn gather<T: Elem>(&self, a: &ArrayD<T>, positions: &[Option<usize>]) -> Vec<T> {
        let flat: Vec<T> = a.iter().copied().collect();
        let (n, inner) = (self.n, self.inner);
        let mut data = Vec::with_capacity(self.outer * positions.len() * inner);
        for o in 0..self.outer {
            for p in positions {
                match p {
                    Some(j) => {
                        let start = (o * n + j) * inner;
                        data.extend_from_slice(&flat[start..start + inner]);
                    }
                    None => data.extend(std::iter::repeat_n(T::fill(), inner)),
                }
            }
        }
        data
    }
}

/// `keras.ops.take_along_axis` (`axis=None` needs 1-D indices and takes from
/// the flattened input); non-axis dimensions broadcast.
pub fn take_along_axis(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "indices", "axis"], 2)?;
    let x = to_array(args.value(0))?;
    let idx = to_array(args.value(1))?;
    if !idx.dtype().is_integer() {
        return Err(OpError::Type(format!(
            "take_along_axis indices must be of integer type, got {}",
            idx.dtype()
        )));
    }
    let (x, axis) = match args.get(2) {
        None => {
            if idx.ndim() != 1 {
                return Err(OpError::Value(format!(
                    "take_along_axis indices must be 1D if axis=None, got shape {}",
                    shape_repr(idx.shape())
                )));
            }
            (x.ravel()?, 0)
        }
        Some(v) => {
            let a = index(v)?;
            let n = x.ndim();
            (x, canonical_axis(a, n)?)
        }
    };
    if idx.ndim() != x.ndim() {
        return Err(OpError::Value(format!(
            "indices and arr must have the same number of dimensions; {} vs. {}",
            idx.ndim(),
            x.ndim()
        )));
    }
    let with_unit_axis = |s: &[usize]| {
        let mut s = s.to_vec();
        s[axis] = 1;
        s
    };
    let (xs, is) = (with_unit_axis(x.shape()), with_unit_axis(idx.shape()));
    let mut out_shape = broadcast_shapes(&is, &xs).ok_or_else(|| {
        OpError::Value(format!(
            "Incompatible shapes for broadcasting: shapes=[{}, {}]",
            shape_repr(&is),
            shape_repr(&xs)
        ))
    })?;
    out_shape[axis] = idx.shape()[axis];
    check_size(&out_shape)?;
    let n = x.shape()[axis];
    let m = out_shape[axis];
    let mut x_shape = out_shape.clone();
    x_shape[axis] = n;
    check_size(&x_shape)?;
    // Work with `axis` last: rows of `x` (length n) and of indices (length m).
    let mut perm: Vec<usize> = (0..out_shape.len()).filter(|&d| d != axis).collect();
    perm.push(axis);
    let mut inverse = vec![0; perm.len()];
    for (i, &p) in perm.iter().enumerate() {
        inverse[p] = i;
    }
    let rows_shape: Vec<usize> = perm.iter().map(|&d| out_shape[d]).collect();
    let bad = || OpError::Internal("take_along_axis layout".into());
    let idx_i = from_vec(idx.shape(), index_values(&idx))?;
    let idx_rows = idx_i
        .broadcast(IxDyn(&out_shape))
        .ok_or_else(bad)?
        .permuted_axes(IxDyn(&perm))
        .as_standard_layout()
        .into_owned();
    let idx_flat = idx_rows.as_slice().ok_or_else(bad)?;
    tensor(with_array!(x, a => {
        let xb = a.broadcast(IxDyn(&x_shape)).ok_or_else(bad)?.permuted_axes(IxDyn(&perm));
        let x_rows = xb.as_standard_layout();
        let x_flat = x_rows.as_slice().ok_or_else(bad)?;
        let data = gather_rows(x_flat, n, idx_flat, m);
        let rows = from_vec(&rows_shape, data)?;
        Elem::wrap(rows.permuted_axes(IxDyn(&inverse)).as_standard_layout().into_owned())
    }))
}

/// Row by row, `out[r, j] = x[r, idx[r, j]]`, filling out-of-range indices
/// (gathering from an empty row yields zeros, as JAX does).
fn gather_rows<T: Elem>(x: &[T], n: usize, idx: &[i64], m: usize) -> Vec<T> {
    if m == 0 {
        return Vec::new();
    }
    idx.chunks(m)
        .enumerate()
        .flat_map(|(r, row)| {
            row.iter().map(move |&i| match normalize(i, n) {
                Some(j) => x[r * n + j],
                None if n == 0 => T::zero(),
                None => T::fill(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_wraps_once() {
        assert_eq!(normalize(-1, 3), Some(2));
        assert_eq!(normalize(-4, 3), None);
        assert_eq!(normalize(3, 3), None);
    }
}
