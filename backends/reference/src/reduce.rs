//! Reductions: `sum`, `prod`, `max`, `min`, `amax`, `amin`, `all`, `any`.

use kconform_api::promote::downcast_64;
use kconform_api::{DType, OpCall, Value};

use crate::args::{dtype, scalar_as, truthy, Args};
use crate::array::{with_dtype, Array, Unwrap};
use crate::axes::{reduce_lanes, reduction_axes};
use crate::convert::{to_array, to_array_strict};
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{OpError, OpResult};

/// The input, reduced axes and `keepdims` of a reduction.
struct Reduction<'a> {
    args: Args<'a>,
    x: Array,
    axes: Vec<usize>,
    keepdims: bool,
}

/// Binds `(x, axis, keepdims, <extra>)`; `strict` names the `jnp` function for
/// ops that take `x` without `convert_to_tensor` (lists are refused).
fn bind<'a>(call: &'a OpCall, extra: &[&str], strict: Option<&str>) -> OpResult<Reduction<'a>> {
    let mut params = vec!["x", "axis", "keepdims"];
    params.extend_from_slice(extra);
    let args = Args::bind(call, &params, 1)?;
    let x = match strict {
        Some(name) => to_array_strict(args.value(0), name)?,
        None => to_array(args.value(0))?,
    };
    let axes = reduction_axes(args.get(1), x.ndim())?;
    let keepdims = truthy(args.value(2))?;
    Ok(Reduction {
        args,
        x,
        axes,
        keepdims,
    })
}

/// `jnp`'s `promote_integers`: bool and narrow integers accumulate in the
/// default 32-bit integer of their signedness.
fn promote_integers(d: DType) -> DType {
    match d {
        DType::Bool | DType::Int8 | DType::Int16 => DType::Int32,
        DType::Uint8 | DType::Uint16 => DType::Uint32,
        other => other,
    }
}

/// `keras.ops.sum`: bool and narrow integers widen to 32 bits (wrapping);
/// half floats accumulate in `float32`.
pub fn sum(call: &OpCall) -> OpResult<Value> {
    let r = bind(call, &[], None)?;
    let dt = promote_integers(r.x.dtype());
    let out = with_dtype!(dt, T => {
        let a = r.x.into_typed::<T>();
        T::wrap(reduce_lanes(&a, &r.axes, r.keepdims, |l| match l.len() {
            // XLA copies a one-element reduction through untouched (no flush).
            1 => l[0],
            _ => T::sum_of(l.iter().copied()),
        })?)
    });
    tensor(out)
}

/// `keras.ops.prod`: like `sum` for dtypes; an explicit `dtype` converts the
/// input first and is also the computation dtype (no `float32` upcast).
pub fn prod(call: &OpCall) -> OpResult<Value> {
    let r = bind(call, &["dtype"], None)?;
    let asked = dtype(r.args.get(3))?;
    let result = asked.map_or_else(|| promote_integers(r.x.dtype()), downcast_64);
    let compute = match (asked, result) {
        (None, DType::Float16 | DType::Bfloat16) => DType::Float32,
        (_, d) => d,
    };
    let out = with_dtype!(compute, T => {
        let a = r.x.into_typed::<T>();
        T::wrap(reduce_lanes(&a, &r.axes, r.keepdims, |l| match l.len() {
            1 => l[0],
            _ => l.iter().fold(T::one(), |acc, &v| acc.mul(v)),
        })?)
    });
    tensor(out.cast(result))
}

/// `max`/`min` with an optional `initial`, XLA's NaN-propagating order.
fn extremum(r: Reduction<'_>, name: &str, initial: Option<&Value>) -> OpResult<Value> {
    let empty_lane = r.axes.iter().any(|&i| r.x.shape()[i] == 0);
    if empty_lane && initial.is_none() {
        return Err(OpError::Value(format!(
            "zero-size array to reduction operation {name} which has no identity"
        )));
    }
    fn go<T: Unwrap>(r: Reduction<'_>, op: fn(T, T) -> T, init: Option<T>) -> OpResult<Array> {
        let a = r.x.into_typed::<T>();
        Ok(T::wrap(reduce_lanes(&a, &r.axes, r.keepdims, |l| {
            // A one-element lane comes back untouched (no flush), as in XLA.
            let folded = l.iter().copied().reduce(op);
            match (init, folded) {
                (Some(i), Some(v)) => op(i, v),
                (Some(i), None) => i,
                (None, Some(v)) => v,
                (None, None) => T::zero(),
            }
        })?))
    }
    let out = with_dtype!(r.x.dtype(), T => {
        let op: fn(T, T) -> T = if name == "max" { T::xla_max } else { T::xla_min };
        let init = initial.map(scalar_as::<T>).transpose()?;
        go::<T>(r, op, init)?
    });
    tensor(out)
}

/// `keras.ops.max`.
pub fn max(call: &OpCall) -> OpResult<Value> {
    let r = bind(call, &["initial"], None)?;
    let initial = r.args.get(3);
    extremum(r, "max", initial)
}

/// `keras.ops.min`.
pub fn min(call: &OpCall) -> OpResult<Value> {
    let r = bind(call, &["initial"], None)?;
    let initial = r.args.get(3);
    extremum(r, "min", initial)
}

/// `keras.ops.amax` (`jnp.amax`, which refuses lists).
pub fn amax(call: &OpCall) -> OpResult<Value> {
    extremum(bind(call, &[], Some("max"))?, "max", None)
}

/// `keras.ops.amin` (`jnp.amin`, which refuses lists).
pub fn amin(call: &OpCall) -> OpResult<Value> {
    extremum(bind(call, &[], Some("min"))?, "min", None)
}

/// Folds the truth values of every lane.
fn logical(call: &OpCall, name: &str, all: bool) -> OpResult<Value> {
    let r = bind(call, &[], Some(name))?;
    let out = crate::array::with_array!(&r.x, a => reduce_lanes(a, &r.axes, r.keepdims, |l| {
        if all {
            l.iter().all(|v| v.truthy())
        } else {
            l.iter().any(|v| v.truthy())
        }
    })?);
    tensor(Array::Bool(out))
}

/// `keras.ops.all` (an `f32` denormal counts as `False`, as XLA:CPU flushes it).
pub fn all(call: &OpCall) -> OpResult<Value> {
    logical(call, "all", true)
}

/// `keras.ops.any`.
pub fn any(call: &OpCall) -> OpResult<Value> {
    logical(call, "any", false)
}
