//! Rules of ops that keep or rearrange the input's dimensions: `transpose`,
//! `expand_dims`, `swapaxes`, `moveaxis`, `ravel`, `broadcast_to`, `rot90`,
//! `fliplr`, `flipud`, `tril`, `triu`, `roll`, `sort`, `argsort`.

use super::super::util::{index, index_error};
use super::{items_of, len_of, list_of, shape_of};
use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{bind, broadcast_shapes, canonicalize_axis, require_spec, spec, Dims};
use crate::python::{py_repr, py_type_name};
use crate::value::{TensorSpec, Value};

type R = Result<Value, BackendError>;

/// The spec of the first parameter of a `(x, ...)` op.
fn input(
    call: &OpCall,
    params: &[&str],
    required: usize,
) -> Result<(TensorSpec, Vec<Option<Value>>), BackendError> {
    let args = bind(call, params, required)?;
    let x = require_spec(args[0], params[0])?;
    Ok((x, args.iter().map(|a| a.cloned()).collect()))
}

/// `operation_utils.compute_transpose_output_shape`.
pub fn transpose(call: &OpCall) -> R {
    let (x, args) = input(call, &["x", "axes"], 1)?;
    let ndim = x.shape.len();
    let Some(axes) = args[1].as_ref().filter(|v| !matches!(v, Value::None)) else {
        let mut shape = x.shape.clone();
        shape.reverse();
        return Ok(spec(shape, x.dtype));
    };
    let items = items_of(axes).ok_or_else(|| {
        len_of(axes)
            .err()
            .unwrap_or_else(|| BackendError::Unsupported("transpose axes given as a tensor".into()))
    })?;
    if items.len() != ndim {
        return Err(BackendError::value_error(format!(
            "axis must be a list of the same length as the input shape, expected {ndim}, but \
             received {}.",
            items.len()
        )));
    }
    let listed = || py_repr(&Value::List(items.to_vec()));
    let n = ndim as i64;
    let mut normalized = Vec::with_capacity(ndim);
    for ax in items {
        match ax {
            Value::Int(a) if (-n..n).contains(a) => normalized.push(a.rem_euclid(n) as usize),
            _ => {
                return Err(BackendError::value_error(format!(
                    "Each axis in `axes` must be an integer in [-{ndim}, {ndim}). Received: \
                     axes={}.",
                    listed()
                )))
            }
        }
    }
    let mut unique = normalized.clone();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != ndim {
        return Err(BackendError::value_error(format!(
            "`axes` must be a valid permutation of the input dimensions (no duplicates). \
             Received: axes={} for input of rank {ndim}.",
            listed()
        )));
    }
    Ok(spec(
        normalized.iter().map(|&a| x.shape[a]).collect(),
        x.dtype,
    ))
}

/// `ExpandDims`: the axis must be an int, tuple or list; repeated axes make
/// Keras's shape iterator run dry (`StopIteration`).
pub fn expand_dims(call: &OpCall) -> R {
    let (x, args) = input(call, &["x", "axis"], 2)?;
    let axis = args[1].clone().unwrap_or(Value::None);
    let axes: Vec<i64> = match &axis {
        Value::Int(_) | Value::Bool(_) => vec![index(&axis)?],
        Value::List(items) | Value::Tuple(items) => {
            items.iter().map(index).collect::<Result<_, _>>()?
        }
        other => {
            return Err(BackendError::value_error(format!(
                "The `axis` argument to `expand_dims` should be an integer, tuple or list. \
                 Received axis={}",
                py_repr(other)
            )))
        }
    };
    let out_ndim = axes.len() + x.shape.len();
    let canon = axes
        .iter()
        .map(|&a| canonicalize_axis(a, out_ndim))
        .collect::<Result<Vec<_>, _>>()?;
    let mut dims = x.shape.iter();
    let mut shape = Vec::with_capacity(out_ndim);
    for i in 0..out_ndim {
        if canon.contains(&i) {
            shape.push(Some(1));
        } else {
            let d = dims
                .next()
                .ok_or_else(|| BackendError::raised("StopIteration", ""))?;
            shape.push(*d);
        }
    }
    Ok(spec(shape, x.dtype))
}

/// `Swapaxes`: both axes canonicalized, their dimensions exchanged.
pub fn swapaxes(call: &OpCall) -> R {
    let (x, args) = input(call, &["x", "axis1", "axis2"], 3)?;
    let ndim = x.shape.len();
    let axis = |v: &Option<Value>| index(v.as_ref().unwrap_or(&Value::None));
    let a1 = canonicalize_axis(axis(&args[1])?, ndim)?;
    let a2 = canonicalize_axis(axis(&args[2])?, ndim)?;
    let mut shape = x.shape.clone();
    shape.swap(a1, a2);
    Ok(spec(shape, x.dtype))
}

