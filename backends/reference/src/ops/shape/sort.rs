//! `sort` and `argsort`: JAX's stable ascending sort.
//!
//! XLA compares canonicalized keys: `-0.0` equals `0.0` (and so does a
//! flushed denormal), every NaN equals every other NaN and sorts last. Ties
//! keep their input order, and sorted values are the inputs themselves
//! (denormals and signs of zeros survive).

use std::cmp::Ordering;

use kconform_api::{OpCall, Value};
use ndarray::{ArrayD, Axis, Zip};

use crate::args::{index, Args};
use crate::array::{with_array, Array};
use crate::axes::canonical_axis;
use crate::convert::to_array;
use crate::elem::{flush, Elem};
use crate::elementwise::tensor;
use crate::error::OpResult;

/// The comparison key of one element (`None` for NaN, which sorts last).
fn key<T: Elem>(v: T) -> Option<f64> {
    let x = v.scalar().as_f64();
    if x.is_nan() {
        None
    } else if T::DTYPE.is_float() {
        Some(f64::from(flush(x as f32)))
    } else {
        Some(x)
    }
}

fn compare(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The stable sorting permutation of one lane.
fn order<'a, T: Elem>(lane: impl Iterator<Item = &'a T>) -> Vec<usize> {
    let keys: Vec<Option<f64>> = lane.map(|&v| key(v)).collect();
    let mut idx: Vec<usize> = (0..keys.len()).collect();
    idx.sort_by(|&i, &j| compare(keys[i], keys[j]));
    idx
}

/// The input of a sort along `axis` (`None`: the flattened tensor) and the
/// canonical axis.
fn sort_input(x: Array, axis: Option<&Value>) -> OpResult<(Array, usize)> {
    match axis {
        None => Ok((x.ravel()?, 0)),
        Some(v) => {
            let a = canonical_axis(index(v)?, x.ndim())?;
            Ok((x, a))
        }
    }
}

/// The `axis` argument with its default of `-1` (an explicit `None` kept).
fn axis_arg(args: &Args<'_>) -> Option<Value> {
    match args.given(1) {
        None => Some(Value::Int(-1)),
        Some(Value::None) => None,
        Some(v) => Some(v.clone()),
    }
}

/// `keras.ops.sort(x, axis=-1)`.
pub fn sort(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis"], 1)?;
    let axis = axis_arg(&args);
    let (x, axis) = sort_input(to_array(args.value(0))?, axis.as_ref())?;
    tensor(with_array!(x, a => {
        let mut a = a;
        for mut lane in a.lanes_mut(Axis(axis)) {
            let values: Vec<_> = lane.iter().copied().collect();
            let perm = order(values.iter());
            for (slot, &i) in lane.iter_mut().zip(&perm) {
                *slot = values[i];
            }
        }
        Elem::wrap(a)
    }))
}

/// `keras.ops.argsort(x, axis=-1)`: `int32` indices; a 0-d input gives `[0]`.
pub fn argsort(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis"], 1)?;
    let x = to_array(args.value(0))?;
    let axis = if x.ndim() == 0 { None } else { axis_arg(&args) };
    let (x, axis) = sort_input(x, axis.as_ref())?;
    let out: ArrayD<i32> = with_array!(x, a => {
        let mut out = ArrayD::<i32>::zeros(a.raw_dim());
        Zip::from(a.lanes(Axis(axis)))
            .and(out.lanes_mut(Axis(axis)))
            .for_each(|lane, mut dst| {
                for (slot, i) in dst.iter_mut().zip(order(lane.iter())) {
                    *slot = i as i32;
                }
            });
        out
    });
    tensor(Array::I32(out))
}
