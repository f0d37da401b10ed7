//! Lane-wise maps for the activations that normalize along axes (`softmax`,
//! `log_softmax`, `sparsemax`): every lane is transformed into a lane of the
//! same length, in place.

use ndarray::{ArrayD, IxDyn};

use crate::error::{OpError, OpResult};

/// Applies `f` to every lane along `axes` and returns the results in the
/// input's shape. A lane walks `axes` in the order given (the first axis
/// varies slowest), as a transpose of `axes` to the end and a reshape make it.
pub fn map_lanes<T: Clone, U: Clone>(
    a: &ArrayD<T>,
    axes: &[usize],
    mut f: impl FnMut(&[T]) -> Vec<U>,
) -> OpResult<ArrayD<U>> {
    let ndim = a.ndim();
    let kept = (0..ndim).filter(|i| !axes.contains(i));
    let perm: Vec<usize> = kept.chain(axes.iter().copied()).collect();
    let inner: usize = axes.iter().map(|&i| a.shape()[i]).product();
    let data: Vec<T> = a
        .view()
        .permuted_axes(IxDyn(&perm))
        .iter()
        .cloned()
        .collect();
    let mut out = Vec::with_capacity(data.len());
    if inner > 0 {
        for lane in data.chunks(inner) {
            out.extend(f(lane));
        }
    }
    let permuted: Vec<usize> = perm.iter().map(|&i| a.shape()[i]).collect();
    let result = crate::array::from_vec(&permuted, out)?;
    let mut inverse = vec![0; ndim];
    for (k, &p) in perm.iter().enumerate() {
        inverse[p] = k;
    }
    if result.len() != a.len() {
        return Err(OpError::Internal("a lane changed length".into()));
    }
    Ok(result
        .permuted_axes(IxDyn(&inverse))
        .as_standard_layout()
        .into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_follow_the_axis_order() {
        let a = ArrayD::from_shape_vec(IxDyn(&[2, 3]), (0..6).collect()).unwrap();
        // Running sums along axis 1, then along (1, 0): lanes [0 1 2 3 4 5]
        // and [0 3 1 4 2 5].
        let scan = |l: &[i32]| {
            l.iter()
                .scan(0, |s, &v| {
                    *s += v;
                    Some(*s)
                })
                .collect::<Vec<_>>()
        };
        let r = map_lanes(&a, &[1], scan).unwrap();
        assert_eq!(r.into_raw_vec_and_offset().0, vec![0, 1, 3, 3, 7, 12]);
        let r = map_lanes(&a, &[1, 0], scan).unwrap();
        assert_eq!(r.into_raw_vec_and_offset().0, vec![0, 4, 10, 3, 8, 15]);
        let r = map_lanes(&a, &[], |l: &[i32]| vec![l[0] * 2]).unwrap();
        assert_eq!(r.shape(), &[2, 3]);
    }
}
