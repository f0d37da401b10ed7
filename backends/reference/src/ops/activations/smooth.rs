//! Smooth activations built on `exp`, `log1p`, `tanh` and `erfc`: `sigmoid`,
//! `silu`, `softplus`, `log_sigmoid`, `softsign`, `elu`, `selu`, `celu`,
//! `gelu` and `tanh_shrink`, each following the `jax.nn` (or Keras) code step
//! for step.

use kconform_api::{DType, OpCall, Value};

use super::float::{
    bool_as_int32, constant, expm1_in, floating, folded, map_float, num_arg, raw, refused,
    require_float_for_logistic, round, FloatKernel, Num,
};
use super::xla_math::{erfc, exp, expm1, tanh};
use crate::args::{truthy, Args};
use crate::array::{with_int_dtype, Array};
use crate::convert::to_array;
use crate::elem::{flush, Elem, FloatElem};
use crate::elementwise::tensor;
use crate::error::{OpError, OpResult};
use crate::random::xla_math::log1p;

/// Binds `(x, <params>)` and converts `x`.
pub(super) fn bind_x<'a>(call: &'a OpCall, params: &[&str]) -> OpResult<(Array, Args<'a>)> {
    let args = Args::bind(call, params, 1)?;
    Ok((to_array(args.value(0))?, args))
}

/// `1 / (1 + exp(-x))`, as XLA expands `logistic`, rounded into `T` per op.
pub(super) fn logistic<T: FloatElem>(l: f32) -> f32 {
    let e = round::<T>(exp(-l));
    let d = round::<T>(e + 1.0);
    round::<T>(1.0 / d)
}

/// `max(x, 0) + log1p(exp(-|x|))` for a non-NaN `x` (`jnp.logaddexp(x, 0)`),
/// before the final rounding.
fn softplus_sum<T: FloatElem>(l: f32) -> f32 {
    let m = if l > 0.0 { l } else { 0.0 };
    let e = round::<T>(exp(-l.abs()));
    m + round::<T>(log1p(e))
}

struct Sigmoid;
impl FloatKernel for Sigmoid {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        T::store(logistic::<T>(x.load()))
    }
}

/// `keras.ops.sigmoid` (float dtypes only, as `lax.logistic`).
pub fn sigmoid(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    require_float_for_logistic(&x)?;
    tensor(map_float(x, &Sigmoid)?)
}

struct Silu;
impl FloatKernel for Silu {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let l = x.load();
        T::store(l * logistic::<T>(l))
    }
}

/// `keras.ops.silu` and its alias `keras.ops.swish`: `x * sigmoid(x)`.
pub fn silu(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    require_float_for_logistic(&x)?;
    tensor(map_float(x, &Silu)?)
}

struct Softplus;
impl FloatKernel for Softplus {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let l = x.load();
        if l.is_nan() {
            return x;
        }
        T::store(softplus_sum::<T>(l))
    }
}

/// `keras.ops.softplus`: `jnp.logaddexp(x, 0)`; integers become `float32`.
pub fn softplus(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    tensor(map_float(floating(x), &Softplus)?)
}

struct LogSigmoid;
impl FloatKernel for LogSigmoid {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let n = -x.load();
        if n.is_nan() {
            return x;
        }
        T::store(-softplus_sum::<T>(n))
    }
}

/// `keras.ops.log_sigmoid`: `-softplus(-x)`. Integers are negated in their
/// own dtype first (so `uint8` wraps: `log_sigmoid(uint8 1) == -255`), then
/// become `float32`; bool is refused by `neg`.
pub fn log_sigmoid(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    let x = match x.dtype() {
        DType::Bool => {
            return Err(refused(
                "neg",
                DType::Bool,
                "integer, floating, complexfloating",
            ))
        }
        d if d.is_float() => return tensor(map_float(x, &LogSigmoid)?),
        d => with_int_dtype!(d, I => {
            let a = x.into_typed::<I>();
            I::wrap(a.mapv(|v| I::zero().sub(v)))
        }, _ => return Err(OpError::Internal(format!("log_sigmoid on {d}")))),
    };
    // `-softplus(-x)` of the negated integers: softplus, then negate.
    struct NegSoftplus;
    impl FloatKernel for NegSoftplus {
        fn eval<T: FloatElem>(&self, x: T) -> T {
            let l = x.load();
            T::store(-softplus_sum::<T>(l))
        }
    }
    tensor(map_float(floating(x), &NegSoftplus)?)
}

struct Softsign;
impl FloatKernel for Softsign {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let l = x.load();
        T::store(l / round::<T>(l.abs() + 1.0))
    }
}

/// `keras.ops.softsign`: `x / (|x| + 1)`. For integers `|x| + 1` is computed
/// in the input dtype (wrapping: `int8 -128` gives `-128 / -127`), then the
/// true division makes `float32`.
pub fn softsign(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    if x.dtype().is_float() {
        return tensor(map_float(x, &Softsign)?);
    }
    let x = bool_as_int32(x);
    let d = x.dtype();
    let den = with_int_dtype!(d, I => {
        I::wrap(x.clone().into_typed::<I>().mapv(|v| Elem::abs(v).add(I::one())))
    }, _ => return Err(OpError::Internal(format!("softsign on {d}"))));
    let (num, den) = (x.into_typed::<f32>(), den.into_typed::<f32>());
    let out = ndarray::Zip::from(&num)
        .and(&den)
        .map_collect(|&p, &q| flush(p / q));
    tensor(Array::F32(out))
}

