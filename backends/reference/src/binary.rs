//! Binary elementwise ops with broadcasting: `add`, `subtract`, `multiply`,
//! `divide`, `arctan2`, and `clip` (two broadcasting `xla_max`/`xla_min`).

use kconform_api::promote::{result_type, Operand};
use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};

use crate::args::Args;
use crate::array::{with_dtype, with_float_dtype, Array, Unwrap};
use crate::broadcast::{broadcast_or_raise, zip_map};
use crate::convert::{convert, Converted};
use crate::elem::{flush, Elem, FloatElem};
use crate::elementwise::{atan2_xla, tensor};
use crate::error::{OpError, OpResult};

/// `keras.backend.result_type` of some operands, as an [`OpError`].
pub fn promote(ops: &[Operand]) -> OpResult<DType> {
    result_type(ops).map_err(|e| OpError::Unsupported(e.to_string()))
}

/// The promoted dtype of `ops` as an operand for a further promotion: weak
/// when JAX's least upper bound is a weak node (`int8 + 1.5` is a weak
/// `float32`, `bool + 1` a weak `int32`).
pub fn promote_operand(ops: &[Operand]) -> OpResult<Operand> {
    let dtype = promote(ops)?;
    let strong: Vec<DType> = ops
        .iter()
        .filter_map(|o| match o {
            Operand::Strong(d) => Some(*d),
            _ => None,
        })
        .collect();
    let above_strong = |float: bool| {
        strong.iter().all(|d| {
            if float {
                !d.is_float()
            } else {
                *d == DType::Bool
            }
        })
    };
    let weak = match dtype {
        d if d.is_float() => ops.contains(&Operand::WeakFloat) && above_strong(true),
        d if d.is_integer() => ops.contains(&Operand::WeakInt) && above_strong(false),
        _ => false,
    };
    Ok(match (weak, dtype.is_float()) {
        (true, true) => Operand::WeakFloat,
        (true, false) => Operand::WeakInt,
        (false, _) => Operand::Strong(dtype),
    })
}

/// Binds `(x1, x2)` and converts both.
pub fn binary_inputs(call: &OpCall) -> OpResult<(Converted, Converted)> {
    let args = Args::bind(call, &["x1", "x2"], 2)?;
    Ok((convert(args.value(0))?, convert(args.value(1))?))
}

/// Casts both arrays to `dtype` and combines them elementwise with broadcasting.
pub fn combine(
    prim: &str,
    a: Array,
    b: Array,
    dtype: DType,
    f: &dyn BinaryKernel,
) -> OpResult<Array> {
    let shape = broadcast_or_raise(prim, a.shape(), b.shape())?;
    f.apply(a.cast(dtype), b.cast(dtype), &shape)
}

/// A kernel applied to two arrays of one dtype.
pub trait BinaryKernel {
    /// Combines `a` and `b` (same dtype) broadcast to `shape`.
    fn apply(&self, a: Array, b: Array, shape: &[usize]) -> OpResult<Array>;
}

/// A kernel from an [`Elem`] method, for every dtype.
struct ElemKernel(Op);

/// The [`Elem`] arithmetic a kernel applies.
#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Max,
    Min,
}

impl BinaryKernel for ElemKernel {
    fn apply(&self, a: Array, b: Array, shape: &[usize]) -> OpResult<Array> {
        fn go<T: Unwrap>(op: Op, a: Array, b: Array, s: &[usize]) -> OpResult<Array> {
            let (x, y) = (a.into_typed::<T>(), b.into_typed::<T>());
            let f: fn(T, T) -> T = match op {
                Op::Add => T::add,
                Op::Sub => T::sub,
                Op::Mul => T::mul,
                Op::Max => T::xla_max,
                Op::Min => T::xla_min,
            };
            Ok(T::wrap(zip_map(&x, &y, s, f)?))
        }
        with_dtype!(a.dtype(), T => go::<T>(self.0, a, b, shape))
    }
}

/// `atan2` on one float dtype, computed in `f32` (see [`atan2_xla`]).
struct Atan2Kernel;

impl BinaryKernel for Atan2Kernel {
    fn apply(&self, a: Array, b: Array, shape: &[usize]) -> OpResult<Array> {
        let dtype = a.dtype();
        with_float_dtype!(dtype, T => {
            let (x, y) = (a.into_typed::<T>(), b.into_typed::<T>());
            let raw = |v: T| v.scalar().as_f64() as f32;
            Ok(T::wrap(zip_map(&x, &y, shape, |p: T, q: T| {
                T::from_scalar(Scalar::Float(f64::from(atan2_xla(raw(p), raw(q)))))
            })?))
        }, _ => Err(OpError::Internal(format!("atan2 on {dtype}"))))
    }
}

