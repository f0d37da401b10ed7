//! A small model of eager `jnp` arithmetic, for ops that Keras writes as a
//! sequence of `jnp` calls (the losses, `normalize`, `batch_normalization`):
//! every intermediate is a [`Jv`], its values held in `f32` and tagged with
//! the JAX type (dtype and weakness) that `jnp`'s promotion gives it. Each operation promotes like
//! `jnp`, computes in `f32` and rounds into its result dtype, as op-by-op
//! dispatch on XLA:CPU does (denormals flushed).
//!
//! Values are exact in `f32` for every float dtype; integers are exact up to
//! 2^24, which is all these ops ever do integer arithmetic on.

use kconform_api::promote::Operand;
use kconform_api::tensor::Scalar;
use kconform_api::{DType, Value};
use ndarray::{ArrayD, Axis, IxDyn};

use crate::array::{with_dtype, Array};
use crate::axes::reduce_lanes;
use crate::binary::{promote, promote_operand};
use crate::broadcast::{broadcast_or_raise, zip_map};
use crate::convert::convert;
use crate::elem::{flush, Elem};
use crate::error::{OpError, OpResult};

/// `keras.backend.epsilon()`.
pub const EPSILON: f64 = 1e-7;

/// A `jnp` array: `f32` values and their JAX type.
#[derive(Clone, Debug)]
pub struct Jv {
    /// The values (already rounded into the dtype).
    pub v: ArrayD<f32>,
    /// The dtype, strong or weak.
    pub ty: Operand,
}

/// `x` rounded into `dtype` and back, as storing a result of that dtype
/// does (integers wrap, as integer arithmetic does).
pub fn round_into(dtype: DType, x: f32) -> f32 {
    let s = if dtype.is_float() || !x.is_finite() {
        Scalar::Float(f64::from(flush(x)))
    } else {
        Scalar::Int(x as i128)
    };
    with_dtype!(dtype, T => T::from_scalar(s).scalar().as_f64() as f32)
}

impl Jv {
    /// `jnp.array(v)`: a tensor, list or Python scalar (scalars stay weak).
    pub fn of(v: &Value) -> OpResult<Jv> {
        let c = convert(v)?;
        Ok(Jv {
            v: c.array.into_typed::<f32>(),
            ty: c.operand,
        })
    }

    /// A Python float (weak).
    pub fn weak(x: f64) -> Jv {
        Jv {
            v: ArrayD::from_elem(IxDyn(&[]), x as f32),
            ty: Operand::WeakFloat,
        }
    }

    /// The dtype (`float32` for a weak float).
    pub fn dtype(&self) -> OpResult<DType> {
        promote(&[self.ty])
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        self.v.shape()
    }

    /// The values as an [`Array`] of the dtype.
    pub fn into_array(self) -> OpResult<Array> {
        let dtype = self.dtype()?;
        Ok(with_dtype!(dtype, T => T::wrap(
            self.v.mapv(|x| T::from_scalar(Scalar::Float(f64::from(x))))
        )))
    }

    /// The same values as type `ty` (values rounded into it).
    fn retyped(v: ArrayD<f32>, ty: Operand) -> OpResult<Jv> {
        let dtype = promote(&[ty])?;
        Ok(Jv {
            v: v.mapv(|x| round_into(dtype, x)),
            ty,
        })
    }

    /// A broadcasting binary `jnp` op named `prim` in JAX's errors.
    pub fn binary(&self, o: &Jv, prim: &str, f: impl Fn(f32, f32) -> f32) -> OpResult<Jv> {
        let ty = promote_operand(&[self.ty, o.ty])?;
        if prim == "sub" && promote(&[ty])? == DType::Bool {
            return Err(OpError::Type(
                "sub does not accept dtype bool at position 0. Accepted dtypes at position 0 \
                 are subtypes of integer, floating, complexfloating."
                    .into(),
            ));
        }
        let shape = broadcast_or_raise(prim, self.shape(), o.shape())?;
        let v = zip_map(&self.v, &o.v, &shape, |a, b| f(flush(a), flush(b)))?;
        Jv::retyped(v, ty)
    }

    /// `self + o`.
    pub fn add(&self, o: &Jv) -> OpResult<Jv> {
        self.binary(o, "add", |a, b| a + b)
    }

    /// `self - o`.
    pub fn sub(&self, o: &Jv) -> OpResult<Jv> {
        self.binary(o, "sub", |a, b| a - b)
    }

