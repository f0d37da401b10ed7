//! `keras.ops.binary_crossentropy`, `categorical_crossentropy` and
//! `sparse_categorical_crossentropy`, as the JAX backend of Keras 3.15.1
//! writes them in `jnp` (see [`super::jnp`]): probabilities are clipped to
//! `[epsilon, 1 - epsilon]` (`epsilon = 1e-7`, rounded into the dtype), logits
//! go through `log_sigmoid` / `log_softmax`.

use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, Dimension, IxDyn};

use super::jnp::{Jv, EPSILON};
use crate::args::{index, truthy, Args};
use crate::axes::canonical_axis;
use crate::convert::to_array;
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{shape_repr, OpError, OpResult};
use crate::random::xla_math;

/// XLA:CPU's `f32` natural log.
fn log(x: f32) -> f32 {
    xla_math::log(x)
}

/// `exp` in `f32`.
fn exp(x: f32) -> f32 {
    f64::from(x).exp() as f32
}

/// `jax.nn.log_sigmoid(x)`: `-logaddexp(-x, 0)`, i.e. `-(max(y, 0) +
/// log1p(exp(-|y|)))` with `y = -x` (bool raises at the negation).
fn log_sigmoid(x: &Jv) -> OpResult<Jv> {
    let y = x.neg()?.float_fn(|v| v)?;
    let tail = y.float_fn(|v| exp(-v.abs()))?.float_fn(xla_math::log1p)?;
    let amax = y.float_fn(|v| f32::xla_max(v, 0.0))?;
    amax.add(&tail)?.neg()
}

/// `jax.nn.log_softmax(x, axis)`: `shifted - log(sum(exp(shifted)))` with
/// `shifted = x - max(x)` (bool raises at the subtraction).
fn log_softmax(x: &Jv, axis: usize) -> OpResult<Jv> {
    let shifted = x.sub(&x.max_keepdims(&[axis])?)?;
    let lse = shifted
        .float_fn(exp)?
        .sum_keepdims(&[axis])?
        .float_fn(log)?;
    shifted.sub(&lse)
}

/// The log-probabilities of `output` along `axis`: `log_softmax` of logits,
/// or `log(clip(output / sum(output), eps, 1 - eps))` of probabilities.
fn log_prob(output: &Jv, axis: usize, from_logits: bool) -> OpResult<Jv> {
    if from_logits {
        return log_softmax(output, axis);
    }
    let normalized = output.div(&output.sum_keepdims(&[axis])?)?;
    normalized.clip(EPSILON, 1.0 - EPSILON)?.float_fn(log)
}

/// Binds `(target, output, from_logits[, axis])`.
fn bind<'a>(call: &'a OpCall, with_axis: bool) -> OpResult<(Args<'a>, bool)> {
    let params: &[&str] = if with_axis {
        &["target", "output", "from_logits", "axis"]
    } else {
        &["target", "output", "from_logits"]
    };
    let args = Args::bind(call, params, 2)?;
    let from_logits = truthy(args.value(2))?;
    Ok((args, from_logits))
}

/// The same-shape check of the binary and categorical losses.
fn same_shape(t: &Jv, o: &Jv) -> OpResult<()> {
    if t.shape() != o.shape() {
        return Err(OpError::Value(format!(
            "Arguments `target` and `output` must have the same shape. Received: \
             target.shape={}, output.shape={}",
            shape_repr(t.shape()),
            shape_repr(o.shape())
        )));
    }
    Ok(())
}

/// `keras.ops.binary_crossentropy`: elementwise, no reduction.
pub fn binary_crossentropy(call: &OpCall) -> OpResult<Value> {
    let (args, from_logits) = bind(call, false)?;
    let t = Jv::of(args.value(0))?;
    let o = Jv::of(args.value(1))?;
    same_shape(&t, &o)?;
    let one = Jv::weak(1.0);
    let out = if from_logits {
        let log_logits = log_sigmoid(&o)?;
        let log_neg_logits = log_sigmoid(&o.neg()?)?;
        let positive = Jv::weak(-1.0).mul(&t)?.mul(&log_logits)?;
        positive.sub(&one.sub(&t)?.mul(&log_neg_logits)?)?
    } else {
        let o = o.clip(EPSILON, 1.0 - EPSILON)?;
        let bce = t.mul(&o.float_fn(log)?)?;
        let rest = one.sub(&t)?.mul(&one.sub(&o)?.float_fn(log)?)?;
        bce.add(&rest)?.neg()?
    };
    tensor(out.into_array()?)
}

