//! `keras.ops.normalize` and `keras.ops.batch_normalization`, as the JAX
//! backend of Keras 3.15.1 writes them in `jnp` (see [`super::jnp`]).

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};

use super::conv_args::tensor_arg;
use super::jnp::{Jv, EPSILON};
use crate::args::{float_arg, index, py_repr, Args};
use crate::axes::reduction_axes;
use crate::elem::Elem;
use crate::elementwise::{float_result_dtype, tensor};
use crate::error::{shape_repr, OpError, OpResult};

/// `lax.rsqrt` in `f32` (one rounding of the exact value).
fn rsqrt(x: f32) -> f32 {
    (1.0 / f64::from(x).sqrt()) as f32
}

/// `jnp.linalg.norm(x, ord, axis, keepdims=True)` for `ord >= 1` (not 2):
/// a vector norm over one axis, or the matrix 1-norm (largest column sum)
/// over two.
fn norm(x: &Jv, order: i64, axes: &[usize]) -> OpResult<Jv> {
    let abs = x.float_fn(f32::abs)?;
    match (axes, order) {
        ([_], 1) => abs.sum_keepdims(axes),
        ([_], k) => {
            let k = k as f32;
            let powered = abs.float_fn(|v| f64::from(v).powf(f64::from(k)) as f32)?;
            let inv = 1.0 / k;
            powered
                .sum_keepdims(axes)?
                .float_fn(|v| f64::from(v).powf(f64::from(inv)) as f32)
        }
        ([rows, cols], 1) => abs.sum_keepdims(&[*rows])?.max_keepdims(&[*cols]),
        ([_, _], k) => Err(OpError::Value(format!(
            "Invalid order '{k}' for matrix norm."
        ))),
        _ => Err(OpError::Value(
            "Improper number of dimensions to norm.".into(),
        )),
    }
}

/// `keras.ops.normalize`: `x * min(rsqrt(sum(x²)), 1 / epsilon)` for
/// `order=2`, else `x / max(norm(x, order), epsilon)`; a scalar becomes a
/// vector of one element.
pub fn normalize(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "axis", "order", "epsilon"], 1)?;
    let order = match args.given(2) {
        None => 2,
        Some(Value::Int(i)) if *i >= 1 => *i,
        Some(Value::Bool(true)) => 1,
        Some(other) => {
            return Err(OpError::Value(format!(
                "Argument `order` must be an int >= 1. Received: order={}",
                py_repr(other)
            )))
        }
    };
    let mut x = Jv::of(args.value(0))?;
    if x.shape().is_empty() {
        x.v = x.v.insert_axis(ndarray::Axis(0));
    }
    let epsilon = float_arg(args.get(3), EPSILON)?;
    let axis = match args.given(1) {
        None => Some(&Value::Int(-1)),
        Some(Value::None) => None,
        Some(v) => Some(v),
    };
    let axes = reduction_axes(axis, x.shape().len())?;
    let out = if order == 2 {
        // `keras.ops.square` computes bools as `int32`.
        let mut base = x.clone();
        if base.ty == Operand::Strong(DType::Bool) {
            base.ty = Operand::Strong(DType::Int32);
        }
        let square_sum = base.mul(&base)?.sum_keepdims(&axes)?;
        let dtype = square_sum.dtype()?;
        if !dtype.is_float() {
            return Err(OpError::Type(format!(
                "rsqrt does not accept dtype {dtype}. Accepted dtypes are subtypes of floating, \
                 complexfloating."
            )));
        }
        let inv = square_sum.float_fn(rsqrt)?;
        let inv = inv.binary(&Jv::weak(1.0 / epsilon), "min", f32::xla_min)?;
        x.mul(&inv)?
    } else {
        let as_float = Jv {
            v: x.v.clone(),
            ty: Operand::Strong(match x.dtype()? {
                DType::Int64 => DType::Float32,
                d => float_result_dtype(d)?,
            }),
        };
        let n = norm(&as_float, order, &axes)?;
        let denom = n.binary(&Jv::weak(epsilon), "max", f32::xla_max)?;
        x.div(&denom)?
    };
    tensor(out.into_array()?)
}