fn arith(call: &OpCall, prim: &str, op: Op) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = promote(&[a.operand, b.operand])?;
    if dtype == DType::Bool && matches!(op, Op::Sub) {
        return Err(OpError::Type(format!(
            "{prim} does not accept dtype bool at position 0. Accepted dtypes at position 0 are \
             subtypes of integer, floating, complexfloating."
        )));
    }
    tensor(combine(prim, a.array, b.array, dtype, &ElemKernel(op))?)
}

/// `keras.ops.add`.
pub fn add(call: &OpCall) -> OpResult<Value> {
    arith(call, "add", Op::Add)
}

/// `keras.ops.subtract` (a `TypeError` when both sides are bool).
pub fn subtract(call: &OpCall) -> OpResult<Value> {
    arith(call, "sub", Op::Sub)
}

/// `keras.ops.multiply`.
pub fn multiply(call: &OpCall) -> OpResult<Value> {
    arith(call, "mul", Op::Mul)
}

/// True division as XLA:CPU computes it. When the divisor is broadcast
/// (its shape differs from the result's), XLA's algebraic simplifier
/// rewrites `x / y` into `x * (1 / y)`, rounding twice; a bool dividend then
/// becomes `select(x, 1 / y, 0)`.
pub struct DivKernel {
    /// Whether the dividend was `bool` before promotion.
    pub x_bool: bool,
}

impl BinaryKernel for DivKernel {
    fn apply(&self, a: Array, b: Array, shape: &[usize]) -> OpResult<Array> {
        let dtype = a.dtype();
        let reciprocal = b.shape() != shape;
        let x_bool = self.x_bool;
        with_float_dtype!(dtype, T => {
            let (x, y) = (a.into_typed::<T>(), b.into_typed::<T>());
            Ok(T::wrap(zip_map(&x, &y, shape, |p: T, q: T| {
                if !(reciprocal && x_bool) {
                    return true_div(p, q, reciprocal);
                }
                if p.load() != 0.0 {
                    T::store(reciprocal_of(q))
                } else {
                    T::zero()
                }
            })?))
        }, _ => Err(OpError::Internal(format!("div on {dtype}"))))
    }
}

/// `1 / q` as XLA:CPU's rewrite of a division by a broadcast divisor computes
/// it: `bfloat16` keeps the reciprocal in `f32`, `float16` rounds it.
fn reciprocal_of<T: FloatElem>(q: T) -> f32 {
    let r = flush(1.0 / q.load());
    if T::DTYPE == DType::Bfloat16 {
        r
    } else {
        T::store(r).load()
    }
}

/// `p / q` in float type `T` as XLA:CPU computes a true division;
/// `reciprocal` when the divisor is broadcast (its shape differs from the
/// result's), which XLA rewrites into `p * (1 / q)`, rounding twice.
pub fn true_div<T: FloatElem>(p: T, q: T, reciprocal: bool) -> T {
    if reciprocal {
        T::store(p.load() * reciprocal_of(q))
    } else {
        T::store(p.load() / q.load())
    }
}

/// `keras.ops.divide`: true division; integer and bool results become `float32`.
pub fn divide(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let mut dtype = promote(&[a.operand, b.operand])?;
    if !dtype.is_float() {
        dtype = DType::Float32;
    }
    let k = DivKernel {
        x_bool: a.array.dtype() == DType::Bool,
    };
    tensor(combine("div", a.array, b.array, dtype, &k)?)
}

/// `keras.ops.arctan2`: Keras promotes `result_type(x1.dtype, x2.dtype, float)`
/// after converting both (so a Python float counts as a strong `float32`).
pub fn arctan2(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    let dtype = promote(&[
        Operand::Strong(a.array.dtype()),
        Operand::Strong(b.array.dtype()),
        Operand::WeakFloat,
    ])?;
    tensor(combine("atan2", a.array, b.array, dtype, &Atan2Kernel)?)
}

/// `keras.ops.clip`: `bool` inputs become `int32`, then
/// `xla_min(x_max, xla_max(x_min, x))` with `jnp` promotion at each step
/// (Python bounds are weak and wrap into integer dtypes).
pub fn clip(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "x_min", "x_max"], 3)?;
    let x = convert(args.value(0))?;
    let (mut acc, mut operand) = if x.array.dtype() == DType::Bool {
        (x.array.cast(DType::Int32), Operand::Strong(DType::Int32))
    } else {
        (x.array, x.operand)
    };
    for (i, prim, op) in [(1, "max", Op::Max), (2, "min", Op::Min)] {
        let Some(bound) = args.get(i) else { continue };
        let bound = convert(bound)?;
        let dtype = promote(&[bound.operand, operand])?;
        acc = combine(prim, bound.array, acc, dtype, &ElemKernel(op))?;
        operand = promote_operand(&[bound.operand, operand])?;
    }
    tensor(acc)
}