    /// `self * o` (`and` on bools).
    pub fn mul(&self, o: &Jv) -> OpResult<Jv> {
        self.binary(o, "mul", |a, b| a * b)
    }

    /// `self / o` (true division: integers give `float32`). A broadcast
    /// divisor becomes a multiplication by its reciprocal, as XLA's
    /// simplifier rewrites it (see [`crate::binary::divide`]).
    pub fn div(&self, o: &Jv) -> OpResult<Jv> {
        let promoted = promote_operand(&[self.ty, o.ty])?;
        let ty = if promote(&[promoted])?.is_float() {
            promoted
        } else {
            Operand::Strong(DType::Float32)
        };
        let dtype = promote(&[ty])?;
        let shape = broadcast_or_raise("div", self.shape(), o.shape())?;
        let v = if o.shape() == shape.as_slice() {
            zip_map(&self.v, &o.v, &shape, |a, b| flush(a) / flush(b))?
        } else {
            let keep = dtype == DType::Bfloat16;
            let recip = |b: f32| {
                let r = flush(1.0 / flush(b));
                if keep {
                    r
                } else {
                    round_into(dtype, r)
                }
            };
            zip_map(&self.v, &o.v, &shape, |a, b| flush(a) * recip(b))?
        };
        Jv::retyped(v, ty)
    }

    /// `-self` (JAX refuses bool).
    pub fn neg(&self) -> OpResult<Jv> {
        if self.ty == Operand::Strong(DType::Bool) {
            return Err(OpError::Type(
                "neg does not accept dtype bool. Accepted dtypes are subtypes of integer, \
                 floating, complexfloating."
                    .into(),
            ));
        }
        Jv::retyped(self.v.mapv(|x| -x), self.ty)
    }

    /// A float function applied elementwise (`jnp.log`, `jnp.exp`, ...):
    /// integers and bools give `float32`; `f` sees flushed `f32` values.
    pub fn float_fn(&self, f: impl Fn(f32) -> f32) -> OpResult<Jv> {
        let ty = match self.ty {
            Operand::Strong(d) => Operand::Strong(crate::elementwise::float_result_dtype(d)?),
            _ => Operand::WeakFloat,
        };
        Jv::retyped(self.v.mapv(|x| f(flush(x))), ty)
    }

    /// `jnp.clip(self, lo, hi)` with Python float bounds: `minimum(hi,
    /// maximum(lo, self))`, promoted like `jnp` (NaN propagates).
    pub fn clip(&self, lo: f64, hi: f64) -> OpResult<Jv> {
        let lower = Jv::weak(lo).binary(self, "max", f32::xla_max)?;
        Jv::weak(hi).binary(&lower, "min", f32::xla_min)
    }

    /// `jnp.sum(self, axes, keepdims=True)` (canonical, sorted, unique
    /// axes): bool and narrow integers accumulate in 32 bits; floats in
    /// `f32`, rounded once into the dtype.
    pub fn sum_keepdims(&self, axes: &[usize]) -> OpResult<Jv> {
        let dtype = self.dtype()?;
        let acc = match dtype {
            DType::Bool | DType::Int8 | DType::Int16 => DType::Int32,
            DType::Uint8 | DType::Uint16 => DType::Uint32,
            d => d,
        };
        let ty = match self.ty {
            Operand::Strong(_) => Operand::Strong(acc),
            weak => weak,
        };
        let v = reduce_lanes(&self.v, axes, true, |l| {
            if acc.is_float() {
                round_into(acc, f32::sum_of(l.iter().copied()))
            } else {
                let total: i64 = l.iter().map(|&x| x as i64).sum();
                with_dtype!(acc, T => T::from_scalar(Scalar::Int(total.into())).scalar().as_f64() as f32)
            }
        })?;
        Ok(Jv { v, ty })
    }

    /// `jnp.max(self, axes, keepdims=True)` (NaN propagates).
    pub fn max_keepdims(&self, axes: &[usize]) -> OpResult<Jv> {
        let v = reduce_lanes(&self.v, axes, true, |l| {
            l.iter()
                .copied()
                .reduce(f32::xla_max)
                .unwrap_or(f32::NEG_INFINITY)
        })?;
        Ok(Jv { v, ty: self.ty })
    }

    /// `jnp.squeeze(self, axis)`-like removal of a kept axis.
    pub fn squeeze(self, axis: usize) -> Jv {
        Jv {
            v: self.v.index_axis_move(Axis(axis), 0),
            ty: self.ty,
        }
    }
}
