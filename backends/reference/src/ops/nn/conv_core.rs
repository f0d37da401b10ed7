//! `lax.conv_general_dilated` on `(N, C, spatial...)` inputs and
//! `(O, I, spatial...)` kernels: strides, explicit `(low, high)` padding
//! (negative pads crop), input (`lhs`) and kernel (`rhs`) dilation, and
//! feature groups, with JAX's shape checks and messages.
//!
//! Each output element accumulates over the kernel window (spatial positions
//! in row-major order, input channels innermost) with [`Elem::acc_fma`]:
//! integers wrap, bools `or`/`and`, floats fuse in `f32`. XLA:CPU's own
//! summation order differs, so float results may differ in the last bits.

use ndarray::ArrayD;

use crate::array::from_vec;
use crate::elem::Elem;
use crate::error::{check_size, int_tuple_repr, shape_repr, OpError, OpResult};

/// Everything but the operands of one `conv_general_dilated` call.
#[derive(Clone, Debug)]
pub struct ConvSpec {
    /// Window strides, one per spatial dimension.
    pub strides: Vec<i64>,
    /// `(low, high)` padding per spatial dimension.
    pub padding: Vec<(i64, i64)>,
    /// Input dilation (the strides of a transposed convolution).
    pub lhs_dilation: Vec<i64>,
    /// Kernel dilation (`dilation_rate`).
    pub rhs_dilation: Vec<i64>,
    /// Number of feature groups.
    pub groups: usize,
}

/// A padding string `lax.padtype_to_pads` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PadType {
    /// No padding.
    Valid,
    /// Output size `ceil(input / stride)`, the odd pad at the end.
    Same,
    /// Like `Same`, the odd pad at the start.
    SameLower,
}

impl PadType {
    /// `PaddingType[padding.upper()]`, with JAX's `RuntimeError`.
    pub fn parse(padding: &str) -> OpResult<PadType> {
        match padding.to_uppercase().as_str() {
            "VALID" => Ok(PadType::Valid),
            "SAME" => Ok(PadType::Same),
            "SAME_LOWER" => Ok(PadType::SameLower),
            _ => Err(OpError::Runtime(format!(
                "Unrecognized padding type: expected 'VALID', 'SAME', or 'SAME_LOWER', got \
                 {padding}."
            ))),
        }
    }

    /// `lax.padtype_to_pads`; `window` holds the dilated kernel extents.
    pub fn pads(self, input: &[usize], window: &[usize], strides: &[i64]) -> Vec<(i64, i64)> {
        input
            .iter()
            .zip(window)
            .zip(strides)
            .map(|((&i, &k), &s)| {
                if self == PadType::Valid || s <= 0 {
                    return (0, 0);
                }
                let (i, k, s) = (i as i128, k as i128, i128::from(s));
                let out = (i + s - 1) / s;
                let total = ((out - 1) * s + k - i).clamp(0, i128::from(i64::MAX)) as i64;
                match self {
                    PadType::SameLower => (total - total / 2, total / 2),
                    _ => (total / 2, total - total / 2),
                }
            })
            .collect()
    }
}

/// `(k - 1) * d + 1`, the extent of a dilated window (0 for an empty one).
pub fn dilate(k: usize, d: i64) -> usize {
    if k == 0 {
        0
    } else {
        ((k as i128 - 1) * i128::from(d) + 1).clamp(0, i128::from(i64::MAX)) as usize
    }
}

/// Checks the operands as `conv_general_dilated`'s shape rule does and
/// returns the output shape `(N, O, spatial...)`.
pub fn output_shape(lhs: &[usize], rhs: &[usize], spec: &ConvSpec) -> OpResult<Vec<usize>> {
    if lhs.len() != rhs.len() {
        return Err(OpError::Value(format!(
            "conv_general_dilated lhs and rhs must have the same number of dimensions, but got {} \
             and {}.",
            shape_repr(lhs),
            shape_repr(rhs)
        )));
    }
    if lhs.len() < 2 {
        return Err(OpError::Unsupported(format!(
            "convolution of a rank-{} input",
            lhs.len()
        )));
    }
    let g = spec.groups;
    let (features, kernel_in, kernel_out) = (lhs[1], rhs[1], rhs[0]);
    if g == 0 || features % g != 0 {
        return Err(OpError::Value(format!(
            "conv_general_dilated feature_group_count must divide lhs feature dimension size, but \
             {g} does not divide {features}."
        )));
    }
    if features / g != kernel_in {
        return Err(OpError::Value(format!(
            "conv_general_dilated lhs feature dimension size divided by feature_group_count must \
             equal the rhs input feature dimension size, but {features} // {g} != {kernel_in}."
        )));
    }
    if kernel_out % g != 0 {
        return Err(OpError::Value(format!(
            "conv_general_dilated rhs output feature dimension size must be a multiple of \
             feature_group_count, but {kernel_out} is not a multiple of {g}."
        )));
    }
    let n = lhs.len() - 2;
    if spec.strides.len() != n {
        return Err(OpError::Value(format!(
            "conv_general_dilated window and window_strides must have the same number of \
             dimensions, but got {n} and {}",
            spec.strides.len()
        )));
    }
    for dilation in [&spec.lhs_dilation, &spec.rhs_dilation] {
        if dilation.iter().any(|&d| d <= 0) {
            return Err(OpError::Type(format!(
                "All dilations must be positive, got {}.",
                int_tuple_repr(dilation.iter().copied())
            )));
        }
    }
    if spec.rhs_dilation.len() != n {
        return Err(OpError::Value(format!(
            "Cannot lower jaxpr with verifier errors:\n\texpects window-dilation factors to have \
             same dimension-size as size of window dimensions ({n}), but got: {}.",
            spec.rhs_dilation.len()
        )));
    }
    if let Some((i, &s)) = spec.strides.iter().enumerate().find(|(_, &s)| s <= 0) {
        return Err(OpError::Value(format!(
            "Cannot lower jaxpr with verifier errors:\n\texpects window to have positive stride \
             for {i}-th window dimension, but got {s}."
        )));
    }
    let mut out = vec![lhs[0], kernel_out];
    for d in 0..n {
        let padded = dilate(lhs[d + 2], spec.lhs_dilation[d]) as i128
            + i128::from(spec.padding[d].0)
            + i128::from(spec.padding[d].1);
        if padded < 0 {
            return Err(OpError::Value(format!(
                "Negative padding is larger than the size of the corresponding dimension: got \
                 padding={:?} for lhs_shape[2:]={}",
                spec.padding,
                shape_repr(&lhs[2..])
            )));
        }
        let window = dilate(rhs[d + 2], spec.rhs_dilation[d]) as i128;
        let size = if padded < window {
            0
        } else {
            (padded - window) / i128::from(spec.strides[d]) + 1
        };
        out.push(usize::try_from(size).unwrap_or(usize::MAX));
    }
    check_size(&out)?;
    Ok(out)
}