/// `Moveaxis`, ported step by step (a repeated destination runs off the end
/// of Keras's list: `IndexError`; a repeated source is not checked).
pub fn moveaxis(call: &OpCall) -> R {
    let (x, args) = input(call, &["x", "source", "destination"], 3)?;
    let as_list = |v: &Value| -> Result<Vec<i64>, BackendError> {
        match v {
            Value::Int(_) | Value::Bool(_) => Ok(vec![index(v)?]),
            Value::List(items) | Value::Tuple(items) => items.iter().map(index).collect(),
            other => Err(len_of(other).err().unwrap_or_else(|| {
                BackendError::Unsupported("moveaxis axes given as a tensor".into())
            })),
        }
    };
    let (src_value, dst_value) = (
        args[1].clone().unwrap_or(Value::None),
        args[2].clone().unwrap_or(Value::None),
    );
    let (source, destination) = (as_list(&src_value)?, as_list(&dst_value)?);
    if source.len() != destination.len() {
        return Err(BackendError::value_error(format!(
            "`source` and `destination` arguments must have the same number of elements, but \
             received `source={}` and `destination={}`.",
            py_repr(&src_value),
            py_repr(&dst_value)
        )));
    }
    let ndim = x.shape.len();
    let canon = |list: &[i64]| -> Result<Vec<usize>, BackendError> {
        list.iter().map(|&a| canonicalize_axis(a, ndim)).collect()
    };
    let (sources, destinations) = (canon(&source)?, canon(&destination)?);
    // `-1` marks a free slot (Keras's sentinel), `Some(d)` a placed dimension.
    let mut in_shape: Vec<Option<Option<usize>>> = x.shape.iter().map(|&d| Some(d)).collect();
    let mut out: Vec<Option<Option<usize>>> = vec![None; ndim];
    for (&s, &d) in sources.iter().zip(&destinations) {
        out[d] = in_shape[s];
        in_shape[s] = None;
    }
    let (mut i, mut j) = (0, 0);
    while i < ndim {
        while i < ndim && out[i].is_some() {
            i += 1;
        }
        while j < ndim && in_shape[j].is_none() {
            j += 1;
        }
        if i == ndim {
            break;
        }
        out[i] = *in_shape
            .get(j)
            .ok_or_else(|| index_error("list index out of range"))?;
        i += 1;
        j += 1;
    }
    let shape: Dims = out.into_iter().map(|d| d.flatten()).collect();
    Ok(spec(shape, x.dtype))
}

/// `Ravel`: the product of the dimensions, unknown if any is.
pub fn ravel(call: &OpCall) -> R {
    let (x, _) = input(call, &["x"], 1)?;
    Ok(spec(vec![product(&x.shape)], x.dtype))
}

/// The number of elements of a shape, `None` if a dimension is unknown.
fn product(shape: &Dims) -> Option<usize> {
    shape
        .iter()
        .try_fold(1usize, |acc, d| d.map(|n| acc.saturating_mul(n)))
}

/// `BroadcastTo`: Keras's `broadcast_shapes` check, then the requested shape
/// as given (even one with fewer dimensions than the input).
pub fn broadcast_to(call: &OpCall) -> R {
    let (x, args) = input(call, &["x", "shape"], 2)?;
    let shape_value = args[1].clone().unwrap_or(Value::None);
    let Some(items) = items_of(&shape_value) else {
        return Err(BackendError::type_error(format!(
            "'{}' object is not iterable",
            py_type_name(&shape_value)
        )));
    };
    let shape: Dims = items
        .iter()
        .map(|d| match d {
            Value::None => Ok(None),
            Value::Int(n) if *n >= 0 => Ok(Some(*n as usize)),
            other => Err(BackendError::Unsupported(format!(
                "broadcast_to dimension {}",
                py_repr(other)
            ))),
        })
        .collect::<Result<_, _>>()?;
    broadcast_shapes(&x.shape, &shape)?;
    Ok(spec(shape, x.dtype))
}

