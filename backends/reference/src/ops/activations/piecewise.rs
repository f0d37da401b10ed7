//! Piecewise activations: `relu`, `relu6`, `leaky_relu`, `hard_sigmoid`,
//! `hard_silu`, `hard_tanh`, `sparse_plus`, `sparse_sigmoid`, `soft_shrink`,
//! `hard_shrink`, `squareplus` and `threshold`.
//!
//! Several keep integer inputs integer, or compute a first step in the
//! integer dtype (wrapping) before a float appears, exactly as `jnp` does.

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, Zip};

use super::float::{
    bool_as_int32, cmp_key, compared_with_none, floating, folded, map_float, round, FloatKernel,
    Num,
};
use super::smooth::{bind_x, param};
use crate::array::{with_array, with_dtype, Array};
use crate::binary::promote;
use crate::elem::{flush, Elem, FloatElem};
use crate::elementwise::{float_result_dtype, tensor};
use crate::error::{OpError, OpResult};

/// `x` clamped to `[lo, hi]` as XLA's `clamp` does (NaN propagates, `-0.0`
/// clamped at `0` becomes `0.0`).
fn clamp(v: f32, lo: f32, hi: f32) -> f32 {
    Elem::xla_min(Elem::xla_max(v, lo), hi)
}

/// `keras.ops.relu`: `max(x, 0)` in the input dtype (bool becomes `int32`).
pub fn relu(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    let x = bool_as_int32(x);
    tensor(with_array!(x, a => Elem::wrap(a.mapv(|v| v.xla_max(Elem::zero())))))
}

struct Relu6;
impl FloatKernel for Relu6 {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        T::store(clamp(x.load(), 0.0, 6.0))
    }
}

/// `keras.ops.relu6`: `min(max(x, 0), 6.0)`; integers become `float32`.
pub fn relu6(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    tensor(map_float(floating(x), &Relu6)?)
}

struct LeakyRelu {
    slope: Num,
}
impl FloatKernel for LeakyRelu {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let l = x.load();
        if l >= 0.0 {
            x
        } else {
            T::store(self.slope.in_jit::<T>() * l)
        }
    }
}

/// `keras.ops.leaky_relu(x, negative_slope=0.2)`:
/// `where(x >= 0, x, negative_slope * x)` in the promoted dtype (an integer
/// slope keeps integer inputs integer, wrapping).
pub fn leaky_relu(call: &OpCall) -> OpResult<Value> {
    let (x, args) = bind_x(call, &["x", "negative_slope"])?;
    let if_none = "unsupported operand type(s) for *: 'NoneType' and 'DynamicJaxprTracer'";
    let slope = param(&args, 1, "negative_slope", Num::Float(0.2), if_none)?;
    let dtype = promote(&[Operand::Strong(x.dtype()), slope.operand()])?;
    let x = x.cast(dtype);
    if dtype.is_float() {
        return tensor(map_float(x, &LeakyRelu { slope })?);
    }
    tensor(with_dtype!(dtype, I => {
        let s: I = slope.to();
        I::wrap(x.into_typed::<I>().mapv(|v| if cmp_key(v) >= 0.0 { v } else { s.mul(v) }))
    }))
}

/// `relu6(x + 3) / 6` as XLA fuses it (the division becomes a product with
/// the rounded reciprocal), rounded into `T`.
fn hard_sigmoid_of<T: FloatElem>(l: f32) -> f32 {
    let c = clamp(round::<T>(l + 3.0), 0.0, 6.0);
    round::<T>(c * folded::<T>(1.0 / 6.0))
}

struct HardSigmoid;
impl FloatKernel for HardSigmoid {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        T::store(hard_sigmoid_of::<T>(x.load()))
    }
}

/// `keras.ops.hard_sigmoid`: `relu6(x + 3) / 6`.
pub fn hard_sigmoid(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    tensor(map_float(floating(x), &HardSigmoid)?)
}

struct HardSilu;
impl FloatKernel for HardSilu {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let l = x.load();
        T::store(l * hard_sigmoid_of::<T>(l))
    }
}

/// `keras.ops.hard_silu` and its alias `keras.ops.hard_swish`: `x * hard_sigmoid(x)`.
pub fn hard_silu(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    tensor(map_float(floating(x), &HardSilu)?)
}

