//! `one_hot`, as Keras 3.15.1's torch backend runs it.

use kconform_api::{BackendError, DType, OpCall, Value};

use super::util::{py_index, truthy};
use crate::args::{bind, py_type_name};
use crate::error::TorchResult;
use crate::keras::{cast, convert, dtype_arg, output, Ctx, R};

/// The `num_classes` argument as `torch.nn.functional.one_hot` parses it.
fn num_classes(v: &Value) -> R<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(BackendError::type_error(format!(
            "one_hot(): argument 'num_classes' (position 2) must be int, not {}",
            py_type_name(other)
        ))),
    }
}

/// The permutation Keras builds to move the new last axis to `axis`:
/// `order = list(range(dims)); order[axis] = -1; order[ax] -= 1` for
/// `ax in range(axis + 1, dims)`, with Python's list indexing.
fn axes_order(axis: i64, dims: usize) -> R<Vec<i64>> {
    let mut order: Vec<i64> = (0..dims as i64).collect();
    let at = py_index(axis, dims)
        .ok_or_else(|| BackendError::raised("IndexError", "list assignment index out of range"))?;
    order[at] = -1;
    for ax in axis + 1..dims as i64 {
        let at = py_index(ax, dims)
            .ok_or_else(|| BackendError::raised("IndexError", "list index out of range"))?;
        order[at] -= 1;
    }
    Ok(order)
}

/// `one_hot(x, num_classes, axis=-1, dtype=None, sparse=False)`: `x` as
/// int64 (floats truncate, a bfloat16 array stays bfloat16 and torch refuses
/// it), `F.one_hot(clamp(x, min=0), num_classes)` (so `num_classes=-1` infers
/// the count and classes past the end raise), rows of negative indices
/// zeroed, cast to `dtype` (default float32, int64 kept) and permuted so the
/// new axis lands at `axis` (unless `axis` is -1 or the output rank).
pub fn one_hot(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "num_classes", "axis", "dtype", "sparse"], 2)?;
    let dtype = a
        .opt(3)
        .map(dtype_arg)
        .transpose()?
        .unwrap_or(DType::Float32);
    if truthy(a.get(4))? {
        return Err(BackendError::value_error(
            "Unsupported value `sparse=True` with torch backend",
        ));
    }
    let x = convert(ctx, a.req(0), Some(DType::Int64))?;
    let zero = convert(ctx, &Value::Int(0), Some(DType::Int64))?;
    let classes = num_classes(a.req(1))?;
    let hot = x.f_clamp_min_tensor(&zero).py()?.f_one_hot(classes).py()?;
    let keep = x.f_unsqueeze(-1).py()?.f_ge_tensor(&zero).py()?;
    let hot = cast(hot.f_where_self(&keep, &zero).py()?, dtype)?;
    let dims = hot.dim();
    let axis = match a.get(2) {
        None => -1,
        Some(Value::Int(i)) => *i,
        Some(other) => {
            return Err(BackendError::Unsupported(format!(
                "`axis` as a {}",
                other.kind()
            )))
        }
    };
    if axis != -1 && axis != dims as i64 {
        let order = axes_order(axis, dims)?;
        return output(&hot.f_permute(order.as_slice()).py()?);
    }
    output(&hot)
}
