//! `keras.ops.where` (`jnp.where`): three-argument selection with `jnp`
//! promotion, and the one-argument form (`jnp.nonzero`, a tuple of indices).

use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, IxDyn};

use super::lanes::lane_values;
use crate::args::{py_type_name, Args};
use crate::array::{from_vec, with_array, Array};
use crate::binary::promote;
use crate::broadcast::broadcast_shapes;
use crate::convert::{convert, Converted};
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{shape_repr, OpError, OpResult};

/// `a` with `value` wherever `mask` (broadcast to `a`'s shape) holds.
pub fn fill_where(a: Array, mask: &ArrayD<bool>, value: Scalar) -> OpResult<Array> {
    let bad = || OpError::Internal("mask does not broadcast".into());
    Ok(with_array!(a, v => {
        let mut v = v;
        let fill = Elem::from_scalar(value);
        let m = mask.broadcast(v.raw_dim()).ok_or_else(bad)?;
        ndarray::Zip::from(&mut v).and(&m).for_each(|e, &k| {
            if k {
                *e = fill;
            }
        });
        Elem::wrap(v)
    }))
}

/// Converts a `jnp.where` argument: lists are refused as `jnp` refuses them.
fn where_arg(v: &Value, position: usize) -> OpResult<Converted> {
    if matches!(v, Value::List(_) | Value::Tuple(_)) {
        return Err(OpError::Type(format!(
            "where requires ndarray or scalar arguments, got <class '{}'> at position {position}.",
            py_type_name(v)
        )));
    }
    convert(v)
}

/// `condition != 0` elementwise (floats flushed, NaN true).
fn truth(a: Array) -> ArrayD<bool> {
    if a.dtype() == DType::Bool {
        a.into_typed::<bool>()
    } else {
        lane_values(a).mapv(|v| v != 0.0)
    }
}

/// The broadcast of several shapes, or `jnp`'s `ValueError` listing them all.
fn broadcast_all(shapes: &[&[usize]]) -> OpResult<Vec<usize>> {
    shapes
        .iter()
        .try_fold(Vec::new(), |acc, s| broadcast_shapes(&acc, s))
        .ok_or_else(|| {
            let list: Vec<String> = shapes.iter().map(|s| shape_repr(s)).collect();
            OpError::Value(format!(
                "Incompatible shapes for broadcasting: shapes=[{}]",
                list.join(", ")
            ))
        })
}

/// `keras.ops.where(condition, x1=None, x2=None)`.
pub fn where_(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["condition", "x1", "x2"], 1)?;
    let (x1, x2) = (args.get(1), args.get(2));
    if x1.is_some() != x2.is_some() {
        return Err(OpError::Value(
            "`x1` and `x2` either both should be `None` or both should have non-None value.".into(),
        ));
    }
    let cond = where_arg(args.value(0), 0)?.array;
    let (Some(x1), Some(x2)) = (x1, x2) else {
        return nonzero(cond);
    };
    let (a, b) = (where_arg(x1, 1)?, where_arg(x2, 2)?);
    let dtype = promote(&[a.operand, b.operand])?;
    let shape = broadcast_all(&[cond.shape(), a.array.shape(), b.array.shape()])?;
    let cond = truth(cond);
    let bad = || OpError::Internal("broadcast to a non-broadcast shape".into());
    let c = cond.broadcast(IxDyn(&shape)).ok_or_else(bad)?;
    let (a, b) = (a.array.cast(dtype), b.array.cast(dtype));
    let out = with_array!(a, x => {
        let y = b.into_typed();
        let xv = x.broadcast(IxDyn(&shape)).ok_or_else(bad)?;
        let yv = y.broadcast(IxDyn(&shape)).ok_or_else(bad)?;
        let out = ndarray::Zip::from(&c).and(&xv).and(&yv).map_collect(|&k, &p, &q| if k { p } else { q });
        Elem::wrap(out)
    });
    tensor(out)
}

/// `jnp.nonzero(condition)`: one `int32` index array per dimension.
fn nonzero(cond: Array) -> OpResult<Value> {
    if cond.ndim() == 0 {
        return Err(OpError::Value(
            "Calling nonzero on 0d arrays is not allowed. Use jnp.atleast_1d(scalar).nonzero() \
             instead. If this is intended to be a boolean condition, use jnp.where(cond, x, y)."
                .into(),
        ));
    }
    let truth = truth(cond);
    let ndim = truth.ndim();
    let mut coords: Vec<Vec<i32>> = vec![Vec::new(); ndim];
    for (index, &k) in truth.indexed_iter() {
        if k {
            for (d, c) in coords.iter_mut().enumerate() {
                c.push(index[d] as i32);
            }
        }
    }
    let items = coords
        .into_iter()
        .map(|c| {
            let n = c.len();
            Ok(Value::Tensor(Array::I32(from_vec(&[n], c)?).into_tensor()?))
        })
        .collect::<OpResult<Vec<Value>>>()?;
    Ok(Value::Tuple(items))
}
