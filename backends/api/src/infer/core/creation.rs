//! Creation and conversion rules: `arange`, `cast`, `convert_to_tensor`.

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{bind, operand, promote, require_spec, spec};
use crate::promote::Operand;
use crate::python::py_repr;
use crate::value::Value;

/// `keras.backend.standardize_dtype(v)`: `None` is `floatx()`, `"int"` is
/// `int32`; an unknown name is Keras's `ValueError`.
fn standardize_dtype(v: Option<&Value>) -> Result<DType, BackendError> {
    match v {
        None | Some(Value::None) => Ok(DType::Float32),
        Some(Value::Str(s)) if s == "int" => Ok(DType::Int32),
        Some(Value::Str(s)) => s
            .parse::<DType>()
            .map_err(|_| BackendError::value_error(format!("Invalid dtype: {s}"))),
        Some(other) => Err(BackendError::value_error(format!(
            "Invalid dtype: {}",
            py_repr(other)
        ))),
    }
}

/// `cast(x, dtype)`: the input's shape in exactly the asked dtype (`float64`
/// stays `float64` here although an eager cast gives `float32`).
pub fn cast(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "dtype"], 2)?;
    let dtype = standardize_dtype(args[1])?;
    let x = require_spec(args[0], "x")?;
    Ok(spec(x.shape, dtype))
}

/// `convert_to_tensor(x, dtype=None, sparse=None, ragged=None)`: the input's
/// spec, in `dtype` when one is given.
pub fn convert_to_tensor(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "dtype", "sparse", "ragged"], 1)?;
    let dtype = match args[1] {
        None | Some(Value::None) => None,
        v => Some(standardize_dtype(v)?),
    };
    let x = require_spec(args[0], "x")?;
    Ok(spec(x.shape, dtype.unwrap_or(x.dtype)))
}

/// `arange(start, stop=None, step=None, dtype=None)`: a symbolic bound cannot
/// size the result, so Keras raises while converting it to NumPy; Python
/// scalar bounds give `[ceil((stop - start) / step)]`.
pub fn arange(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["start", "stop", "step", "dtype"], 1)?;
    let bounds: Vec<&Value> = args[..3]
        .iter()
        .flatten()
        .copied()
        .filter(|v| !matches!(v, Value::None))
        .collect();
    if bounds.iter().any(|v| matches!(v, Value::Spec(_))) {
        return Err(BackendError::value_error(
            "A KerasTensor is symbolic: it's a placeholder for a shape an a dtype. It doesn't \
             have any actual numerical value. You cannot convert it to a NumPy array.",
        ));
    }
    let number = |v: &Value| match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        other => Err(BackendError::Unsupported(format!(
            "a {} bound of a symbolic arange",
            other.kind()
        ))),
    };
    let values = bounds
        .iter()
        .map(|v| number(v))
        .collect::<Result<Vec<_>, _>>()?;
    let (start, stop, step) = match values[..] {
        [stop] => (0.0, stop, 1.0),
        [start, stop] => (start, stop, 1.0),
        [start, stop, step] => (start, stop, step),
        _ => return Err(BackendError::Unsupported("arange without bounds".into())),
    };
    let n = ((stop - start) / step).ceil();
    let dtype = match args[3] {
        None | Some(Value::None) => {
            // `start` becomes a Python `0` and `step` a Python `1` when absent.
            let mut operands = bounds
                .iter()
                .map(|v| operand(v))
                .collect::<Result<Vec<_>, _>>()?;
            operands.extend(std::iter::repeat_n(Operand::WeakInt, 3 - bounds.len()));
            promote(&operands)?
        }
        v => standardize_dtype(v)?,
    };
    Ok(spec(vec![Some(n.max(0.0) as usize)], dtype))
}
