//! Splitting a tensor into a list: `split`, `array_split`, `unstack`.

use kconform_api::{OpCall, Value};
use ndarray::{Axis, Slice};

use super::tuple_axis;
use crate::args::{index, py_repr, py_type_name, Args};
use crate::array::{with_array, Array};
use crate::convert::to_array;
use crate::elem::Elem;
use crate::error::{OpError, OpResult};

/// The most tensors a split may return here (more are refused, not built).
const MAX_PIECES: usize = 1 << 20;

/// Refuses a split into more than [`MAX_PIECES`] tensors.
fn check_pieces(count: usize) -> OpResult<()> {
    if count > MAX_PIECES {
        return Err(OpError::Unsupported(format!(
            "a split into {count} tensors (over {MAX_PIECES})"
        )));
    }
    Ok(())
}

/// The consecutive pieces of `x` along `axis` with the given sizes (which
/// must be nonnegative and sum to the axis length), as a Python list.
fn pieces(x: &Array, axis: usize, sizes: &[usize]) -> OpResult<Value> {
    let mut start = 0;
    let mut out = Vec::with_capacity(sizes.len());
    for &size in sizes {
        let piece = with_array!(x, a => {
            Elem::wrap(a.slice_axis(Axis(axis), Slice::from(start..start + size)).to_owned())
        });
        out.push(Value::Tensor(piece.into_tensor()?));
        start += size;
    }
    Ok(Value::List(out))
}

/// `lax.split`'s checks on the sizes, then the pieces.
fn split_sizes(x: &Array, axis: usize, sizes: &[i64]) -> OpResult<Value> {
    let list = || {
        let items: Vec<String> = sizes.iter().map(|s| format!("np.int64({s})")).collect();
        format!("[{}]", items.join(", "))
    };
    if sizes.iter().any(|&s| s < 0) {
        return Err(OpError::Value(format!(
            "Sizes passed to split must be nonnegative, got {}",
            list()
        )));
    }
    let total: i128 = sizes.iter().map(|&s| i128::from(s)).sum();
    if total != x.shape()[axis] as i128 {
        // `np.sum([])` is the float `0.0`.
        let sum = if sizes.is_empty() {
            "0.0".to_string()
        } else {
            total.to_string()
        };
        let shape: Vec<String> = x.shape().iter().map(usize::to_string).collect();
        return Err(OpError::Value(format!(
            "Sum of sizes {sum} must be equal to dimension {axis} of the operand shape [{}]",
            shape.join(", ")
        )));
    }
    let sizes: Vec<usize> = sizes.iter().map(|&s| s as usize).collect();
    pieces(x, axis, &sizes)
}

/// `jnp.split`/`jnp.array_split` (`uneven`): a section count or split points.
fn split_impl(x: &Array, sections: &Value, axis: &Value, uneven: bool) -> OpResult<Value> {
    let axis = tuple_axis(x.shape(), index(axis)?)?;
    let size = x.shape()[axis] as i64;
    let points = match sections {
        Value::List(items) | Value::Tuple(items) => {
            Some(items.iter().map(index).collect::<OpResult<Vec<_>>>()?)
        }
        Value::Tensor(t) if t.rank() > 0 => Some(
            to_array(sections)?
                .scalars()
                .into_iter()
                .map(|s| s.as_f64() as i64)
                .collect(),
        ),
        _ => None,
    };
    let sizes: Vec<i64> = match points {
        Some(points) => {
            let mut bounds = vec![0];
            bounds.extend(points);
            bounds.push(size);
            bounds
                .windows(2)
                .map(|w| w[1].saturating_sub(w[0]))
                .collect()
        }
        None => {
            let n = index(sections)?;
            if n == 0 {
                return Err(OpError::ZeroDivision(
                    "integer division or modulo by zero".into(),
                ));
            }
            // Python's `divmod`: the remainder takes the divisor's sign.
            let (size, n) = (i128::from(size), i128::from(n));
            let part = size.div_euclid(n) - i128::from(n < 0 && size.rem_euclid(n) != 0);
            let rest = size - part * n;
            let part = part as i64;
            let count = usize::try_from(n).unwrap_or(0);
            check_pieces(count)?;
            if rest == 0 {
                vec![part; count]
            } else if uneven {
                let r = rest as usize;
                let mut v = vec![part + 1; r];
                v.extend(vec![part; count.saturating_sub(r)]);
                v
            } else {
                return Err(OpError::Value(format!(
                    "array split does not result in an equal division: rest is {rest}"
                )));
            }
        }
    };
    split_sizes(x, axis, &sizes)
}

/// `keras.ops.split(x, indices_or_sections, axis=0)`: a list of tensors.
pub fn split(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "indices_or_sections", "axis"], 2)?;
    let x = to_array(args.value(0))?;
    let axis = args.get(2).cloned().unwrap_or(Value::Int(0));
    split_impl(&x, args.value(1), &axis, false)
}

/// `keras.ops.array_split(x, indices_or_sections, axis=0)`: Keras requires a
/// positive int section count; the first sections take the remainder.
pub fn array_split(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "indices_or_sections", "axis"], 2)?;
    let sections = args.value(1);
    let n = match sections {
        Value::Int(n) => *n,
        Value::Bool(b) => i64::from(*b),
        other => {
            return Err(OpError::Type(format!(
                "Argument `indices_or_sections` must be of type `int`. Received: \
                 indices_or_sections={}",
                py_repr(other)
            )))
        }
    };
    if n <= 0 {
        return Err(OpError::Value(format!(
            "Argument `indices_or_sections` must be a positive integer. Received: \
             indices_or_sections={}",
            py_repr(sections)
        )));
    }
    let axis = args.given(2).cloned().unwrap_or(Value::Int(0));
    if !matches!(axis, Value::Int(_) | Value::Bool(_)) {
        return Err(OpError::Type(format!(
            "Argument `axis` must be of type `int`. Received: {}",
            py_repr(&axis)
        )));
    }
    let x = to_array(args.value(0))?;
    split_impl(&x, &Value::Int(n), &axis, true)
}

/// `keras.ops.unstack(x, num=None, axis=0)`: one tensor per index of `axis`
/// (`num` is ignored by the JAX backend).
pub fn unstack(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "num", "axis"], 1)?;
    let x = match args.value(0) {
        v @ Value::Tensor(_) => to_array(v)?,
        other => {
            return Err(OpError::Attribute(format!(
                "'{}' object has no attribute 'shape'",
                py_type_name(other)
            )))
        }
    };
    let axis = tuple_axis(x.shape(), args.get(2).map_or(Ok(0), index)?)?;
    let out = (0..x.shape()[axis])
        .map(|i| {
            let piece = with_array!(&x, a => Elem::wrap(a.index_axis(Axis(axis), i).to_owned()));
            Ok(Value::Tensor(piece.into_tensor()?))
        })
        .collect::<OpResult<Vec<_>>>()?;
    Ok(Value::List(out))
}
