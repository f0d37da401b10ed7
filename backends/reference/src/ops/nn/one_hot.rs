//! `keras.ops.one_hot`: `jax.nn.one_hot`, i.e. `x == iota` along the new
//! axis, cast to `dtype` (default `float32`); indices out of range (and
//! fractional float indices) give all zeros.

use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, Dimension, IxDyn};

use crate::args::{dtype, index, truthy, Args};
use crate::array::{with_dtype, Array};
use crate::axes::canonical_axis;
use crate::convert::to_array;
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{check_size, int_tuple_repr, OpError, OpResult, MAX_ELEMENTS};

/// `keras.ops.one_hot(x, num_classes, axis=-1, dtype=None, sparse=False)`.
pub fn one_hot(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "num_classes", "axis", "dtype", "sparse"], 2)?;
    let out_dtype = dtype(args.get(3))?.unwrap_or(DType::Float32);
    if truthy(args.value(4))? {
        return Err(OpError::Unsupported(
            "sparse one_hot (a BCOO result)".into(),
        ));
    }
    let x = to_array(args.value(0))?;
    let classes = index(args.value(1))?;
    if x.dtype() == DType::Bool {
        return Err(OpError::Type(
            "iota does not accept dtype bool. Accepted dtypes are subtypes of integer, \
             floating, complexfloating."
                .into(),
        ));
    }
    let axis = match args.get(2) {
        None => -1,
        Some(v) => index(v)?,
    };
    let axis = canonical_axis(axis, x.ndim() + 1)?;
    let mut shape = x.shape().to_vec();
    shape.insert(axis, 0);
    if classes < 0 {
        let mut iota = vec![1i64; x.ndim() + 1];
        iota[axis] = classes;
        return Err(OpError::Type(format!(
            "iota shape must have every element be nonnegative, got {}.",
            int_tuple_repr(iota)
        )));
    }
    if classes as u64 > MAX_ELEMENTS as u64 {
        return Err(OpError::Unsupported(format!(
            "one_hot with {classes} classes"
        )));
    }
    shape[axis] = classes as usize;
    check_size(&shape)?;
    let values = x.into_typed::<f32>();
    let hot = ArrayD::from_shape_fn(IxDyn(&shape), |idx| {
        let mut at = idx.slice().to_vec();
        let class = at.remove(axis);
        values[IxDyn(&at)] == class as f32
    });
    let out: Array = with_dtype!(out_dtype, T => T::wrap(hot.mapv(|b| T::from_scalar(kconform_api::tensor::Scalar::Bool(b)))));
    tensor(out)
}