struct HardTanh;
impl FloatKernel for HardTanh {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        // LLVM turns the two compare-and-selects into `maxps`/`minps`, which
        // read denormals as zero: a denormal input comes back as a zero.
        let l = x.load();
        if l > 1.0 {
            T::one()
        } else if l < -1.0 {
            T::from_scalar(kconform_api::tensor::Scalar::Float(-1.0))
        } else if l.is_nan() {
            x
        } else {
            T::store(l)
        }
    }
}

/// `keras.ops.hard_tanh`: `where(x > 1, 1, where(x < -1, -1, x))` in the
/// input dtype (bool becomes `int32`; unsigned `-1` wraps to the maximum, so
/// `hard_tanh(uint8 0) == 255`).
pub fn hard_tanh(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    if x.dtype().is_float() {
        return tensor(map_float(x, &HardTanh)?);
    }
    let x = bool_as_int32(x);
    tensor(with_array!(x, a => {
        let (one, minus_one) = (Num::Int(1).to(), Num::Int(-1).to());
        Elem::wrap(a.mapv(|v| {
            if cmp_key(v) > cmp_key(one) {
                one
            } else if cmp_key(v) < cmp_key(minus_one) {
                minus_one
            } else {
                v
            }
        }))
    }))
}

struct SparsePlus;
impl FloatKernel for SparsePlus {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let l = x.load();
        if l <= -1.0 {
            T::zero()
        } else if l >= 1.0 {
            x
        } else {
            let a = round::<T>(l + 1.0);
            T::store(round::<T>(a * a) * 0.25)
        }
    }
}

/// `keras.ops.sparse_plus`: `0`, `(x + 1)² / 4` or `x` split at `±1`.
pub fn sparse_plus(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    tensor(map_float(floating(x), &SparsePlus)?)
}

struct SparseSigmoid;
impl FloatKernel for SparseSigmoid {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let c = clamp(round::<T>(x.load() + 1.0), 0.0, 2.0);
        T::store(c * 0.5)
    }
}

/// `keras.ops.sparse_sigmoid`: `0.5 * clip(x + 1, 0, 2)`.
pub fn sparse_sigmoid(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    tensor(map_float(floating(x), &SparseSigmoid)?)
}

/// Reads a `threshold` argument (`x > None` raises `TypeError`).
fn threshold_arg(args: &crate::args::Args<'_>, i: usize, default: Option<Num>) -> OpResult<Num> {
    match (args.given(i), default) {
        (None, Some(d)) => Ok(d),
        (None | Some(Value::None), _) => Err(compared_with_none()),
        (Some(v), _) => super::float::num_arg(v, "threshold"),
    }
}

struct SoftShrink {
    threshold: Num,
}
impl FloatKernel for SoftShrink {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        // Op by op: each comparison and arithmetic step is its own XLA call.
        let l = x.load();
        let t = self.threshold.direct::<T>();
        if l > t {
            T::store(l - t)
        } else if l < self.threshold.neg().direct::<T>() {
            T::store(l + t)
        } else {
            T::zero()
        }
    }
}

/// `keras.ops.soft_shrink(x, threshold=0.5)`: `x - t` above `t`, `x + t`
/// below `-t`, else `0.0`. With integer `x` and `t` the arithmetic happens in
/// the integer dtype (wrapping) before `0.0` makes the result `float32`.
pub fn soft_shrink(call: &OpCall) -> OpResult<Value> {
    let (x, args) = bind_x(call, &["x", "threshold"])?;
    let t = threshold_arg(&args, 1, Some(Num::Float(0.5)))?;
    let dtype = promote(&[Operand::Strong(x.dtype()), t.operand()])?;
    if dtype == DType::Bool {
        return Err(OpError::Type(
            "sub does not accept dtype bool at position 0. Accepted dtypes at position 0 are \
             subtypes of integer, floating, complexfloating."
                .into(),
        ));
    }
    let x = x.cast(dtype);
    if dtype.is_float() {
        return tensor(map_float(x, &SoftShrink { threshold: t })?);
    }
    let out: ArrayD<f32> = with_dtype!(dtype, I => {
        let (ti, nti): (I, I) = (t.to(), t.neg().to());
        let as_f32 = |v: I| v.scalar().as_f64() as f32;
        x.into_typed::<I>().mapv(|v| {
            if cmp_key(v) > cmp_key(ti) {
                as_f32(v.sub(ti))
            } else if cmp_key(v) < cmp_key(nti) {
                as_f32(v.add(ti))
            } else {
                0.0
            }
        })
    });
    tensor(Array::F32(out))
}

