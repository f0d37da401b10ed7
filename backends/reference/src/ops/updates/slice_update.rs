//! `keras.ops.slice_update`: `lax.dynamic_update_slice(inputs, updates,
//! start_indices)`, a block write whose start indices are clamped so the
//! block fits (negative starts count from the end first).

use kconform_api::{DType, OpCall, Value};
use ndarray::{IxDyn, SliceInfoElem};

use crate::args::{py_type_name, Args};
use crate::array::{with_array, Array};
use crate::convert::to_array;
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{shape_repr, OpError, OpResult};

/// The start indices with the dtype JAX gives each (`int32` for a Python
/// `int`), before any check.
fn start_values(v: &Value) -> OpResult<Vec<(i64, DType)>> {
    let items: Vec<&Value> = match v {
        Value::List(items) | Value::Tuple(items) => items.iter().collect(),
        Value::Tensor(t) if t.rank() == 0 => {
            return Err(OpError::Type("len() of unsized object".into()))
        }
        Value::Tensor(t) => {
            let a = Array::from_tensor(t)?;
            let n = a.shape()[0];
            let dtype = a.dtype();
            // A row per leading element, as `len()` and iteration see it.
            let rows = a.ravel()?.scalars();
            let per = rows.len() / n.max(1);
            return Ok((0..n)
                .map(|r| (index_value(rows[r * per].as_f64()), dtype))
                .collect());
        }
        other => {
            return Err(OpError::Type(format!(
                "object of type '{}' has no len()",
                py_type_name(other)
            )))
        }
    };
    items
        .into_iter()
        .map(|item| {
            // JAX reads a Python int as int64 and keeps its low 32 bits.
            if let Value::Int(i) = item {
                return Ok((i64::from(*i as i32), DType::Int32));
            }
            let a = to_array(item)?;
            let s = a
                .scalar_at(0)
                .ok_or_else(|| OpError::Type("index arguments must be scalars".into()))?;
            Ok((index_value(s.as_f64()), a.dtype()))
        })
        .collect()
}

/// An index as XLA reads it: the low 32 bits of the integer.
fn index_value(v: f64) -> i64 {
    i64::from(v as i64 as i32)
}

/// `keras.ops.slice_update(inputs, start_indices, updates)`.
pub fn slice_update(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["inputs", "start_indices", "updates"], 3)?;
    let starts = start_values(args.value(1))?;
    let x = match args.value(0) {
        Value::Tensor(t) => Array::from_tensor(t)?,
        other => {
            return Err(OpError::Attribute(format!(
                "'{}' object has no attribute 'ndim'",
                py_type_name(other)
            )))
        }
    };
    if starts.len() != x.ndim() {
        return Err(OpError::Value(format!(
            "Length of slice indices must match number of operand dimensions ({} vs {})",
            starts.len(),
            shape_repr(x.shape())
        )));
    }
    let u = match args.value(2) {
        v @ (Value::List(_) | Value::Tuple(_)) => {
            return Err(OpError::Type(format!(
                "Error interpreting argument to dynamic_update_slice as a JAX value. The \
                 problematic value is of type <class '{}'> and was passed to \
                 dynamic_update_slice at position 1.\n",
                py_type_name(v)
            )))
        }
        v => to_array(v)?,
    };
    if u.ndim() != x.ndim() {
        return Err(OpError::Type(format!(
            "dynamic_update_slice update must have the same rank as operand, got update shape \
             {} for operand shape {}.",
            shape_repr(u.shape()),
            shape_repr(x.shape())
        )));
    }
    if u.shape().iter().zip(x.shape()).any(|(a, b)| a > b) {
        return Err(OpError::Type(format!(
            "dynamic_update_slice update shape must be smaller than operand shape, got update \
             shape {} for operand shape {}.",
            shape_repr(u.shape()),
            shape_repr(x.shape())
        )));
    }
    if u.dtype() != x.dtype() {
        return Err(OpError::Type(format!(
            "lax.dynamic_update_slice requires arguments to have the same dtypes, got {}, {}.",
            x.dtype(),
            u.dtype()
        )));
    }
    let first = starts.first().map(|s| s.1);
    if starts
        .iter()
        .any(|&(_, d)| !d.is_integer() || Some(d) != first)
    {
        let names: Vec<String> = starts.iter().map(|(_, d)| d.to_string()).collect();
        return Err(OpError::Type(format!(
            "index arguments to dynamic_update_slice must be integers of the same type, got {}",
            names.join(", ")
        )));
    }
    // Negative starts count from the end once, then every start is clamped
    // so that the block fits.
    let region: Vec<SliceInfoElem> = starts
        .iter()
        .zip(x.shape().iter().zip(u.shape()))
        .map(|(&(s, _), (&n, &m))| {
            let s = if s < 0 { s + n as i64 } else { s };
            let s = s.clamp(0, (n - m) as i64) as isize;
            SliceInfoElem::Slice {
                start: s,
                end: Some(s + m as isize),
                step: 1,
            }
        })
        .collect();
    let out = with_array!(x, a => {
        let mut a = a;
        let src = u.into_typed();
        a.slice_mut(region.as_slice()).assign(&src);
        Elem::wrap(a.into_dimensionality::<IxDyn>().map_err(|e| OpError::Internal(e.to_string()))?)
    });
    tensor(out)
}
