//! `keras.random.shuffle` on Keras-torch (`shuffle` in
//! `keras/src/backend/torch/random.py`).

use kconform_api::{BackendError, OpCall, Value};
use tch::{Kind, Tensor};

use super::params::py_slice_index;
use super::seed::{seed_of, seeded};
use crate::args::{bind, py_int};
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};

/// `keras.random.shuffle(x, axis=0, seed=None)`: a permutation per leading
/// index from `torch.rand(x.shape[:axis + 1]).argsort(axis)`, unsqueezed
/// `x.ndim - axis - 1` times, repeated by `(1,) * (axis + 1) +
/// x.shape[axis + 1:]` and gathered along `axis`.
///
/// Keras never normalizes `axis`, and these Python expressions reproduce its
/// quirks: `axis=-1` of a 2-D array draws from `x.shape[:0]`, a single value,
/// so every row becomes copies of its first element; other negative axes
/// fail in `argsort` or `repeat`, and an axis past the end in `argsort`
/// (`IndexError`, not NumPy's `AxisError`).
pub fn shuffle(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "axis", "seed"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let axis = match a.opt(1) {
        None => 0,
        Some(v) => py_int(v)
            .ok_or_else(|| BackendError::Unsupported(format!("`axis` given as a {}", v.kind())))?,
    };
    let dims = x.size();
    let ndim = dims.len() as i64;
    let seed = seed_of(a.get(2))?;
    let lead = &dims[..py_slice_index(axis + 1, dims.len())];
    let mut perm = seeded(seed, || {
        Tensor::f_rand(lead, (Kind::Float, ctx.device)).py()
    })?
    .f_argsort(axis, false)
    .py()?;
    for _ in 0..(ndim - axis - 1).max(0) {
        perm = perm.f_unsqueeze(-1).py()?;
    }
    let mut repeats = vec![1i64; (axis + 1).max(0) as usize];
    repeats.extend_from_slice(&dims[py_slice_index(axis + 1, dims.len())..]);
    if repeats.is_empty() {
        return Err(BackendError::type_error(
            "repeat() missing 1 required positional arguments: \"repeats\"",
        ));
    }
    let perm = perm.f_repeat(&repeats[..]).py()?;
    output(&x.f_gather(axis, &perm, false).py()?)
}