/// `jnp.where(x > 0, x, alpha * expm1(where(x > 0, 0.0, x)))`, as XLA fuses it.
fn elu_of<T: FloatElem>(x: T, alpha: f32) -> f32 {
    if x.load() > 0.0 {
        return raw(x);
    }
    round::<T>(alpha * expm1_in::<T>(raw(x)))
}

struct Elu {
    alpha: Num,
}
impl FloatKernel for Elu {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        if x.load() > 0.0 {
            return x;
        }
        T::store(elu_of(x, self.alpha.in_jit::<T>()))
    }
}

/// Reads a scalar parameter (`default` when absent), raising `if_none` as a
/// `TypeError` when it is `None`.
pub(super) fn param(
    args: &Args<'_>,
    i: usize,
    name: &str,
    default: Num,
    if_none: &str,
) -> OpResult<Num> {
    match args.given(i) {
        None => Ok(default),
        Some(Value::None) => Err(OpError::Type(if_none.into())),
        Some(v) => num_arg(v, name),
    }
}

/// Python's `TypeError` when `None` is the left operand of `op` with a tracer.
fn none_times_tracer(op: &str) -> String {
    format!("unsupported operand type(s) for {op}: 'NoneType' and 'DynamicJaxprTracer'")
}

/// `keras.ops.elu(x, alpha=1.0)`.
pub fn elu(call: &OpCall) -> OpResult<Value> {
    let (x, args) = bind_x(call, &["x", "alpha"])?;
    let alpha = param(&args, 1, "alpha", Num::Float(1.0), &none_times_tracer("*"))?;
    tensor(map_float(floating(x), &Elu { alpha })?)
}

struct Selu;
impl FloatKernel for Selu {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let alpha = Num::Float(1.673_263_242_354_377_2).in_jit::<T>();
        let scale = Num::Float(1.050_700_987_355_480_5).in_jit::<T>();
        T::store(flush(elu_of(x, alpha)) * scale)
    }
}

/// `keras.ops.selu`: `scale * elu(x, alpha)` with SELU's constants.
pub fn selu(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    tensor(map_float(floating(x), &Selu)?)
}

struct Celu {
    alpha: Num,
}
impl FloatKernel for Celu {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let l = x.load();
        let a = self.alpha.in_jit::<T>();
        let (mx, mn) = (Elem::xla_max(l, 0.0), Elem::xla_min(l, 0.0));
        if T::DTYPE == DType::Float32 {
            // XLA keeps the division and contracts `alpha * expm1 + max`.
            let e = expm1(flush(mn / a));
            return T::store(a.mul_add(flush(e), mx));
        }
        // Half types: XLA divides by multiplying with the reciprocal.
        let rec = folded::<T>(1.0 / a);
        let e = expm1_in::<T>(round::<T>(mn * rec));
        T::store(mx + round::<T>(a * e))
    }
}

/// `keras.ops.celu(x, alpha=1.0)`: `max(x, 0) + alpha * expm1(min(x, 0) / alpha)`.
pub fn celu(call: &OpCall) -> OpResult<Value> {
    let (x, args) = bind_x(call, &["x", "alpha"])?;
    let if_none = "unsupported operand type(s) for /: 'DynamicJaxprTracer' and 'NoneType'";
    let alpha = param(&args, 1, "alpha", Num::Float(1.0), if_none)?;
    tensor(map_float(floating(x), &Celu { alpha })?)
}

struct GeluTanh;
impl FloatKernel for GeluTanh {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        // Op by op (`jax.nn.gelu` is not jitted): every step rounds into T.
        let l = x.load();
        let x3 = round::<T>(round::<T>(l * l) * l);
        let inner = round::<T>(l + round::<T>(constant::<T>(0.044715) * x3));
        let k = constant::<T>((2.0 / std::f64::consts::PI).sqrt());
        let t = round::<T>(tanh(round::<T>(k * inner)));
        let cdf = round::<T>(0.5 * round::<T>(1.0 + t));
        T::store(l * cdf)
    }
}

struct GeluErf;
impl FloatKernel for GeluErf {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let l = x.load();
        let half_x = round::<T>(0.5 * l);
        let arg = round::<T>(-l * constant::<T>(0.5f64.sqrt()));
        T::store(half_x * round::<T>(erfc(arg)))
    }
}

/// `keras.ops.gelu(x, approximate=True)`: the tanh approximation, or
/// `0.5 * x * erfc(-x / sqrt(2))` when `approximate` is falsy.
pub fn gelu(call: &OpCall) -> OpResult<Value> {
    let (x, args) = bind_x(call, &["x", "approximate"])?;
    let approximate = match args.given(1) {
        None => true,
        Some(v) => truthy(v)?,
    };
    let x = floating(x);
    tensor(if approximate {
        map_float(x, &GeluTanh)?
    } else {
        map_float(x, &GeluErf)?
    })
}

struct TanhShrink;
impl FloatKernel for TanhShrink {
    fn eval<T: FloatElem>(&self, x: T) -> T {
        let l = x.load();
        T::store(l - round::<T>(tanh(l)))
    }
}

/// `keras.ops.tanh_shrink`: `x - tanh(x)`, op by op.
pub fn tanh_shrink(call: &OpCall) -> OpResult<Value> {
    let (x, _) = bind_x(call, &["x"])?;
    tensor(map_float(floating(x), &TanhShrink)?)
}
