//! Evenly spaced values: `linspace` and `logspace`, as `jnp` computes them.
//!
//! `jnp.linspace` works in the "computation dtype" (the float dtype asked
//! for, `float32` for integer and bool dtypes): `step = i / div`, then
//! `start * (1 - step) + stop * step` as XLA:CPU rewrites it (see [`Lerp`]),
//! each operation rounded to that dtype, and the endpoint appended exactly.
//! Integer results are floored first.
//! `jnp.logspace` raises `base` to that (in the computation dtype) and
//! converts, truncating for integers.

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, IxDyn};

use super::fill::jnp_dtype;
use crate::args::{dtype, index, py_type_name, truthy, Args};
use crate::array::{from_vec, with_float_dtype, Array, Unwrap};
use crate::binary::promote;
use crate::broadcast::broadcast_shapes;
use crate::convert::{convert, Converted};
use crate::elem::{Elem, FloatElem};
use crate::elementwise::tensor;
use crate::error::{shape_repr, OpError, OpResult};

/// The parts of a `linspace`/`logspace` call both share.
struct Spacing {
    start: Converted,
    stop: Converted,
    num: usize,
    endpoint: bool,
    axis: i64,
}

/// Reads `start`, `stop` (refusing lists, as `jnp` does), `num` and `axis`.
fn spacing(
    name: &str,
    start: &Value,
    stop: &Value,
    num: Option<&Value>,
    endpoint: Option<&Value>,
    axis: Option<&Value>,
) -> OpResult<Spacing> {
    let num = num.map_or(Ok(50), index)?;
    if num < 0 {
        return Err(OpError::Value(format!(
            "Number of samples, {num}, must be non-negative."
        )));
    }
    for (pos, v) in [start, stop].into_iter().enumerate() {
        if matches!(v, Value::List(_) | Value::Tuple(_) | Value::None) {
            return Err(OpError::Type(format!(
                "{name} requires ndarray or scalar arguments, got <class '{}'> at position {pos}.",
                py_type_name(v)
            )));
        }
    }
    Ok(Spacing {
        start: convert(start)?,
        stop: convert(stop)?,
        num: num as usize,
        endpoint: endpoint.map_or(Ok(true), truthy)?,
        axis: axis.map_or(Ok(0), index)?,
    })
}

/// `to_inexact_dtype`: float dtypes stay, everything else is `float32`.
fn inexact(d: DType) -> DType {
    if d.is_float() {
        d
    } else {
        DType::Float32
    }
}

/// The default result dtype: `to_inexact_dtype(result_type(start, stop))`.
fn default_dtype(s: &Spacing) -> OpResult<DType> {
    let ops: Vec<Operand> = vec![s.start.operand, s.stop.operand];
    Ok(inexact(promote(&ops)?))
}

/// The sample `i` (of `div` steps) from `lo` to `hi`, as XLA:CPU computes
/// `lo * (1 - step) + hi * step` after its rewrites: the division by `div`
/// becomes a multiplication by the rounded reciprocal `c`, and the sum is
/// contracted into a fused multiply-add. A scalar `stop` makes XLA
/// reassociate `hi * (i * c)` into `i * (hi * c)`; when `start` is a scalar
/// too, the other product is fused, except that LLVM unrolls short loops
/// (up to 33 samples), where `1 * x` folds away and sample 1 fuses
/// `lo * (1 - step)` again. `bfloat16` is converted around every operation
/// instead: no fusion, and `c` stays a `float32`. (Other broadcast layouts
/// of the bounds get other contractions, within an ulp or two of these.)
struct Lerp {
    /// The reciprocal of the step count.
    c: f32,
    /// `start` is a scalar.
    scalar_start: bool,
    /// `stop` is a scalar (XLA reassociates its product).
    scalar_stop: bool,
    /// The loop is short enough to be unrolled.
    unrolled: bool,
    /// `bfloat16` arithmetic (no fusion).
    bf16: bool,
}

impl Lerp {
    fn sample<T: FloatElem>(&self, i: usize, lo: f32, hi: f32) -> f32 {
        let round = |v: f32| T::store(v).load();
        let fi = round(i as f32);
        let step = round(fi * self.c);
        let one_minus = round(1.0 - step);
        if self.bf16 {
            return round(round(lo * one_minus) + round(hi * step));
        }
        if !self.scalar_stop {
            return round(lo.mul_add(one_minus, round(hi * step)));
        }
        let hc = round(hi * self.c);
        if !self.scalar_start || (self.unrolled && i == 1) {
            round(lo.mul_add(one_minus, round(fi * hc)))
        } else {
            round(fi.mul_add(hc, round(lo * one_minus)))
        }
    }
}