/// `Rot90`: swaps the two axes' dimensions whatever `k` is (so `k=2`,
/// which keeps the shape in eager mode, gets the wrong shape symbolically).
pub fn rot90(call: &OpCall) -> R {
    let (x, args) = input(call, &["array", "k", "axes"], 1)?;
    let ndim = x.shape.len();
    if ndim < 2 {
        return Err(BackendError::value_error(format!(
            "Input array must have at least 2 dimensions. Received: array.shape={}",
            list_of(&x.shape)
        )));
    }
    let axes_value = args[2]
        .clone()
        .unwrap_or(Value::Tuple(vec![Value::Int(0), Value::Int(1)]));
    let pair: Vec<i64> = match items_of(&axes_value) {
        Some(items) => items.iter().map(index).collect::<Result<_, _>>()?,
        None => {
            return Err(len_of(&axes_value).err().unwrap_or_else(|| {
                BackendError::Unsupported("rot90 axes given as a tensor".into())
            }))
        }
    };
    if pair.len() != 2 || pair[0] == pair[1] {
        return Err(BackendError::value_error(format!(
            "Invalid axes: {}. Axes must be a tuple of two different dimensions.",
            py_repr(&axes_value)
        )));
    }
    // Python list indexing: negative indices count from the end.
    let n = ndim as i64;
    let at = |a: i64| -> Result<usize, BackendError> {
        if (-n..n).contains(&a) {
            Ok(a.rem_euclid(n) as usize)
        } else {
            Err(index_error("list index out of range"))
        }
    };
    let (a1, a2) = (at(pair[0])?, at(pair[1])?);
    let mut shape = x.shape.clone();
    shape.swap(a1, a2);
    Ok(spec(shape, x.dtype))
}

/// The same spec, after requiring at least `min_rank` dimensions.
fn flip_rule(call: &OpCall, name: &str, min_rank: usize, what: &str) -> R {
    let (x, _) = input(call, &["x"], 1)?;
    if x.shape.len() < min_rank {
        return Err(BackendError::value_error(format!(
            "`{name}` requires input with {what} dimensions. Received: x.shape={}",
            shape_of(&x)
        )));
    }
    Ok(spec(x.shape, x.dtype))
}

/// `Fliplr`: two or more dimensions.
pub fn fliplr(call: &OpCall) -> R {
    flip_rule(call, "fliplr", 2, "2 or more")
}

/// `Flipud`: one or more dimensions.
pub fn flipud(call: &OpCall) -> R {
    flip_rule(call, "flipud", 1, "1 or more")
}

/// `Tril`: the input's spec (no rank check, unlike eager mode).
pub fn tril(call: &OpCall) -> R {
    let (x, _) = input(call, &["x", "k"], 1)?;
    Ok(spec(x.shape, x.dtype))
}

/// `Triu`: the input's spec (no rank check, unlike eager mode).
pub fn triu(call: &OpCall) -> R {
    let (x, _) = input(call, &["x", "k"], 1)?;
    Ok(spec(x.shape, x.dtype))
}

/// `Roll`: the axes are checked, the spec kept.
pub fn roll(call: &OpCall) -> R {
    let (x, args) = input(call, &["x", "shift", "axis"], 2)?;
    if let Some(axis) = args[2].as_ref().filter(|v| !matches!(v, Value::None)) {
        let list: Vec<i64> = match items_of(axis) {
            Some(items) => items.iter().map(index).collect::<Result<_, _>>()?,
            None => vec![index(axis)?],
        };
        for a in list {
            canonicalize_axis(a, x.shape.len())?;
        }
    }
    Ok(spec(x.shape, x.dtype))
}

/// `Sort`/`Argsort`: the flattened length for `axis=None`, else the input's
/// shape (after checking the axis), in `dtype`.
fn sort_rule(call: &OpCall, dtype: Option<DType>) -> R {
    let (x, args) = input(call, &["x", "axis"], 1)?;
    let dtype = dtype.unwrap_or(x.dtype);
    match &args[1] {
        Some(Value::None) => Ok(spec(vec![product(&x.shape)], dtype)),
        axis => {
            let a = axis.as_ref().map_or(Ok(-1), index)?;
            canonicalize_axis(a, x.shape.len())?;
            Ok(spec(x.shape, dtype))
        }
    }
}

/// `Sort`.
pub fn sort(call: &OpCall) -> R {
    sort_rule(call, None)
}

/// `Argsort`: `int32` indices.
pub fn argsort(call: &OpCall) -> R {
    sort_rule(call, Some(DType::Int32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sym(shape: Dims) -> Value {
        Value::Spec(TensorSpec {
            shape,
            dtype: DType::Float32,
        })
    }

    #[test]
    fn moveaxis_ports_keras() {
        let c = OpCall::new(
            "moveaxis",
            vec![
                sym(vec![None, Some(3), Some(4)]),
                Value::Int(0),
                Value::Int(-1),
            ],
        );
        assert_eq!(
            moveaxis(&c).unwrap(),
            spec(vec![Some(3), Some(4), None], DType::Float32)
        );
        let dup = OpCall::new(
            "moveaxis",
            vec![
                sym(vec![None, Some(3), Some(4)]),
                Value::Tuple(vec![Value::Int(0), Value::Int(1)]),
                Value::Tuple(vec![Value::Int(1), Value::Int(1)]),
            ],
        );
        assert_eq!(
            moveaxis(&dup).unwrap_err(),
            BackendError::raised("IndexError", "list index out of range")
        );
    }
}
