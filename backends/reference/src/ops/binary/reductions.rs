//! `argmax`, `argmin` and `count_nonzero` (`int32` results).

use kconform_api::{DType, OpCall, Value};

use super::lanes::lane_values;
use crate::args::{index, truthy, Args};
use crate::array::Array;
use crate::axes::{reduce_lanes, reduction_axes};
use crate::convert::{to_array, to_array_strict};
use crate::elementwise::tensor;
use crate::error::{OpError, OpResult};

/// `argmax`/`argmin` as Keras-on-JAX computes them: on CPU, float inputs are
/// widened to `float32` and `-0.0` (or a negative denormal, equal to zero
/// under DAZ) becomes `-tiny`, so it ranks below `+0.0`. NaN wins; ties go
/// to the first index.
fn arg_extreme(call: &OpCall, name: &str, max: bool) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis", "keepdims"], 1)?;
    let x = to_array(args.value(0))?;
    let keepdims = args.get(2).map(truthy).transpose()?.unwrap_or(false);
    let ndim = x.ndim();
    let fix_zero = x.dtype().is_float() && ndim > 0;
    let mut values = lane_values(if fix_zero { x.cast(DType::Float32) } else { x });
    if fix_zero {
        values.mapv_inplace(|v| {
            if v == 0.0 && v.is_sign_negative() {
                -f64::from(f32::MIN_POSITIVE)
            } else {
                v
            }
        });
    }
    let (values, axis) = match args.get(1) {
        None => {
            let n = values.len();
            let flat = values
                .into_shape_with_order(ndarray::IxDyn(&[n]))
                .map_err(|e| OpError::Internal(e.to_string()))?;
            (flat, 0)
        }
        Some(a) => {
            let i = index(a)?;
            let n = ndim as i64;
            if !(-n..n).contains(&i) {
                return Err(OpError::Index("tuple index out of range".into()));
            }
            (values, if i < 0 { i + n } else { i } as usize)
        }
    };
    if values.shape()[axis] == 0 {
        return Err(OpError::Value(format!(
            "attempt to get {name} of an empty sequence"
        )));
    }
    let better = |c: f64, b: f64| {
        if b.is_nan() {
            false
        } else if c.is_nan() {
            true
        } else if max {
            c > b
        } else {
            c < b
        }
    };
    let out = reduce_lanes(
        &values,
        &[axis],
        keepdims && args.get(1).is_some(),
        |lane| {
            let mut best = 0;
            for (i, &v) in lane.iter().enumerate() {
                if better(v, lane[best]) {
                    best = i;
                }
            }
            best as i32
        },
    )?;
    let out = if keepdims && args.get(1).is_none() {
        out.into_shape_with_order(ndarray::IxDyn(&vec![1; ndim]))
            .map_err(|e| OpError::Internal(e.to_string()))?
    } else {
        out
    };
    tensor(Array::I32(out))
}

/// `keras.ops.argmax`.
pub fn argmax(call: &OpCall) -> OpResult<Value> {
    arg_extreme(call, "argmax", true)
}

/// `keras.ops.argmin`.
pub fn argmin(call: &OpCall) -> OpResult<Value> {
    arg_extreme(call, "argmin", false)
}

/// `keras.ops.count_nonzero` (`jnp.count_nonzero`: lists refused; floats
/// compared with denormals as zero).
pub fn count_nonzero(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis"], 1)?;
    let x = to_array_strict(args.value(0), "count_nonzero")?;
    let axes = reduction_axes(args.get(1), x.ndim())?;
    let nonzero = lane_values(x).mapv(|v| v != 0.0);
    let out = reduce_lanes(&nonzero, &axes, false, |lane| {
        lane.iter().filter(|&&b| b).count() as i32
    })?;
    tensor(Array::I32(out))
}