/// Evenly spaced values in the computation dtype `T`, and the step.
/// `start` and `stop` broadcast; the samples run along the inserted `axis`.
fn linear<T: FloatElem + Unwrap>(s: &Spacing) -> OpResult<(ArrayD<T>, ArrayD<T>)> {
    let a = s.start.array.clone().into_typed::<T>();
    let b = s.stop.array.clone().into_typed::<T>();
    let (scalar_start, scalar_stop) = (a.ndim() == 0, b.ndim() == 0);
    let bounds = broadcast_shapes(a.shape(), b.shape()).ok_or_else(|| {
        OpError::Value(format!(
            "Incompatible shapes for broadcasting: shapes=[{}, {}]",
            shape_repr(a.shape()),
            shape_repr(b.shape())
        ))
    })?;
    let rank = bounds.len() as i64;
    let axis = if s.axis < 0 {
        rank + s.axis + 1
    } else {
        s.axis
    };
    if !(0..=rank).contains(&axis) {
        return Err(OpError::Index("list assignment index out of range".into()));
    }
    let axis = axis as usize;
    let bad = || OpError::Internal("broadcast to a checked shape failed".into());
    let a: Vec<T> = a
        .broadcast(IxDyn(&bounds))
        .ok_or_else(bad)?
        .iter()
        .copied()
        .collect();
    let b: Vec<T> = b
        .broadcast(IxDyn(&bounds))
        .ok_or_else(bad)?
        .iter()
        .copied()
        .collect();
    let mut shape = bounds.clone();
    shape.insert(axis, s.num);
    super::check_dims(&shape)?;
    let round = |v: f32| T::store(v).load();
    let div = if s.endpoint {
        s.num.saturating_sub(1)
    } else {
        s.num
    };
    let div_t = round(div as f32);
    let bf16 = T::DTYPE == DType::Bfloat16;
    let lerp = Lerp {
        c: if bf16 {
            1.0 / div_t
        } else {
            round(1.0 / div_t)
        },
        scalar_start,
        scalar_stop,
        unrolled: div <= 33,
        bf16,
    };
    let outer: usize = bounds[..axis].iter().product();
    let inner: usize = bounds[axis..].iter().product();
    let mut data = Vec::with_capacity(outer * s.num * inner);
    for o in 0..outer {
        for i in 0..s.num {
            for n in 0..inner {
                let (lo, hi) = (a[o * inner + n].load(), b[o * inner + n].load());
                let v = if s.num == 1 {
                    lo
                } else if s.endpoint && i == s.num - 1 {
                    hi
                } else {
                    lerp.sample::<T>(i, lo, hi)
                };
                data.push(T::store(v));
            }
        }
    }
    let delta: Vec<T> = a
        .iter()
        .zip(&b)
        .map(|(lo, hi)| match s.num {
            0 => T::store(f32::NAN),
            1 if s.endpoint => T::store(f32::NAN),
            1 => T::store(round(hi.load() - lo.load())),
            _ => T::store(round(hi.load() - lo.load()) / div_t),
        })
        .collect();
    Ok((from_vec(&shape, data)?, from_vec(&bounds, delta)?))
}

/// Converts a computed float array to the result dtype, flooring first for
/// integer dtypes when `floor` (as `linspace` does).
fn to_result<T: FloatElem>(a: ArrayD<T>, dt: DType, floor: bool) -> Array {
    let a = if floor && dt.is_integer() {
        a.mapv(|v| T::store(v.load().floor()))
    } else {
        a
    };
    T::wrap(a).cast(dt)
}

/// `keras.ops.linspace(start, stop, num=50, endpoint=True, retstep=False,
/// dtype=None, axis=0)`; with `retstep` a tuple `(samples, step)`.
pub fn linspace(call: &OpCall) -> OpResult<Value> {
    let params = [
        "start", "stop", "num", "endpoint", "retstep", "dtype", "axis",
    ];
    let args = Args::bind(call, &params, 2)?;
    let s = spacing(
        "linspace",
        args.value(0),
        args.value(1),
        args.get(2),
        args.get(3),
        args.get(6),
    )?;
    let dt = match args.get(5) {
        None => default_dtype(&s)?,
        v => jnp_dtype(v, DType::Float32)?,
    };
    let retstep = args.get(4).map_or(Ok(false), truthy)?;
    let (out, delta) = with_float_dtype!(inexact(dt), T => {
        let (out, delta) = linear::<T>(&s)?;
        (to_result(out, dt, true), T::wrap(delta))
    }, _ => return Err(OpError::Internal("non-float computation dtype".into())));
    if retstep {
        Ok(Value::Tuple(vec![
            Value::Tensor(out.into_tensor()?),
            Value::Tensor(delta.into_tensor()?),
        ]))
    } else {
        tensor(out)
    }
}

/// `keras.ops.logspace(start, stop, num=50, endpoint=True, base=10,
/// dtype=None, axis=0)`: `base ** linspace(start, stop)`.
pub fn logspace(call: &OpCall) -> OpResult<Value> {
    let params = ["start", "stop", "num", "endpoint", "base", "dtype", "axis"];
    let args = Args::bind(call, &params, 2)?;
    let asked = dtype(args.get(5))?;
    let s = spacing(
        "logspace",
        args.value(0),
        args.value(1),
        args.get(2),
        args.get(3),
        args.get(6),
    )?;
    let dt = match asked {
        None => default_dtype(&s)?,
        Some(d) => d,
    };
    let base = match args.get(4) {
        None => 10.0,
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        Some(other) => {
            return Err(OpError::Unsupported(format!(
                "logspace base given as a {}",
                other.kind()
            )))
        }
    };
    let out = with_float_dtype!(inexact(dt), T => {
        let (lin, _) = linear::<T>(&s)?;
        // The weak Python base takes the computation dtype.
        let b = T::store(base as f32).load();
        let pow = lin.mapv(|e| T::store64(f64::from(b).powf(f64::from(e.load()))));
        to_result(pow, dt, false)
    }, _ => return Err(OpError::Internal("non-float computation dtype".into())));
    tensor(out)
}
