//! `keras.ops.moments`: `jnp.mean` and `jnp.var` over `axes`, computed in
//! `float32` (integers give `float32`; half floats are upcast, then clipped
//! to the `float16` range and cast back, so `bfloat16` saturates at 65504).

use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};
use ndarray::ArrayView1;

use super::conv_args::tensor_arg;
use crate::args::{truthy, Args};
use crate::array::{with_float_dtype, Array};
use crate::axes::reduce_lanes;
use crate::elem::Elem;
use crate::error::{OpError, OpResult};
use crate::stats::{lane_mean, lane_var, stat_axes};

/// The largest finite `float16`.
const F16_MAX: f32 = 65504.0;

/// Reduces `x` lane by lane with `f` and stores the results in `dtype`.
fn reduce(
    x: &ndarray::ArrayD<f32>,
    axes: &[usize],
    keepdims: bool,
    dtype: DType,
    f: fn(&ArrayView1<'_, f32>) -> f32,
) -> OpResult<Array> {
    let half = matches!(dtype, DType::Float16 | DType::Bfloat16);
    with_float_dtype!(dtype, T => Ok(T::wrap(reduce_lanes(x, axes, keepdims, |l| {
        let v = f(&l);
        let v = if half { v.clamp(-F16_MAX, F16_MAX) } else { v };
        T::from_scalar(Scalar::Float(f64::from(v)))
    })?)), _ => Err(OpError::Internal(format!("moments in {dtype}"))))
}

/// `keras.ops.moments(x, axes, keepdims=False, synchronized=False)`: the
/// tuple `(mean, variance)`.
pub fn moments(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axes", "keepdims", "synchronized"], 2)?;
    if truthy(args.value(3))? {
        return Err(OpError::NotImplemented(
            "Argument synchronized=True is not supported with JAX.".into(),
        ));
    }
    let x = tensor_arg(args.value(0), "dtype")?;
    let dtype = match x.dtype() {
        d @ (DType::Float16 | DType::Bfloat16) => d,
        _ => DType::Float32,
    };
    let axes = stat_axes(args.get(1), x.ndim())?;
    let keepdims = truthy(args.value(2))?;
    let values = x.into_typed::<f32>();
    let mean = reduce(&values, &axes, keepdims, dtype, lane_mean)?;
    let variance = reduce(&values, &axes, keepdims, dtype, lane_var)?;
    Ok(Value::Tuple(vec![
        Value::Tensor(mean.into_tensor()?),
        Value::Tensor(variance.into_tensor()?),
    ]))
}
