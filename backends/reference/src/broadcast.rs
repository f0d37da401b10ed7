//! NumPy broadcasting of two arrays.

use ndarray::{ArrayD, IxDyn, Zip};

use crate::error::{check_size, shape_repr, OpError, OpResult};

/// The broadcast shape of `a` and `b`, or `None` when they do not broadcast.
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let dim = |s: &[usize], i: usize| (i + s.len()).checked_sub(n).map_or(1, |j| s[j]);
    (0..n)
        .map(|i| match (dim(a, i), dim(b, i)) {
            (x, y) if x == y => Some(x),
            (1, y) => Some(y),
            (x, 1) => Some(x),
            _ => None,
        })
        .collect()
}

/// [`broadcast_shapes`], raising JAX's `TypeError` named after the lax
/// primitive (`add`, `sub`, `max`, …).
pub fn broadcast_or_raise(prim: &str, a: &[usize], b: &[usize]) -> OpResult<Vec<usize>> {
    let shape = broadcast_shapes(a, b).ok_or_else(|| {
        OpError::Type(format!(
            "{prim} got incompatible shapes for broadcasting: {}, {}.",
            shape_repr(a),
            shape_repr(b)
        ))
    })?;
    check_size(&shape)?;
    Ok(shape)
}

/// `f` applied elementwise to `a` and `b` broadcast to `shape` (which must be
/// their broadcast shape).
pub fn zip_map<A: Copy, B: Copy, O>(
    a: &ArrayD<A>,
    b: &ArrayD<B>,
    shape: &[usize],
    f: impl Fn(A, B) -> O,
) -> OpResult<ArrayD<O>> {
    // Fast paths: same-shape contiguous operands, or a scalar on either side.
    match (a.as_slice(), b.as_slice()) {
        (Some(x), Some(y)) if a.shape() == shape && b.shape() == shape => {
            let data = x.iter().zip(y).map(|(&p, &q)| f(p, q)).collect();
            return crate::array::from_vec(shape, data);
        }
        (Some(x), Some(&[q])) if a.shape() == shape => {
            return crate::array::from_vec(shape, x.iter().map(|&p| f(p, q)).collect());
        }
        (Some(&[p]), Some(y)) if b.shape() == shape => {
            return crate::array::from_vec(shape, y.iter().map(|&q| f(p, q)).collect());
        }
        _ => {}
    }
    let bad = || OpError::Internal("broadcast to a non-broadcast shape".into());
    let av = a.broadcast(IxDyn(shape)).ok_or_else(bad)?;
    let bv = b.broadcast(IxDyn(shape)).ok_or_else(bad)?;
    Ok(Zip::from(&av).and(&bv).map_collect(|&x, &y| f(x, y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(broadcast_shapes(&[2, 1], &[3]), Some(vec![2, 3]));
        assert_eq!(broadcast_shapes(&[], &[3]), Some(vec![3]));
        assert_eq!(broadcast_shapes(&[0], &[1]), Some(vec![0]));
        assert_eq!(broadcast_shapes(&[2], &[3]), None);
        let e = broadcast_or_raise("add", &[2], &[3]).unwrap_err();
        assert_eq!(
            e,
            OpError::Type("add got incompatible shapes for broadcasting: (2,), (3,).".into())
        );
    }
}
