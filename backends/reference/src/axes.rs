//! Axis arguments: canonicalization with JAX's and Keras's errors, and the
//! lane-wise reduction driver every reduction uses.

use kconform_api::Value;
use ndarray::{ArrayD, ArrayView1, Axis, IxDyn};

use crate::args::{axes, int_tuple_repr_of};
use crate::error::{OpError, OpResult};

/// `axis` in `[-ndim, ndim)` made non-negative, or JAX's `ValueError`.
pub fn canonical_axis(axis: i64, ndim: usize) -> OpResult<usize> {
    let n = ndim as i64;
    if (-n..n).contains(&axis) {
        Ok(if axis < 0 { axis + n } else { axis } as usize)
    } else {
        Err(OpError::Value(format!(
            "axis {axis} is out of bounds for array of dimension {ndim}"
        )))
    }
}

/// Keras's `canonicalize_axis` (a different message: "…for an array with
/// dimension N.").
pub fn keras_canonical_axis(axis: i64, ndim: usize) -> OpResult<usize> {
    canonical_axis(axis, ndim).map_err(|_| {
        OpError::Value(format!(
            "axis {axis} is out of bounds for an array with dimension {ndim}."
        ))
    })
}

/// The reduced axes of a reduction's `axis` argument (`None` → all), sorted,
/// with JAX's out-of-bounds and duplicate errors.
pub fn reduction_axes(axis: Option<&Value>, ndim: usize) -> OpResult<Vec<usize>> {
    let Some(list) = axes(axis)? else {
        return Ok((0..ndim).collect());
    };
    let canon = list
        .iter()
        .map(|&a| canonical_axis(a, ndim))
        .collect::<OpResult<Vec<_>>>()?;
    sorted_unique(canon, || int_tuple_repr_of(axis))
}

/// Sorts axes, raising `duplicate value in 'axis': …` on repeats.
pub fn sorted_unique(mut canon: Vec<usize>, repr: impl Fn() -> String) -> OpResult<Vec<usize>> {
    let n = canon.len();
    canon.sort_unstable();
    canon.dedup();
    if canon.len() != n {
        return Err(OpError::Value(format!(
            "duplicate value in 'axis': {}",
            repr()
        )));
    }
    Ok(canon)
}

/// Applies `f` to every lane along the reduced `axes` (sorted, unique) and
/// returns the results in the kept axes' shape (with ones in the reduced
/// positions when `keepdims`).
pub fn reduce_lanes<T: Clone, R>(
    a: &ArrayD<T>,
    reduced: &[usize],
    keepdims: bool,
    mut f: impl FnMut(ArrayView1<'_, T>) -> R,
) -> OpResult<ArrayD<R>> {
    let ndim = a.ndim();
    let kept: Vec<usize> = (0..ndim).filter(|i| !reduced.contains(i)).collect();
    let perm: Vec<usize> = kept.iter().chain(reduced).copied().collect();
    let outer: usize = kept.iter().map(|&i| a.shape()[i]).product();
    let inner: usize = reduced.iter().map(|&i| a.shape()[i]).product();
    let view = a.view().permuted_axes(IxDyn(&perm));
    let standard = view.as_standard_layout();
    let rows = standard
        .to_shape((outer, inner))
        .map_err(|e| OpError::Internal(e.to_string()))?;
    let out: Vec<R> = rows.axis_iter(Axis(0)).map(&mut f).collect();
    let shape: Vec<usize> = if keepdims {
        (0..ndim)
            .map(|i| {
                if reduced.contains(&i) {
                    1
                } else {
                    a.shape()[i]
                }
            })
            .collect()
    } else {
        kept.iter().map(|&i| a.shape()[i]).collect()
    };
    crate::array::from_vec(&shape, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array;

    #[test]
    fn lanes_and_errors() {
        let a = Array::from_shape_fn(IxDyn(&[2, 3, 4]), |d| (d[0] * 12 + d[1] * 4 + d[2]) as i64);
        let s = reduce_lanes(&a, &[0, 2], false, |l| l.sum()).unwrap();
        assert_eq!(s.into_raw_vec_and_offset().0, vec![60, 92, 124]);
        let s = reduce_lanes(&a, &[1], true, |l| l.sum()).unwrap();
        assert_eq!(s.shape(), &[2, 1, 4]);
        assert_eq!(
            canonical_axis(3, 3),
            Err(OpError::Value(
                "axis 3 is out of bounds for array of dimension 3".into()
            ))
        );
        let dup = reduction_axes(Some(&Value::List(vec![Value::Int(0), Value::Int(-3)])), 3);
        assert_eq!(
            dup,
            Err(OpError::Value("duplicate value in 'axis': (0, -3)".into()))
        );
    }
}