/// The `axis` argument as given (default `-1`).
fn raw_axis(v: Option<&Value>) -> OpResult<i64> {
    Ok(v.map(index).transpose()?.unwrap_or(-1))
}

/// `keras.ops.categorical_crossentropy`: reduces `axis` (default `-1`).
pub fn categorical_crossentropy(call: &OpCall) -> OpResult<Value> {
    let (args, from_logits) = bind(call, true)?;
    let t = Jv::of(args.value(0))?;
    let o = Jv::of(args.value(1))?;
    same_shape(&t, &o)?;
    if t.shape().is_empty() {
        return Err(OpError::Value(format!(
            "Arguments `target` and `output` must be at least rank 1. Received: \
             target.shape={}, output.shape={}",
            shape_repr(t.shape()),
            shape_repr(o.shape())
        )));
    }
    let axis = canonical_axis(raw_axis(args.get(3))?, o.shape().len())?;
    let lp = log_prob(&o, axis, from_logits)?;
    let loss = t.mul(&lp)?.sum_keepdims(&[axis])?.squeeze(axis).neg()?;
    tensor(loss.into_array()?)
}

/// `jnp.array(target, dtype="int32")`: floats truncate, and NaN or values
/// out of range become `INT32_MIN` (NumPy's cast on x86).
fn int32_target(v: &Value) -> OpResult<ArrayD<i32>> {
    let a = to_array(v)?;
    if !a.dtype().is_float() {
        return Ok(a.cast(DType::Int32).into_typed::<i32>());
    }
    Ok(a.into_typed::<f32>().mapv(|x| {
        let in_range = (-2_147_483_648.0..2_147_483_648.0).contains(&x);
        if in_range {
            x.trunc() as i32
        } else {
            i32::MIN
        }
    }))
}

/// `jax.nn.one_hot(target, classes, axis=axis)` as `float32` (indices out of
/// `[0, classes)` give all zeros).
fn one_hot_f32(target: &ArrayD<i32>, classes: usize, axis: usize) -> OpResult<Jv> {
    let mut shape = target.shape().to_vec();
    shape.insert(axis, classes);
    let v = ArrayD::from_shape_fn(IxDyn(&shape), |idx| {
        let mut t = idx.slice().to_vec();
        let class = t.remove(axis);
        f32::from(u8::from(target[IxDyn(&t)] == class as i32))
    });
    Ok(Jv {
        v,
        ty: kconform_api::promote::Operand::Strong(DType::Float32),
    })
}

/// `keras.ops.sparse_categorical_crossentropy`: integer class targets
/// (shape of `output` without its last dimension, or with a trailing 1).
pub fn sparse_categorical_crossentropy(call: &OpCall) -> OpResult<Value> {
    let (args, from_logits) = bind(call, true)?;
    let mut target = int32_target(args.value(0))?;
    let o = Jv::of(args.value(1))?;
    let rank = o.shape().len();
    if target.ndim() == rank {
        match target.shape().last() {
            None => return Err(OpError::Index("tuple index out of range".into())),
            Some(1) => target = target.index_axis_move(ndarray::Axis(rank - 1), 0),
            Some(_) => {}
        }
    }
    if rank < 1 {
        return Err(OpError::Value(format!(
            "Argument `output` must be at least rank 1. Received: output.shape={}",
            shape_repr(o.shape())
        )));
    }
    if target.shape() != &o.shape()[..rank - 1] {
        return Err(OpError::Value(format!(
            "Arguments `target` and `output` must have the same shape up until the last \
             dimension: target.shape={}, output.shape={}",
            shape_repr(target.shape()),
            shape_repr(o.shape())
        )));
    }
    let raw = raw_axis(args.get(3))?;
    let axis = canonical_axis(raw, rank)?;
    let lp = log_prob(&o, axis, from_logits)?;
    let oh = one_hot_f32(
        &target,
        o.shape()[axis],
        canonical_axis(raw, target.ndim() + 1)?,
    )?;
    let product = oh.mul(&lp)?;
    let sum_axis = canonical_axis(raw, product.shape().len())?;
    let loss = product.sum_keepdims(&[sum_axis])?.squeeze(sum_axis).neg()?;
    tensor(loss.into_array()?)
}
