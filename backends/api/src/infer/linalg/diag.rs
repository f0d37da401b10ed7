//! Rules of `Trace` and `Diag` (`keras/src/ops/numpy.py`).

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{bind, canonicalize_axis, int_arg, require_spec, spec, tuple_repr};
use crate::value::Value;

/// `Trace.compute_output_spec`: both axes removed; bool and narrow integers
/// widen to 32 bits (an `int64` input stays `int64`).
pub fn trace(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "offset", "axis1", "axis2"], 1)?;
    let x = require_spec(args[0], "x")?;
    let axis1 = int_arg(args[2])?.unwrap_or(0);
    let axis2 = int_arg(args[3])?.unwrap_or(1);
    let n = x.shape.len();
    let (a1, a2) = (canonicalize_axis(axis1, n)?, canonicalize_axis(axis2, n)?);
    if a1 == a2 {
        return Err(BackendError::value_error(format!(
            "`axis1` and `axis2` must be different. Received: axis1={axis1}, axis2={axis2}"
        )));
    }
    let shape = x
        .shape
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != a1 && i != a2)
        .map(|(_, &d)| d)
        .collect();
    let dtype = match x.dtype {
        DType::Bool | DType::Int8 | DType::Int16 => DType::Int32,
        DType::Uint8 | DType::Uint16 => DType::Uint32,
        d => d,
    };
    Ok(spec(shape, dtype))
}

/// `Diag.compute_output_spec`.
pub fn diag(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "k"], 1)?;
    let x = require_spec(args[0], "x")?;
    let k = int_arg(args[1])?.unwrap_or(0);
    let shape = match x.shape.as_slice() {
        [None] => vec![None, None],
        [Some(n)] => {
            let d = n + k.unsigned_abs() as usize;
            vec![Some(d), Some(d)]
        }
        [Some(r), Some(c)] => {
            let (r, c) = (*r as i64, *c as i64);
            let remaining = if k > 0 { c - k } else { r + k };
            vec![Some(remaining.min(r.min(c)).max(0) as usize)]
        }
        [_, _] => vec![None],
        _ => {
            return Err(BackendError::value_error(format!(
                "`x` must be 1-D or 2-D, but received shape {}.",
                tuple_repr(&x.shape)
            )))
        }
    };
    Ok(spec(shape, x.dtype))
}