/// Row-major strides of `shape`.
fn strides_of(shape: &[usize]) -> Vec<usize> {
    let mut s = vec![1; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * shape[i + 1];
    }
    s
}

/// Advances a row-major multi-index within `shape`; false after the last.
fn next_index(idx: &mut [usize], shape: &[usize]) -> bool {
    for d in (0..idx.len()).rev() {
        idx[d] += 1;
        if idx[d] < shape[d] {
            return true;
        }
        idx[d] = 0;
    }
    false
}

/// The convolution of `lhs` `(N, C, spatial...)` with `rhs`
/// `(O, C / groups, window...)`, as `(N, O, spatial'...)`.
pub fn conv_general<T: Elem>(
    lhs: &ArrayD<T>,
    rhs: &ArrayD<T>,
    spec: &ConvSpec,
) -> OpResult<ArrayD<T>> {
    let out_shape = output_shape(lhs.shape(), rhs.shape(), spec)?;
    if out_shape.contains(&0) {
        return from_vec(&out_shape, Vec::new());
    }
    let lhs = lhs.as_standard_layout();
    let rhs = rhs.as_standard_layout();
    let (x, w) = (
        lhs.as_slice().unwrap_or_default(),
        rhs.as_slice().unwrap_or_default(),
    );
    let (ls, rs) = (strides_of(lhs.shape()), strides_of(rhs.shape()));
    let n = out_shape.len() - 2;
    let in_spatial = &lhs.shape()[2..];
    let window = &rhs.shape()[2..];
    let out_spatial = &out_shape[2..];
    let (kernel_in, kernel_out) = (rhs.shape()[1], rhs.shape()[0]);
    let per_group = kernel_out / spec.groups.max(1);
    let window_len: usize = window.iter().product();
    let mut data = Vec::with_capacity(out_shape.iter().product());
    let mut offsets = vec![None; window_len];
    for b in 0..out_shape[0] {
        for o in 0..kernel_out {
            let group = o / per_group.max(1);
            let mut pos = vec![0usize; n];
            loop {
                window_offsets(&pos, window, in_spatial, spec, &ls, &mut offsets);
                let mut acc = T::acc_zero();
                for (k, off) in offsets.iter().enumerate() {
                    let Some(off) = off else { continue };
                    for c in 0..kernel_in {
                        let xi = b * ls[0] + (group * kernel_in + c) * ls[1] + off;
                        let wi = o * rs[0] + c * rs[1] + k;
                        acc = T::acc_fma(acc, x[xi], w[wi]);
                    }
                }
                data.push(T::acc_finish(acc));
                if !next_index(&mut pos, out_spatial) {
                    break;
                }
            }
        }
    }
    if data.len() != out_shape.iter().product::<usize>() {
        return Err(OpError::Internal("conv output size".into()));
    }
    from_vec(&out_shape, data)
}

/// For the output position `pos`, the spatial offset into `lhs` of every
/// window position (row-major), or `None` where it reads padding or a hole
/// of the input dilation.
fn window_offsets(
    pos: &[usize],
    window: &[usize],
    in_spatial: &[usize],
    spec: &ConvSpec,
    lhs_strides: &[usize],
    offsets: &mut [Option<usize>],
) {
    let n = pos.len();
    let mut k = vec![0usize; n];
    if window.contains(&0) {
        return;
    }
    for slot in offsets.iter_mut() {
        let mut off = Some(0usize);
        for d in 0..n {
            let p = pos[d] as i128 * i128::from(spec.strides[d])
                + k[d] as i128 * i128::from(spec.rhs_dilation[d])
                - i128::from(spec.padding[d].0);
            let ld = i128::from(spec.lhs_dilation[d]);
            let q = p / ld;
            if p < 0 || p % ld != 0 || q >= in_spatial[d] as i128 {
                off = None;
                break;
            }
            off = off.map(|o| o + q as usize * lhs_strides[d + 2]);
        }
        *slot = off;
        next_index(&mut k, window);
    }
}
