//! The dense factorizations JAX runs through LAPACK on CPU, in `f64` on
//! row-major square matrices (results are rounded by the callers): LU with
//! partial pivoting (`getrf`, zero pivots left unscaled), the substitutions
//! of an LU solve (no zero-skipping: `0 / 0` is NaN, as XLA computes),
//! Cholesky (`potrf`), and singular values (one-sided Jacobi).

use kconform_api::DType;

use crate::error::{OpError, OpResult};

/// JAX's error for a LAPACK routine called on a half-float dtype.
pub fn require_lapack_dtype(dtype: DType) -> OpResult<()> {
    let class = match dtype {
        DType::Float16 => "numpy.float16",
        DType::Bfloat16 => "ml_dtypes.bfloat16",
        _ => return Ok(()),
    };
    Err(OpError::NotImplemented(format!(
        "(KeyError(<class '{class}'>), 'Unsupported dtype {dtype}.')"
    )))
}

/// An LU factorization `P A = L U` of an `n × n` matrix: `lu` holds `U` on
/// and above the diagonal and `L` (unit diagonal) below; `perm[i]` is the
/// row of `A` in row `i` of `P A`; `swaps` counts row interchanges.
pub struct Lu {
    /// The order of the matrix.
    pub n: usize,
    /// `L` below the diagonal and `U` on and above it, row-major.
    pub lu: Vec<f64>,
    /// Row `i` of `P A` is row `perm[i]` of `A`.
    pub perm: Vec<usize>,
    /// The number of row interchanges (the parity of `P`).
    pub swaps: usize,
}

/// `getrf`: the first largest `|a|` of each column pivots; a zero pivot
/// leaves its column unscaled and the factorization goes on.
pub fn lu(a: &[f64], n: usize) -> Lu {
    let mut m = a.to_vec();
    let mut perm: Vec<usize> = (0..n).collect();
    let mut swaps = 0;
    for k in 0..n {
        let mut p = k;
        for i in k + 1..n {
            if m[i * n + k].abs() > m[p * n + k].abs() {
                p = i;
            }
        }
        if p != k {
            for j in 0..n {
                m.swap(k * n + j, p * n + j);
            }
            perm.swap(k, p);
            swaps += 1;
        }
        let pivot = m[k * n + k];
        if pivot != 0.0 {
            for i in k + 1..n {
                m[i * n + k] /= pivot;
            }
        }
        for i in k + 1..n {
            let l = m[i * n + k];
            for j in k + 1..n {
                m[i * n + j] -= l * m[k * n + j];
            }
        }
    }
    Lu {
        n,
        lu: m,
        perm,
        swaps,
    }
}

impl Lu {
    /// Solves `A x = b` for one right-hand side.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut y: Vec<f64> = self.perm.iter().map(|&p| b[p]).collect();
        for i in 0..n {
            let s: f64 = (0..i).map(|j| self.lu[i * n + j] * y[j]).sum();
            y[i] -= s;
        }
        back_substitute(&self.lu, n, &mut y);
        y
    }
}

/// Solves `U x = y` in place (`U`: the upper triangle of `u`, row-major).
pub fn back_substitute(u: &[f64], n: usize, y: &mut [f64]) {
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|j| u[i * n + j] * y[j]).sum();
        y[i] = (y[i] - s) / u[i * n + i];
    }
}

/// Solves `L x = y` in place (`L`: the lower triangle of `l`, row-major,
/// with its own diagonal).
pub fn forward_substitute(l: &[f64], n: usize, y: &mut [f64]) {
    for i in 0..n {
        let s: f64 = (0..i).map(|j| l[i * n + j] * y[j]).sum();
        y[i] = (y[i] - s) / l[i * n + i];
    }
}

/// `potrf` on the lower triangle: `None` when the matrix is not positive
/// definite (JAX then returns NaNs).
pub fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let d = a[j * n + j] - (0..j).map(|k| l[j * n + k] * l[j * n + k]).sum::<f64>();
        if d.is_nan() || d <= 0.0 {
            return None;
        }
        let d = d.sqrt();
        l[j * n + j] = d;
        for i in j + 1..n {
            let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            l[i * n + j] = (a[i * n + j] - s) / d;
        }
    }
    Some(l)
}

/// The singular values of an `r × c` row-major matrix, largest first
/// (one-sided Jacobi rotations on the columns of the taller orientation).
pub fn singular_values(a: &[f64], r: usize, c: usize) -> Vec<f64> {
    // Work on columns of an (m × k) matrix with m >= k.
    let tall = r >= c;
    let (m, k) = if tall { (r, c) } else { (c, r) };
    let at = |i: usize, j: usize| if tall { a[i * c + j] } else { a[j * c + i] };
    let mut cols: Vec<Vec<f64>> = (0..k).map(|j| (0..m).map(|i| at(i, j)).collect()).collect();
    for _sweep in 0..60 {
        let mut rotated = false;
        for p in 0..k {
            for q in p + 1..k {
                let alpha: f64 = cols[p].iter().map(|x| x * x).sum();
                let beta: f64 = cols[q].iter().map(|x| x * x).sum();
                let gamma: f64 = cols[p].iter().zip(&cols[q]).map(|(x, y)| x * y).sum();
                if gamma == 0.0 || gamma.abs() <= 1e-15 * (alpha * beta).sqrt() {
                    continue;
                }
                rotated = true;
                let zeta: f64 = (beta - alpha) / (2.0 * gamma);
                let t: f64 = if zeta == 0.0 {
                    1.0
                } else {
                    zeta.signum() / (zeta.abs() + (1.0 + zeta * zeta).sqrt())
                };
                let cs = 1.0 / (1.0 + t * t).sqrt();
                let sn = cs * t;
                let (left, right) = cols.split_at_mut(q);
                for (x, y) in left[p].iter_mut().zip(right[0].iter_mut()) {
                    (*x, *y) = (cs * *x - sn * *y, sn * *x + cs * *y);
                }
            }
        }
        if !rotated {
            break;
        }
    }
    let mut s: Vec<f64> = cols
        .iter()
        .map(|col| col.iter().map(|x| x * x).sum::<f64>().sqrt())
        .collect();
    s.sort_by(|x, y| y.total_cmp(x));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lu_solves_and_singular_values() {
        let a = [4.0, 1.0, 2.0, 3.0];
        let f = lu(&a, 2);
        let x = f.solve(&[1.0, 2.0]);
        assert!((x[0] - 0.1).abs() < 1e-12 && (x[1] - 0.6).abs() < 1e-12);
        let s = singular_values(&[3.0, 0.0, 0.0, 0.0, -2.0, 0.0], 2, 3);
        assert!((s[0] - 3.0).abs() < 1e-12 && (s[1] - 2.0).abs() < 1e-12);
        assert!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
        // A singular matrix gives JAX's infinities and NaNs.
        let x = lu(&[1.0; 4], 2).solve(&[1.0, 2.0]);
        assert_eq!(x, vec![f64::NEG_INFINITY, f64::INFINITY]);
    }
}