/// `x.shape[axis] = n` on a Python list of ones: `axis` must index it.
fn broadcast_shape(ndim: usize, axis: i64, n: usize) -> OpResult<Vec<usize>> {
    let i = if axis < 0 { axis + ndim as i64 } else { axis };
    if !(0..ndim as i64).contains(&i) {
        return Err(OpError::Index("list assignment index out of range".into()));
    }
    let mut shape = vec![1; ndim];
    shape[i as usize] = n;
    Ok(shape)
}

/// `jnp.reshape(v, shape)` of a batch-normalization parameter.
fn reshaped(v: Jv, shape: &[usize]) -> OpResult<Jv> {
    let size: usize = shape.iter().product();
    if v.v.len() != size {
        return Err(OpError::Type(format!(
            "cannot reshape array of shape {} (size {}) into shape {} (size {size})",
            shape_repr(v.shape()),
            v.v.len(),
            shape_repr(shape)
        )));
    }
    let data: Vec<f32> = v.v.iter().copied().collect();
    Ok(Jv {
        v: crate::array::from_vec(shape, data)?,
        ty: v.ty,
    })
}

/// `variance + epsilon` on the NumPy array `jnp.reshape` returns for a NumPy
/// input: `float16` and `float32` stay, `bfloat16` (ml_dtypes) gives
/// `float32`, anything else `float64`, which JAX then narrows to `float32`.
fn numpy_add_epsilon(variance: &Jv, epsilon: f64) -> OpResult<Jv> {
    let dtype = variance.dtype()?;
    let (out, f): (DType, fn(f32, f64) -> f32) = match dtype {
        DType::Float16 => (DType::Float16, |v, e| {
            let e = f32::from(half::f16::from_f64(e));
            f32::from(half::f16::from_f32(v + e))
        }),
        DType::Float32 | DType::Bfloat16 => (DType::Float32, |v, e| v + e as f32),
        _ => (DType::Float32, |v, e| (f64::from(v) + e) as f32),
    };
    Ok(Jv {
        v: variance.v.mapv(|v| f(v, epsilon)),
        ty: Operand::Strong(out),
    })
}

/// A batch-normalization parameter: read as `mean.shape` / `jnp.reshape`
/// read it (lists and Python scalars have no `shape`).
fn parameter(v: &Value) -> OpResult<Jv> {
    let a = tensor_arg(v, "shape")?;
    Jv::of(&Value::Tensor(a.into_tensor()?))
}

/// `keras.ops.batch_normalization`: `x * inv + (offset - mean * inv)` with
/// `inv = rsqrt(variance + epsilon) * scale`, parameters reshaped to broadcast
/// along `axis`.
pub fn batch_normalization(call: &OpCall) -> OpResult<Value> {
    let params = [
        "x", "mean", "variance", "axis", "offset", "scale", "epsilon",
    ];
    let args = Args::bind(call, &params, 4)?;
    let x = parameter(args.value(0))?;
    let mean = parameter(args.value(1))?;
    let n = *mean
        .shape()
        .first()
        .ok_or_else(|| OpError::Index("tuple index out of range".into()))?;
    let shape = broadcast_shape(x.shape().len(), index(args.value(3))?, n)?;
    let mean = reshaped(mean, &shape)?;
    let variance = reshaped(parameter(args.value(2))?, &shape)?;
    let epsilon = float_arg(args.get(6), 1e-3)?;
    let mut inv = numpy_add_epsilon(&variance, epsilon)?.float_fn(rsqrt)?;
    if let Some(scale) = args.get(5) {
        inv = inv.mul(&reshaped(parameter(scale)?, &shape)?)?;
    }
    if mean.ty == Operand::Strong(DType::Bool) {
        return Err(OpError::Type(
            "The numpy boolean negative, the `-` operator, is not supported, use the `~` \
             operator or the logical_not function instead."
                .into(),
        ));
    }
    let mut res = mean.neg()?.mul(&inv)?;
    if let Some(offset) = args.get(4) {
        res = res.add(&reshaped(parameter(offset)?, &shape)?)?;
    }
    tensor(x.mul(&inv)?.add(&res)?.into_array()?)
}
