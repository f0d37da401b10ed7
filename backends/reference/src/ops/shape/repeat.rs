//! Repeating and rotating elements: `tile`, `repeat`, `roll`.

use kconform_api::{OpCall, Value};

use super::{gathered, index_tuple};
use crate::args::{index, py_type_name, Args};
use crate::array::Array;
use crate::axes::canonical_axis;
use crate::convert::{to_array, to_array_strict};
use crate::elementwise::tensor;
use crate::error::{check_size, int_tuple_repr, OpError, OpResult};

/// `x` with each axis `i` tiled `reps[i]` times (`reps.len() == x.ndim()`).
fn tiled(x: Array, reps: &[usize]) -> OpResult<Array> {
    let shape: Vec<usize> = x
        .shape()
        .iter()
        .zip(reps)
        .map(|(&d, &r)| d.saturating_mul(r))
        .collect();
    super::check_dims(&shape)?;
    let mut out = x;
    for (axis, &r) in reps.iter().enumerate() {
        let n = out.shape()[axis];
        if r != 1 {
            let picks: Vec<usize> = (0..n * r).map(|i| i % n.max(1)).collect();
            out = gathered(&out, axis, &picks);
        }
    }
    Ok(out)
}

/// `keras.ops.tile(x, repeats)` (`jnp.tile`, which refuses a list `x`).
pub fn tile(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "repeats"], 2)?;
    let x = to_array_strict(args.value(0), "tile")?;
    let reps: Vec<i64> = match args.value(1) {
        v @ Value::Tensor(t) if t.rank() == 1 => to_array(v)?
            .scalars()
            .into_iter()
            .map(|s| s.as_f64() as i64)
            .collect(),
        v => index_tuple(v)?,
    };
    if let Some(&r) = reps.iter().find(|&&r| r < 0) {
        // JAX fails while lowering (an `MLIRError`), which has no Python
        // exception type of its own here.
        return Err(OpError::Unsupported(format!(
            "tile with a negative repeat ({r})"
        )));
    }
    let mut full: Vec<usize> = vec![1; x.ndim().saturating_sub(reps.len())];
    full.extend(reps.iter().map(|&r| r as usize));
    let mut shape = vec![1; full.len() - x.ndim()];
    shape.extend_from_slice(x.shape());
    tensor(tiled(x.reshaped(&shape)?, &full)?)
}

/// Element indices of `repeat` along an axis of length `n`: index `i` appears
/// `counts[i]` times.
/// Refuses a result too large to build before building it.
fn repeat_picks(counts: &[usize]) -> OpResult<Vec<usize>> {
    let total = counts.iter().fold(0usize, |acc, &c| acc.saturating_add(c));
    check_size(&[total])?;
    Ok(counts
        .iter()
        .enumerate()
        .flat_map(|(i, &c)| std::iter::repeat_n(i, c))
        .collect())
}

/// `keras.ops.repeat(x, repeats, axis=None)`: `repeats` is an int or an
/// integer tensor (`jnp.repeat` refuses Python lists).
pub fn repeat(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "repeats", "axis"], 2)?;
    let mut x = to_array(args.value(0))?;
    let reps_value = args.value(1);
    if matches!(reps_value, Value::List(_) | Value::Tuple(_)) {
        return Err(OpError::Type(format!(
            "repeat requires ndarray or scalar arguments, got <class '{}'> at position 1.",
            py_type_name(reps_value)
        )));
    }
    let axis = match args.get(2) {
        None => {
            x = x.ravel()?;
            0
        }
        Some(v) => index(v)?,
    };
    let counts: Vec<i64> = match reps_value {
        Value::Float(_) => {
            let mut types = vec!["<class 'int'>"; x.ndim() + 1];
            let at = canonical_axis(axis, x.ndim()).map_or(0, |a| a + 1);
            types[at] = "<class 'float'>";
            return Err(OpError::Type(format!(
                "broadcast_in_dim shape must have every element be an integer type, got ({}).",
                types.join(", ")
            )));
        }
        v @ Value::Tensor(t) if t.rank() > 0 => to_array(v)?
            .scalars()
            .into_iter()
            .map(|s| s.as_f64() as i64)
            .collect(),
        v => {
            let r = index(v)?;
            if x.ndim() > 0 {
                let a = canonical_axis(axis, x.ndim())?;
                if r < 0 {
                    let mut aux: Vec<i64> = x.shape().iter().map(|&d| d as i64).collect();
                    aux.insert(a + 1, r);
                    return Err(OpError::Type(format!(
                        "broadcast_in_dim shape must have every element be nonnegative, got {}.",
                        int_tuple_repr(aux)
                    )));
                }
                let counts = vec![r as usize; x.shape()[a]];
                return tensor(gathered(&x, a, &repeat_picks(&counts)?));
            }
            vec![r]
        }
    };
    if x.ndim() == 0 {
        if counts.len() != 1 {
            return Err(OpError::Value(
                "`repeat` with a scalar parameter `a` is only implemented for scalar values of \
                 the parameter `repeats`."
                    .into(),
            ));
        }
        let n = usize::try_from(counts[0]).unwrap_or(0);
        return tensor(gathered(&x.reshaped(&[1])?, 0, &repeat_picks(&[n])?));
    }
    let n = x.shape()[super::tuple_axis(x.shape(), axis)?];
    let counts: Vec<usize> = match counts.len() {
        1 => vec![counts[0].max(0) as usize; n],
        len if len == n => counts.iter().map(|&c| c.max(0) as usize).collect(),
        len => {
            return Err(OpError::Value(format!(
                "operands could not be broadcast together with remapped shapes \
                 [original->remapped]: ({len},)  and requested shape ({n},)"
            )))
        }
    };
    let a = canonical_axis(axis, x.ndim())?;
    tensor(gathered(&x, a, &repeat_picks(&counts)?))
}

/// `keras.ops.roll(x, shift, axis=None)` (`jnp.roll`, which refuses a list
/// `x`); `axis=None` rolls the flattened tensor.
pub fn roll(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "shift", "axis"], 2)?;
    let x = to_array_strict(args.value(0), "roll")?;
    let shape = x.shape().to_vec();
    let (mut work, axes) = match args.get(2) {
        None => (x.ravel()?, vec![0]),
        Some(v) => {
            let axes = index_tuple(v)?
                .into_iter()
                .map(|a| canonical_axis(a, shape.len()))
                .collect::<OpResult<Vec<_>>>()?;
            (x, axes)
        }
    };
    let shifts: Vec<i64> = match args.value(1) {
        Value::Float(f) => vec![*f as i64],
        v => index_tuple(v)?,
    };
    let pairs: Vec<(usize, i64)> = match (axes.len(), shifts.len()) {
        (a, s) if a == s => axes.into_iter().zip(shifts).collect(),
        (1, _) => shifts.into_iter().map(|s| (axes[0], s)).collect(),
        (_, 1) => axes.into_iter().map(|a| (a, shifts[0])).collect(),
        (a, s) => {
            return Err(OpError::Value(format!(
                "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is \
                 between arg 0 with shape ({a},) and arg 1 with shape ({s},)."
            )))
        }
    };
    for (axis, s) in pairs {
        let n = work.shape()[axis];
        if n == 0 {
            continue;
        }
        // `-s % n` in Python: the start of the rotated sequence.
        let start = (n - s.rem_euclid(n as i64) as usize) % n;
        let picks: Vec<usize> = (start..n).chain(0..start).collect();
        work = gathered(&work, axis, &picks);
    }
    tensor(work.reshaped(&shape)?)
}
