//! The building blocks every activation kernel shares: rounding between XLA
//! ops, Python scalar arguments, elementwise maps over float arrays, and the
//! `TypeError`s JAX raises for dtypes an op refuses.
//!
//! XLA:CPU evaluates each HLO op of a half-precision computation in `float32`
//! and rounds its result back to the half type, so a kernel written in `f32`
//! steps calls [`round`] after each step that is its own HLO op (for
//! `float32` that only flushes denormals, as XLA's FTZ does).

use kconform_api::promote::Operand;
use kconform_api::tensor::Scalar;
use kconform_api::{DType, Value};

use crate::args::py_type_name;
use crate::array::{with_float_dtype, Array};
use crate::elem::{flush, Elem, FloatElem};
use crate::error::{OpError, OpResult};

/// An `f32` step result rounded into `T` and read back as the next XLA op
/// reads it (denormals flushed).
#[inline]
pub fn round<T: FloatElem>(v: f32) -> f32 {
    T::store(v).load()
}

/// A constant XLA's algebraic simplifier creates in a `T` computation (the
/// reciprocal `1/c` that replaces a division by `c`): rounded into `T`, except
/// for `bfloat16`, whose computations XLA:CPU has already widened to `float32`
/// by then, so the constant stays `float32`.
#[inline]
pub fn folded<T: FloatElem>(v: f32) -> f32 {
    if T::DTYPE == DType::Bfloat16 {
        flush(v)
    } else {
        round::<T>(v)
    }
}

/// `expm1` of a value of type `T` as XLA expands it: in `float16` arithmetic
/// for `float16`, in `float32` (then rounded) for the other types.
pub fn expm1_in<T: FloatElem>(x: f32) -> f32 {
    if T::DTYPE == DType::Float16 {
        super::xla_math::expm1_rounding(x, round::<T>)
    } else {
        round::<T>(super::xla_math::expm1(x))
    }
}

/// A Python float constant as `jnp` converts it into `T` (one rounding from
/// `f64`): the constants of the `jnp` code an op runs op by op.
#[inline]
pub fn constant<T: FloatElem>(v: f64) -> f32 {
    T::from_scalar(Scalar::Float(v)).load()
}

/// A Python scalar argument of a Keras activation: its value and how it takes
/// part in dtype promotion (`int`/`float` weak, `bool` strong).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Num {
    /// A Python `int`.
    Int(i64),
    /// A Python `float`.
    Float(f64),
    /// A Python `bool`.
    Bool(bool),
}

impl Num {
    /// Reads a Python scalar argument; `None` for anything else.
    pub fn read(v: &Value) -> Option<Num> {
        match v {
            Value::Int(i) => Some(Num::Int(*i)),
            Value::Float(f) => Some(Num::Float(*f)),
            Value::Bool(b) => Some(Num::Bool(*b)),
            _ => None,
        }
    }

    /// The promotion operand of this scalar.
    pub fn operand(self) -> Operand {
        match self {
            Num::Int(_) => Operand::WeakInt,
            Num::Float(_) => Operand::WeakFloat,
            Num::Bool(_) => Operand::Strong(DType::Bool),
        }
    }

    /// The value as a lossless scalar.
    pub fn scalar(self) -> Scalar {
        match self {
            Num::Int(i) => Scalar::Int(i.into()),
            Num::Float(f) => Scalar::Float(f),
            Num::Bool(b) => Scalar::Bool(b),
        }
    }

    /// Python's unary minus (`-True == -1`).
    pub fn neg(self) -> Num {
        match self {
            Num::Int(i) => Num::Int(i.wrapping_neg()),
            Num::Float(f) => Num::Float(-f),
            Num::Bool(b) => Num::Int(-i64::from(b)),
        }
    }

    /// The value converted into element type `T` by `jnp` (integers wrap,
    /// floats round once).
    pub fn to<T: Elem>(self) -> T {
        T::from_scalar(self.scalar())
    }

    /// The value as `f32` after conversion into float type `T` by `jnp`.
    pub fn direct<T: FloatElem>(self) -> f32 {
        self.to::<T>().load()
    }

    /// The value as a jitted function's argument sees it after converting
    /// into `T`: a Python float arrives as a weak `float32` (so it is rounded
    /// to `f32` first), an int as an `int32`.
    pub fn in_jit<T: FloatElem>(self) -> f32 {
        match self {
            Num::Float(f) => T::from_scalar(Scalar::Float(f64::from(f as f32))).load(),
            other => other.direct::<T>(),
        }
    }
}

/// Reads a required Python scalar argument; other values are not supported.
pub fn num_arg(v: &Value, name: &str) -> OpResult<Num> {
    Num::read(v)
        .ok_or_else(|| OpError::Unsupported(format!("`{name}` given as a {}", py_type_name(v))))
}

/// An elementwise kernel over every float dtype.
pub trait FloatKernel {
    /// The result for one element.
    fn eval<T: FloatElem>(&self, x: T) -> T;
}

/// Applies `k` to every element of a float array.
pub fn map_float(x: Array, k: &impl FloatKernel) -> OpResult<Array> {
    let dtype = x.dtype();
    with_float_dtype!(dtype, T => {
        let a = x.into_typed::<T>();
        Ok(T::wrap(a.mapv(|v| k.eval(v))))
    }, _ => Err(OpError::Internal(format!("float kernel on {dtype}"))))
}

/// `x` itself when it is a float array, else `x` converted to `float32` (as
/// `jnp` promotes an integer or bool array against a float).
pub fn floating(x: Array) -> Array {
    if x.dtype().is_float() {
        x
    } else {
        x.cast(DType::Float32)
    }
}

/// JAX's `TypeError` for a unary primitive that refuses `dtype`.
pub fn refused(prim: &str, dtype: DType, accepted: &str) -> OpError {
    OpError::Type(format!(
        "{prim} does not accept dtype {dtype}. Accepted dtypes are subtypes of {accepted}."
    ))
}

/// Refuses non-float input the way `lax.logistic` does.
pub fn require_float_for_logistic(x: &Array) -> OpResult<()> {
    if x.dtype().is_float() {
        Ok(())
    } else {
        Err(refused("logistic", x.dtype(), "floating, complexfloating"))
    }
}

/// `x` with bool converted to `int32`, as `jnp` promotes a bool array
/// against a Python int.
pub fn bool_as_int32(x: Array) -> Array {
    if x.dtype() == DType::Bool {
        x.cast(DType::Int32)
    } else {
        x
    }
}

/// The element of `x` as `f32`, unflushed: what a `select` hands on.
#[inline]
pub fn raw<T: FloatElem>(x: T) -> f32 {
    x.scalar().as_f64() as f32
}

/// The value a comparison sees: floats flushed (XLA:CPU's DAZ), integers and
/// bools exactly.
#[inline]
pub fn cmp_key<T: Elem>(v: T) -> f64 {
    let f = v.scalar().as_f64();
    if T::DTYPE.is_float() {
        f64::from(flush(f as f32))
    } else {
        f
    }
}

/// `jnp`'s `TypeError` when `None` is compared with an array (`x > None`).
pub fn compared_with_none() -> OpError {
    OpError::Type(
        "'>' not supported between instances of 'jaxlib._jax.ArrayImpl' and 'NoneType'".into(),
    )
}
