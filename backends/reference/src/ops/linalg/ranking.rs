//! `top_k` (`lax.top_k`: NaN ranks highest, `0.0` above `-0.0`, ties keep
//! index order) and `in_top_k` (rank of the target's prediction).

use std::cmp::Ordering;

use kconform_api::tensor::Scalar;
use kconform_api::{OpCall, Value};
use ndarray::{ArrayD, Axis, IxDyn};

use crate::args::{index, py_type_name, Args};
use crate::array::{from_vec, with_array, Array};
use crate::broadcast::{broadcast_or_raise, zip_map};
use crate::convert::{to_array, to_array_strict};
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{OpError, OpResult};

/// The value of `x` as `lax.top_k` orders it (floats by total order with
/// every NaN on top).
fn sort_key(s: Scalar) -> (u8, f64) {
    match s {
        Scalar::Float(f) if f.is_nan() => (1, 0.0),
        other => (0, other.as_f64()),
    }
}

fn descending(a: Scalar, b: Scalar) -> Ordering {
    let (ka, kb) = (sort_key(a), sort_key(b));
    kb.0.cmp(&ka.0).then(kb.1.total_cmp(&ka.1))
}

/// `keras.ops.top_k(x, k, sorted=True)`: `[values, indices]` along the last
/// axis (a list, as `lax.top_k` returns it), always sorted (JAX ignores
/// `sorted`).
pub fn top_k(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "k", "sorted"], 2)?;
    let xv = args.value(0);
    if matches!(xv, Value::List(_) | Value::Tuple(_)) {
        return Err(OpError::Type(format!(
            "Error interpreting argument to top_k as a JAX value. The problematic value is of \
             type <class '{}'> and was passed to top_k at position 0.",
            py_type_name(xv)
        )));
    }
    let x = to_array(xv)?;
    let k = index(args.value(1))?;
    let ndim = x.ndim();
    if ndim == 0 {
        return Err(OpError::Value(
            "axis -1 is out of bounds for array of dimension 0".into(),
        ));
    }
    let n = x.shape()[ndim - 1];
    if k < 0 {
        return Err(OpError::Value(format!(
            "k argument to top_k must be nonnegative, got {k}"
        )));
    }
    let k = k as usize;
    if k > n {
        let dims: Vec<String> = x.shape().iter().map(|d| d.to_string()).collect();
        return Err(OpError::Value(format!(
            "k argument to top_k must be no larger than size along axis; got k={k} with \
             shape=[{}] and axis={}",
            dims.join(", "),
            ndim - 1
        )));
    }
    let mut shape = x.shape().to_vec();
    shape[ndim - 1] = k;
    let rows = x.len().checked_div(n).unwrap_or(0);
    let mut indices: Vec<i32> = Vec::with_capacity(rows * k);
    let (values, indices) = with_array!(x, a => {
        let flat: Vec<_> = a.iter().copied().collect();
        let mut vals = Vec::with_capacity(rows * k);
        for r in 0..rows {
            let row = &flat[r * n..(r + 1) * n];
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&i, &j| descending(row[i].scalar(), row[j].scalar()));
            for &i in &order[..k] {
                vals.push(row[i]);
                indices.push(i as i32);
            }
        }
        (Elem::wrap(from_vec(&shape, vals)?), from_vec(&shape, indices)?)
    });
    Ok(Value::List(vec![
        Value::Tensor(values.into_tensor()?),
        Value::Tensor(Array::I32(indices).into_tensor()?),
    ]))
}

/// `keras.ops.in_top_k(targets, predictions, k)`: the prediction at each
/// target (gathered with JAX's fill for out-of-range targets, NaN read as
/// `-inf`) ranks `1 + #(predictions above it)`, which must be `<= k`.
pub fn in_top_k(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["targets", "predictions", "k"], 3)?;
    let targets = to_array_strict(args.value(0), "expand_dims")?;
    to_array_strict(args.value(1), "take_along_axis")?;
    let k = index(args.value(2))?;
    let mut expanded = targets.shape().to_vec();
    expanded.push(1);
    let targets = targets.reshaped(&expanded)?;
    let gathered = crate::indexing::take_along_axis(&OpCall::new(
        "take_along_axis",
        vec![
            args.value(1).clone(),
            Value::Tensor(targets.into_tensor()?),
            Value::Int(-1),
        ],
    ))?;
    let at_label = match gathered {
        Value::Tensor(t) => Array::from_tensor(&t)?,
        _ => return Err(OpError::Internal("take_along_axis result".into())),
    };
    // `where(isnan(p), -inf, p)` promotes integers and bool to `float32`.
    let as_f32 =
        |a: Array| -> ArrayD<f32> { with_array!(a, v => v.mapv(|e| e.scalar().as_f64() as f32)) };
    let label = as_f32(at_label).mapv(|v| if v.is_nan() { f32::NEG_INFINITY } else { v });
    let preds = as_f32(to_array(args.value(1))?);
    let shape = broadcast_or_raise("gt", preds.shape(), label.shape())?;
    let greater = zip_map(&preds, &label, &shape, |p, l| p > l)?;
    let last = Axis(shape.len().saturating_sub(1));
    let out = if shape.is_empty() {
        greater.mapv(|g| i64::from(g) < k)
    } else {
        greater
            .map_axis(last, |lane| 1 + lane.iter().filter(|&&g| g).count() as i64)
            .mapv(|rank| rank <= k)
            .into_dimensionality::<IxDyn>()
            .map_err(|e| OpError::Internal(e.to_string()))?
    };
    tensor(Array::Bool(out))
}
