//! Tensor creation and conversion: `arange`, `convert_to_tensor`, `cast`.

use kconform_api::promote::{downcast_64, Operand};
use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, IxDyn};

use crate::args::{dtype, py_repr, truthy, Args};
use crate::array::{from_vec, with_dtype, Array};
use crate::binary::promote;
use crate::convert::{checked_int, convert, float_to_int, from_nested, to_array};
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{check_size, OpError, OpResult};
use crate::numpy_cast::numpy_cast;

/// `jnp.asarray(v, dtype)` as Keras-JAX calls it for `cast` and
/// `convert_to_tensor(dtype=…)`.
fn as_dtype(v: &Value, dtype: DType) -> OpResult<Array> {
    if dtype == DType::Bfloat16 {
        // Keras converts non-JAX inputs "as is" and casts with XLA.
        return Ok(to_array(v)?.cast(dtype));
    }
    let dtype = downcast_64(dtype);
    let scalar = |s: Scalar| -> OpResult<Array> {
        with_dtype!(dtype, T => Ok(T::wrap(ArrayD::from_elem(IxDyn(&[]), T::from_scalar(s)))))
    };
    match v {
        Value::Tensor(t) => numpy_cast(t, dtype),
        Value::List(_) | Value::Tuple(_) => from_nested(v, Some(dtype)),
        Value::Bool(b) => scalar(Scalar::Bool(*b)),
        Value::Int(i) if dtype.is_integer() => {
            scalar(Scalar::Int(checked_int((*i).into(), dtype)?))
        }
        Value::Int(i) => scalar(Scalar::Int((*i).into())),
        Value::Float(f) if dtype.is_integer() => {
            scalar(Scalar::Int(checked_int(float_to_int(*f)?, dtype)?))
        }
        Value::Float(f) => scalar(Scalar::Float(*f)),
        // NumPy parses the string as a number of the dtype; bool takes truthiness.
        Value::Str(text) if dtype == DType::Bool => scalar(Scalar::Bool(!text.is_empty())),
        Value::Str(text) => Err(OpError::Value(if dtype.is_integer() {
            format!("invalid literal for int() with base 10: '{text}'")
        } else {
            format!("could not convert string to float: '{text}'")
        })),
        other => convert(other).map(|c| c.array.cast(dtype)),
    }
}

/// `keras.ops.convert_to_tensor(x, dtype=None, sparse=None, ragged=None)`.
pub fn convert_to_tensor(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "dtype", "sparse", "ragged"], 1)?;
    let dt = dtype(args.get(1))?;
    if truthy(args.value(3))? {
        return Err(OpError::Value(
            "`ragged=True` is not supported with jax backend".into(),
        ));
    }
    let out = match dt {
        Some(d) => as_dtype(args.value(0), d)?,
        None => to_array(args.value(0))?,
    };
    tensor(out)
}

/// `keras.ops.cast(x, dtype)` (`dtype=None` means `float32`).
pub fn cast(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "dtype"], 2)?;
    let dt = dtype(args.get(1))?.unwrap_or(DType::Float32);
    tensor(as_dtype(args.value(0), dt)?)
}

/// A scalar argument of `arange` and its dtype for promotion.
fn arange_arg(v: &Value, name: &str) -> OpResult<(Scalar, Operand)> {
    match v {
        Value::Int(i) => Ok((Scalar::Int((*i).into()), Operand::WeakInt)),
        Value::Float(f) => Ok((Scalar::Float(*f), Operand::WeakFloat)),
        Value::Bool(b) => Ok((Scalar::Bool(*b), Operand::Strong(DType::Bool))),
        Value::Tensor(t) if t.rank() == 0 => Ok((t.scalar(0), Operand::Strong(t.dtype()))),
        Value::Tensor(_) => Err(OpError::Value(format!(
            "jax.numpy.arange: arguments must be scalars; got {name}={}",
            py_repr(v)
        ))),
        Value::Str(_) => Err(OpError::Type("data type 'string' not understood".into())),
        Value::None => Err(OpError::Value("Invalid dtype: NoneType".into())),
        other => Err(OpError::Type(format!(
            "unsupported arange argument {}",
            py_repr(other)
        ))),
    }
}

/// Python's `stop - start` (then `/ step`): exact for ints, `float` otherwise.
fn arange_size(start: Scalar, stop: Scalar, step: Option<Scalar>) -> OpResult<usize> {
    let int = |s: Scalar| match s {
        Scalar::Bool(b) => Some(i128::from(b)),
        Scalar::Int(i) => Some(i),
        Scalar::Float(_) => None,
    };
    let diff = match (int(stop), int(start)) {
        (Some(a), Some(b)) => Scalar::Int(a - b),
        _ => Scalar::Float(stop.as_f64() - start.as_f64()),
    };
    let count = match step {
        None => diff.as_f64(),
        Some(s) if s.as_f64() == 0.0 => {
            let both_int = int(diff).is_some() && int(s).is_some();
            let msg = if both_int {
                "division by zero"
            } else {
                "float division by zero"
            };
            return Err(OpError::ZeroDivision(msg.into()));
        }
        Some(s) => diff.as_f64() / s.as_f64(),
    };
    let n = float_to_int(count.ceil())?.max(0);
    // Checked before the values are built, as a guard against runaway sizes.
    check_size(&[usize::try_from(n).unwrap_or(usize::MAX)])?;
    Ok(n as usize)
}

/// `keras.ops.arange(start, stop=None, step=None, dtype=None)`.
pub fn arange(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["start", "stop", "step", "dtype"], 1)?;
    let asked = dtype(args.get(3))?;
    // JAX names a lone argument `stop`.
    let lone = args.get(1).is_none() && args.get(2).is_none();
    let start = arange_arg(args.value(0), if lone { "stop" } else { "start" })?;
    let stop = args.get(1).map(|v| arange_arg(v, "stop")).transpose()?;
    let step = args.get(2).map(|v| arange_arg(v, "step")).transpose()?;
    let dt = match asked {
        Some(d) => downcast_64(d),
        None => {
            let ops: Vec<Operand> = [Some(start), stop, step]
                .iter()
                .flatten()
                .map(|a| a.1)
                .collect();
            promote(&ops)?
        }
    };
    if dt == DType::Bool {
        return Err(OpError::Type(
            "iota does not accept dtype bool. Accepted dtypes are subtypes of integer, floating, \
             complexfloating."
                .into(),
        ));
    }
    let (start, stop) = match stop {
        None => (Scalar::Int(0), start.0),
        Some(s) => (start.0, s.0),
    };
    let step = step.map(|s| s.0);
    let n = arange_size(start, stop, step)?;
    let iota = |i: usize| Scalar::Int(i as i128);
    let out = match step {
        Some(step) => {
            // Computed in float32 for half dtypes, then converted.
            let work = match dt {
                DType::Float16 | DType::Bfloat16 => DType::Float32,
                d => d,
            };
            with_dtype!(work, W => {
                let (s0, st) = (W::from_scalar(start), W::from_scalar(step));
                let v: Vec<W> = (0..n).map(|i| s0.add(st.mul(W::from_scalar(iota(i))))).collect();
                W::wrap(from_vec(&[n], v)?)
            })
            .cast(dt)
        }
        None => with_dtype!(dt, T => {
            let s0 = T::from_scalar(start);
            let v: Vec<T> = if start.as_f64() == 0.0 {
                (0..n).map(|i| T::from_scalar(iota(i))).collect()
            } else {
                (0..n).map(|i| s0.add(T::from_scalar(iota(i)))).collect()
            };
            T::wrap(from_vec(&[n], v)?)
        }),
    };
    tensor(out)
}
