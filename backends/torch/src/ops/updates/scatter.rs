//! `scatter` and `scatter_update`, as Keras 3.15.1's torch backend
//! (`keras/src/backend/torch/core.py`) runs them: Python indexing of a torch
//! tensor in a loop, or one `index_put_`.

use kconform_api::{BackendError, DType, OpCall, Value};

use crate::args::{bind, py_int, py_type_name};
use crate::error::TorchResult;
use crate::keras::{convert, dtype, output, tensor, Ctx, R};

use super::indexing::{clone, get, select, set, tuple_of};

/// Keras's `reduction` argument of `scatter_update` (`ops/core.py`): `None`,
/// or a name lower-cased and checked before the backend sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reduction {
    Set,
    Add,
    Max,
    Min,
    Mul,
}

impl Reduction {
    fn parse(v: Option<&Value>) -> R<Reduction> {
        let name = match v {
            None | Some(Value::None) => return Ok(Reduction::Set),
            Some(Value::Str(s)) => s.to_lowercase(),
            Some(other) => {
                return Err(BackendError::raised(
                    "AttributeError",
                    format!("'{}' object has no attribute 'lower'", py_type_name(other)),
                ))
            }
        };
        match name.as_str() {
            "add" => Ok(Reduction::Add),
            "max" => Ok(Reduction::Max),
            "min" => Ok(Reduction::Min),
            "mul" => Ok(Reduction::Mul),
            _ => Err(BackendError::value_error(format!(
                "Invalid reduction: {name}. Supported values are: None, 'add', 'max', 'min', 'mul'."
            ))),
        }
    }
}

/// `scatter_update(inputs, indices, updates, reduction=None)`: `indices`
/// converted to int64 and transposed (`torch.transpose(indices, 0, 1)`, so
/// rank-3 indices swap their batch axes), `updates` converted to `inputs`'
/// dtype (a bfloat16 array stays bfloat16 and `index_put_` then refuses it);
/// then `outputs[tuple(indices)] = updates` for `None`, one
/// `index_put_(..., accumulate=True)` for `"add"`, and for `"max"`, `"min"`
/// and `"mul"` a loop over `indices.T` that reads, combines and writes back
/// one index tuple at a time. Out-of-range indices raise `IndexError`.
pub fn scatter_update(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["inputs", "indices", "updates", "reduction"], 3)?;
    let reduction = Reduction::parse(a.get(3))?;
    let inputs = tensor(ctx, a.req(0))?;
    let indices = convert(ctx, a.req(1), Some(DType::Int64))?;
    let updates = convert(ctx, a.req(2), Some(dtype(&inputs)?))?;
    let indices = indices.f_transpose(0, 1).py()?;
    let outputs = clone(&inputs)?;
    let combine: fn(&tch::Tensor, &tch::Tensor) -> Result<tch::Tensor, tch::TchError> =
        match reduction {
            Reduction::Set => {
                set(&outputs, &tuple_of(&indices)?, &updates)?;
                return output(&outputs);
            }
            Reduction::Add => {
                let idx: Vec<Option<tch::Tensor>> =
                    indices.f_unbind(0).py()?.into_iter().map(Some).collect();
                let mut out = outputs.shallow_clone();
                out = out.f_index_put_(&idx, &updates, true).py()?;
                return output(&out);
            }
            Reduction::Max => tch::Tensor::f_maximum,
            Reduction::Min => tch::Tensor::f_minimum,
            Reduction::Mul => tch::Tensor::f_mul,
        };
    let indices_t = indices.f_numpy_t().py()?;
    let rows = indices_t.size().first().copied().unwrap_or(0);
    for i in 0..rows {
        let idx = tuple_of(&select(&indices_t, 0, i, 0)?)?;
        let current = get(&outputs, &idx)?;
        let update = select(&updates, 0, i, 0)?;
        let combined = combine(&current, &update).py()?;
        set(&outputs, &idx, &combined)?;
    }
    output(&outputs)
}

/// The `shape` argument as `torch.zeros(shape, dtype=..., device=...)` parses it.
fn zeros_shape(v: &Value) -> R<Vec<i64>> {
    let invalid = |got: &str| {
        BackendError::type_error(format!(
            "zeros() received an invalid combination of arguments - got ({got}, device=str, dtype=torch.dtype), but expected one of:\n \
             * (tuple of ints size, *, tuple of names names, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False)\n \
             * (tuple of ints size, *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False)\n"
        ))
    };
    let dims = match v {
        Value::Int(i) => vec![*i],
        Value::List(items) | Value::Tuple(items) => {
            let mut dims = Vec::with_capacity(items.len());
            for (pos, item) in items.iter().enumerate() {
                match (item, py_int(item)) {
                    (_, Some(d)) => dims.push(d),
                    (Value::Float(_), _) => return Err(invalid(py_type_name(v))),
                    (other, None) => {
                        return Err(BackendError::type_error(format!(
                            "zeros(): argument 'size' failed to unpack the object at pos {} with error \"type must be tuple of ints,but got {}\"",
                            pos + 1,
                            py_type_name(other)
                        )))
                    }
                }
            }
            dims
        }
        other => return Err(invalid(py_type_name(other))),
    };
    if dims.iter().any(|&d| d < 0) {
        return Err(BackendError::raised(
            "RuntimeError",
            "zeros: Dimension size must be non-negative.",
        ));
    }
    Ok(dims)
}

/// `shape[index_length:]` of the `shape` argument (a list or tuple).
fn trailing_dims(shape: &Value, from: i64) -> R<Vec<i64>> {
    let items = match shape {
        Value::List(items) | Value::Tuple(items) => items,
        other => {
            return Err(BackendError::type_error(format!(
                "'{}' object is not subscriptable",
                py_type_name(other)
            )))
        }
    };
    let n = items.len() as i64;
    let from = if from < 0 {
        (from + n).max(0)
    } else {
        from.min(n)
    };
    Ok(items[from as usize..].iter().filter_map(py_int).collect())
}

/// `scatter(indices, values, shape)`: zeros of `shape` and `values`' dtype,
/// then, for each index row `i`, `zeros[tuple(indices[i])] += values[i]`
/// (Python indexing: out-of-range indices raise, negative ones wrap, float
/// ones raise `IndexError`, and an in-place add refuses a dtype it cannot
/// cast back).
pub fn scatter(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["indices", "values", "shape"], 3)?;
    let indices = tensor(ctx, a.req(0))?;
    let values = tensor(ctx, a.req(1))?;
    let shape = zeros_shape(a.req(2))?;
    let zeros = tch::Tensor::f_zeros(shape.as_slice(), (values.f_kind().py()?, ctx.device)).py()?;
    let index_length = *indices
        .size()
        .last()
        .ok_or_else(|| BackendError::raised("IndexError", "tuple index out of range"))?;
    let value_shape = trailing_dims(a.req(2), index_length)?;
    let indices = indices.f_reshape([-1, index_length]).py()?;
    let values = values
        .f_reshape([vec![-1], value_shape].concat().as_slice())
        .py()?;
    for i in 0..indices.size()[0] {
        let idx = tuple_of(&select(&indices, 0, i, 0)?)?;
        let target = get(&zeros, &idx)?;
        let value = select(&values, 0, i, 0)?;
        let target = target.shallow_clone().f_add_(&value).py()?;
        set(&zeros, &idx, &target)?;
    }
    output(&zeros)
}