/// `keras.ops.hard_shrink(x, threshold=0.5)`: `where(|x| > t, x, 0.0)`, with
/// `|x|` in the input dtype (wrapping: `|int8 -128|` is `-128`).
pub fn hard_shrink(call: &OpCall) -> OpResult<Value> {
    let (x, args) = bind_x(call, &["x", "threshold"])?;
    let t = threshold_arg(&args, 1, Some(Num::Float(0.5)))?;
    let cmp = promote(&[Operand::Strong(x.dtype()), t.operand()])?;
    let abs = with_array!(x.clone(), a => Elem::wrap(a.mapv(Elem::abs)));
    let keep: ArrayD<bool> = with_dtype!(cmp, C => {
        let tc: C = t.to();
        abs.into_typed::<C>().mapv(|v| cmp_key(v) > cmp_key(tc))
    });
    let out = float_result_dtype(x.dtype())?;
    tensor(with_dtype!(out, F => {
        let xs = x.into_typed::<F>();
        F::wrap(Zip::from(&xs).and(&keep).map_collect(|&v, &k| if k { v } else { F::zero() }))
    }))
}

struct Squareplus {
    b: Num,
}
impl FloatKernel for Squareplus {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let l = x.load();
        let b = self.b.in_jit::<T>();
        let radicand = if T::DTYPE == DType::Bfloat16 {
            // bfloat16 ops are widened one by one, each rounded back.
            round::<T>(round::<T>(l * l) + b)
        } else {
            // LLVM contracts `x * x + b` into one fused multiply-add (for
            // float16 too: the FMA is then evaluated in float32, rounded once).
            round::<T>(l.mul_add(l, b))
        };
        let s = round::<T>(radicand.sqrt());
        T::store(round::<T>(l + s) * 0.5)
    }
}

/// `keras.ops.squareplus(x, b=4)`: `(x + sqrt(x² + b)) / 2`. For integer
/// `x`, `x²` (and `x² + b` for an integer `b`) wraps in the input dtype.
pub fn squareplus(call: &OpCall) -> OpResult<Value> {
    let (x, args) = bind_x(call, &["x", "b"])?;
    let if_none =
        "squareplus requires ndarray or scalar arguments, got <class 'NoneType'> at position 1.";
    let b = param(&args, 1, "b", Num::Int(4), if_none)?;
    if x.dtype().is_float() {
        return tensor(map_float(x, &Squareplus { b })?);
    }
    let square = with_array!(x.clone(), a => Elem::wrap(a.mapv(|v| v.mul(v))));
    let sum_dtype = promote(&[Operand::Strong(x.dtype()), b.operand()])?;
    let sum = with_dtype!(sum_dtype, S => {
        let bs: S = b.to();
        S::wrap(square.into_typed::<S>().mapv(|v| v.add(bs)))
    });
    let (xs, sums) = (x.into_typed::<f32>(), sum.into_typed::<f32>());
    let out = Zip::from(&xs)
        .and(&sums)
        .map_collect(|&v, &s| flush(flush(v + flush(s.sqrt())) * 0.5));
    tensor(Array::F32(out))
}

/// `keras.ops.threshold(x, threshold, default_value)`:
/// `where(x > threshold, x, default_value)`, comparing in
/// `result_type(x, threshold)` and returning `result_type(x, default_value)`
/// (a Python int default wraps into an integer `x`'s dtype).
pub fn threshold(call: &OpCall) -> OpResult<Value> {
    let args = crate::args::Args::bind(call, &["x", "threshold", "default_value"], 3)?;
    let x = crate::convert::to_array(args.value(0))?;
    let t = threshold_arg(&args, 1, None)?;
    let default =
        match args.given(2) {
            Some(Value::None) => return Err(OpError::Type(
                "where requires ndarray or scalar arguments, got <class 'NoneType'> at position 2."
                    .into(),
            )),
            v => super::float::num_arg(v.unwrap_or(&Value::None), "default_value")?,
        };
    let cmp = promote(&[Operand::Strong(x.dtype()), t.operand()])?;
    let keep: ArrayD<bool> = with_dtype!(cmp, C => {
        let tc: C = t.to();
        x.clone().into_typed::<C>().mapv(|v| cmp_key(v) > cmp_key(tc))
    });
    let out = promote(&[Operand::Strong(x.dtype()), default.operand()])?;
    tensor(with_dtype!(out, O => {
        let d: O = default.to();
        let xs = x.into_typed::<O>();
        O::wrap(Zip::from(&xs).and(&keep).map_collect(|&v, &k| if k { v } else { d }))
    }))
}
