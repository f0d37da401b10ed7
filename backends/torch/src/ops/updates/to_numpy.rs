//! `convert_to_numpy`, as Keras 3.15.1's torch backend runs it: a NumPy
//! array is returned as is, anything else goes through `np.array`.

use kconform_api::tensor::Scalar;
use kconform_api::{BackendError, DType, OpCall, Tensor, Value};

use crate::args::bind;
use crate::keras::{Ctx, R};

/// What `np.array` finds in a nested Python value: the shape it can see
/// (`complete` when every branch agrees) and the leaves in row-major order.
struct Discovered<'a> {
    shape: Vec<usize>,
    complete: bool,
    leaves: Vec<&'a Value>,
}

/// NumPy's shape discovery: a sequence's shape is its length followed by the
/// longest prefix its items' shapes share; a NumPy array is a sequence of its
/// own shape.
fn discover(v: &Value) -> Discovered<'_> {
    match v {
        Value::List(items) | Value::Tuple(items) => {
            let parts: Vec<Discovered> = items.iter().map(discover).collect();
            let mut common: Option<Vec<usize>> = None;
            let mut complete = true;
            for p in &parts {
                complete &= p.complete;
                common = Some(match common {
                    None => p.shape.clone(),
                    Some(c) => {
                        let n = c.iter().zip(&p.shape).take_while(|(a, b)| a == b).count();
                        complete &= n == c.len() && n == p.shape.len();
                        c[..n].to_vec()
                    }
                });
            }
            let mut shape = vec![items.len()];
            shape.extend(common.unwrap_or_default());
            Discovered {
                shape,
                complete,
                leaves: parts.into_iter().flat_map(|p| p.leaves).collect(),
            }
        }
        Value::Tensor(t) => Discovered {
            shape: t.shape().to_vec(),
            complete: true,
            leaves: vec![v],
        },
        other => Discovered {
            shape: Vec::new(),
            complete: true,
            leaves: vec![other],
        },
    }
}

/// A shape as a Python tuple: `(2,)`, `(2, 3)`.
fn tuple_repr(shape: &[usize]) -> String {
    match shape {
        [d] => format!("({d},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The dtype `np.array` gives a value (`None` for an empty list: float64).
fn leaf_dtype(v: &Value) -> R<Option<DType>> {
    match v {
        Value::Bool(_) => Ok(Some(DType::Bool)),
        Value::Int(_) => Ok(Some(DType::Int64)),
        Value::Float(_) => Ok(Some(DType::Float64)),
        Value::Tensor(t) => Ok(Some(t.dtype())),
        Value::List(_) | Value::Tuple(_) => Ok(None),
        other => Err(BackendError::Unsupported(format!(
            "convert_to_numpy of a {} (an object array)",
            other.kind()
        ))),
    }
}

/// NumPy's promotion of Python scalars' dtypes (bool < int64 < float64), and
/// of arrays of one shared dtype; anything else is not modelled.
fn promote(dtypes: &[DType]) -> R<DType> {
    let rank = |d: DType| {
        [DType::Bool, DType::Int64, DType::Float64]
            .iter()
            .position(|&x| x == d)
    };
    if let Some(&first) = dtypes.first() {
        if dtypes.iter().all(|&d| d == first) {
            return Ok(first);
        }
    }
    dtypes
        .iter()
        .map(|&d| rank(d))
        .collect::<Option<Vec<_>>>()
        .and_then(|r| r.into_iter().max())
        .map(|i| [DType::Bool, DType::Int64, DType::Float64][i])
        .ok_or_else(|| BackendError::Unsupported("NumPy promotion of mixed array dtypes".into()))
}

/// `np.array(v)` of a Python scalar or a nested list or tuple.
fn numpy_array(v: &Value) -> R<Tensor> {
    if let Value::Tensor(t) = v {
        return Ok(t.clone());
    }
    let found = discover(v);
    if !found.complete {
        return Err(BackendError::value_error(format!(
            "setting an array element with a sequence. The requested array has an inhomogeneous \
             shape after {} dimensions. The detected shape was {} + inhomogeneous part.",
            found.shape.len(),
            tuple_repr(&found.shape)
        )));
    }
    let dtypes = found
        .leaves
        .iter()
        .map(|l| leaf_dtype(l))
        .collect::<R<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    let dtype = if dtypes.is_empty() {
        DType::Float64
    } else {
        promote(&dtypes)?
    };
    let mut scalars = Vec::new();
    for leaf in &found.leaves {
        match leaf {
            Value::Tensor(t) => scalars.extend((0..t.len()).map(|i| t.scalar(i))),
            Value::Bool(b) => scalars.push(Scalar::Bool(*b)),
            Value::Int(i) => scalars.push(Scalar::Int((*i).into())),
            Value::Float(f) => scalars.push(Scalar::Float(*f)),
            _ => {}
        }
    }
    Tensor::from_scalars(dtype, found.shape, &scalars)
        .map_err(|e| BackendError::Internal(e.to_string()))
}

/// `convert_to_numpy(x)`: a NumPy array comes back unchanged (every dtype,
/// uint16/32/64 and bfloat16 included); a list or tuple becomes
/// `np.array([np.array(e) for e in x])` and a Python scalar `np.array(x)`
/// (int64, float64 or bool; an empty list is float64; a ragged one raises
/// NumPy's `ValueError`).
pub fn convert_to_numpy(_ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    numpy_array(a.req(0)).map(Value::Tensor)
}
