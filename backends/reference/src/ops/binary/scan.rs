//! `cumsum` and `cumprod` (`jnp`'s cumulative reductions: XLA's
//! `reduce_window`, accumulating in order from the identity, each step
//! rounded into the computation dtype).

use kconform_api::promote::downcast_64;
use kconform_api::{DType, OpCall, Value};
use ndarray::Axis;

use super::lanes::lane_values;
use crate::args::{dtype, index, Args};
use crate::array::{with_dtype, Array};
use crate::axes::canonical_axis;
use crate::convert::to_array;
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{OpError, OpResult};

/// A cumulative reduction: flattened without an axis; `bool` accumulates in
/// `int32`, and an explicit `dtype="bool"` accumulates `x != 0` in `int32`
/// and converts back.
fn cumulative(call: &OpCall, product: bool) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis", "dtype"], 1)?;
    let requested = dtype(args.get(2))?;
    let mut x = to_array(args.value(0))?;
    let axis = match args.get(1) {
        None => {
            let n = x.len();
            x = x.reshaped(&[n])?;
            0
        }
        Some(a) => canonical_axis(index(a)?, x.ndim())?,
    };
    let (result, compute) = match requested.map(downcast_64) {
        None if x.dtype() == DType::Bool => (DType::Int32, DType::Int32),
        None => (x.dtype(), x.dtype()),
        Some(DType::Bool) => {
            if x.dtype() != DType::Bool {
                x = Array::Bool(lane_values(x).mapv(|v| v != 0.0));
            }
            (DType::Bool, DType::Int32)
        }
        Some(d) => (d, d),
    };
    let x = x.cast(compute);
    let out = with_dtype!(compute, T => {
        let mut v = x.into_typed::<T>();
        if v.ndim() == 0 {
            return Err(OpError::Internal("0-d cumulative reduction".into()));
        }
        for mut lane in v.lanes_mut(Axis(axis)) {
            let mut acc = if product { T::one() } else { T::zero() };
            for e in lane.iter_mut() {
                acc = if product { acc.mul(*e) } else { acc.add(*e) };
                *e = acc;
            }
        }
        T::wrap(v)
    });
    tensor(out.cast(result))
}

/// `keras.ops.cumsum`.
pub fn cumsum(call: &OpCall) -> OpResult<Value> {
    cumulative(call, false)
}

/// `keras.ops.cumprod`.
pub fn cumprod(call: &OpCall) -> OpResult<Value> {
    cumulative(call, true)
}
