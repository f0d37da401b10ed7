//! Python scalars and nested lists as `torch.as_tensor` stores them: the
//! overflow checks, the rounding and truncation, and the shape discovery of
//! ragged lists (with PyTorch's error messages).

use kconform_api::promote::Operand;
use kconform_api::{BackendError, DType, Tensor, Value};
use tch::Kind;

use crate::convert::{dtype_of_kind, to_tch};
use crate::error::TorchResult;
use crate::keras::{Ctx, R};

/// A Python scalar leaf.
#[derive(Clone, Copy, Debug)]
pub enum Leaf {
    /// `bool`
    Bool(bool),
    /// `int`
    Int(i64),
    /// `float`
    Float(f64),
}

/// The Python scalar `v` is, if it is one.
pub fn leaf(v: &Value) -> Option<Leaf> {
    match v {
        Value::Bool(b) => Some(Leaf::Bool(*b)),
        Value::Int(i) => Some(Leaf::Int(*i)),
        Value::Float(f) => Some(Leaf::Float(*f)),
        _ => None,
    }
}

fn overflow(kind: Kind) -> BackendError {
    let name = dtype_of_kind(kind).map(DType::name).unwrap_or("?");
    BackendError::raised(
        "RuntimeError",
        format!("value cannot be converted to type {name} without overflow"),
    )
}

/// Integer range `(lowest, max)` of an integral kind.
fn int_range(kind: Kind) -> Option<(i128, i128)> {
    Some(match kind {
        Kind::Uint8 => (0, 255),
        Kind::Int8 => (-128, 127),
        Kind::Int16 => (i16::MIN.into(), i16::MAX.into()),
        Kind::Int => (i32::MIN.into(), i32::MAX.into()),
        Kind::Int64 => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    })
}

/// One Python scalar stored into a tensor of `kind`, as `torch.as_tensor`
/// stores it: floats round (overflowing to ±inf), bools are `!= 0`, ints must fit
/// (unsigned targets wrap values down to `-max`), floats into ints truncate
/// after a range check. Returned as the `f64`/`i64` to store.
#[derive(Clone, Copy)]
enum Stored {
    I(i64),
    F(f64),
}

fn store(l: Leaf, kind: Kind) -> R<Stored> {
    let as_f64 = match l {
        Leaf::Bool(b) => f64::from(u8::from(b)),
        Leaf::Int(i) => i as f64,
        Leaf::Float(f) => f,
    };
    match kind {
        // NaN != 0.0, so NaN stores as true, as in torch.
        Kind::Bool => Ok(Stored::I(i64::from(as_f64 != 0.0))),
        Kind::Half | Kind::BFloat16 | Kind::Float | Kind::Double => Ok(Stored::F(as_f64)),
        _ => {
            let (lo, hi) = int_range(kind)
                .ok_or_else(|| BackendError::Unsupported(format!("storing into {kind:?}")))?;
            match l {
                Leaf::Bool(b) => Ok(Stored::I(i64::from(b))),
                Leaf::Int(i) => {
                    let i = i128::from(i);
                    let ok = if lo == 0 {
                        -hi <= i && i <= hi
                    } else {
                        lo <= i && i <= hi
                    };
                    if !ok {
                        return Err(overflow(kind));
                    }
                    let wrapped = if lo == 0 { i.rem_euclid(hi + 1) } else { i };
                    Ok(Stored::I(wrapped as i64))
                }
                Leaf::Float(f) => {
                    if f.is_nan() || f < lo as f64 || f > hi as f64 {
                        return Err(overflow(kind));
                    }
                    Ok(Stored::I(f.trunc() as i64))
                }
            }
        }
    }
}

/// Builds a tensor of `kind` and `shape` from Python scalars, stored as
/// `torch.as_tensor` stores them.
pub fn tensor_of_leaves(
    ctx: Ctx,
    leaves: &[Leaf],
    shape: Vec<usize>,
    kind: Kind,
) -> R<tch::Tensor> {
    let stored: Vec<Stored> = leaves.iter().map(|&l| store(l, kind)).collect::<R<_>>()?;
    let host = if matches!(
        kind,
        Kind::Half | Kind::BFloat16 | Kind::Float | Kind::Double
    ) {
        let v = stored
            .iter()
            .map(|s| if let Stored::F(f) = s { *f } else { 0.0 })
            .collect();
        Tensor::new(shape, kconform_api::TensorData::Float64(v))
    } else {
        let v = stored
            .iter()
            .map(|s| if let Stored::I(i) = s { *i } else { 0 })
            .collect();
        Tensor::new(shape, kconform_api::TensorData::Int64(v))
    }
    .map_err(|e| BackendError::Internal(e.to_string()))?;
    // f64 -> half/bfloat16 goes through float, as c10::Half(double) does.
    to_tch(&host, ctx.device)?.f_to_kind(kind).py()
}

/// The nested-list structure of a Python list argument.
pub enum Nested<'a> {
    /// Nested lists of Python scalars: the shape, and the leaves in row-major order.
    Scalars {
        shape: Vec<usize>,
        leaves: Vec<Leaf>,
    },
    /// A flat list of arrays (each a sequence to torch).
    Arrays { items: Vec<&'a Tensor> },
}

fn seq(v: &Value) -> Option<&[Value]> {
    match v {
        Value::List(items) | Value::Tuple(items) => Some(items),
        _ => None,
    }
}

pub fn nested(items: &[Value]) -> R<Nested<'_>> {
    // torch.as_tensor sizes a list by its first item: len() of a 0-d array fails.
    if matches!(items.first(), Some(Value::Tensor(t)) if t.rank() == 0) {
        return Err(BackendError::type_error("len() of unsized object"));
    }
    if !items.is_empty() && items.iter().all(|v| matches!(v, Value::Tensor(_))) {
        let arrays: Vec<&Tensor> = items.iter().filter_map(Value::as_tensor).collect();
        // torch.as_tensor takes each array as a sequence: len() of a 0-d one fails.
        if arrays.iter().any(|t| t.rank() == 0) {
            return Err(BackendError::type_error("len() of unsized object"));
        }
        return Ok(Nested::Arrays { items: arrays });
    }
    // Shape from the first element at each depth, then check every element.
    let mut shape = vec![items.len()];
    let mut probe = items.first();
    while let Some(inner) = probe.and_then(seq) {
        shape.push(inner.len());
        probe = inner.first();
    }
    let mut leaves = Vec::new();
    fn walk(v: &[Value], depth: usize, shape: &[usize], out: &mut Vec<Leaf>) -> R<()> {
        if v.len() != shape[depth] {
            return Err(BackendError::value_error(format!(
                "expected sequence of length {} at dim {depth} (got {})",
                shape[depth],
                v.len()
            )));
        }
        for item in v {
            match (seq(item), depth + 1 < shape.len()) {
                (Some(inner), true) => walk(inner, depth + 1, shape, out)?,
                (None, false) => out.push(leaf(item).ok_or_else(|| match item {
                    Value::Tensor(_) => {
                        BackendError::Unsupported("a list mixing arrays and scalars".into())
                    }
                    other => BackendError::Unsupported(format!("a {} inside a list", other.kind())),
                })?),
                (Some(_), false) => {
                    return Err(BackendError::type_error(
                        "'list' object cannot be interpreted as an integer",
                    ))
                }
                (None, true) => return Err(BackendError::type_error("not a sequence")),
            }
        }
        Ok(())
    }
    walk(items, 0, &shape, &mut leaves)?;
    Ok(Nested::Scalars { shape, leaves })
}

/// A leaf's operand in Keras's `result_type` (`type(x)`: int and float are weak).
pub fn weak(l: Leaf) -> Operand {
    match l {
        Leaf::Bool(_) => Operand::Strong(DType::Bool),
        Leaf::Int(_) => Operand::WeakInt,
        Leaf::Float(_) => Operand::WeakFloat,
    }
}

/// `torch.as_tensor([a, b, ...], dtype=kind)` for same-shape arrays: stacked.
pub fn stack_arrays(ctx: Ctx, items: &[&Tensor], kind: Kind) -> R<tch::Tensor> {
    if let Some(odd) = items.iter().find(|t| t.shape() != items[0].shape()) {
        return Err(BackendError::value_error(format!(
            "expected sequence of length {} at dim 1 (got {})",
            items[0].shape().first().copied().unwrap_or(0),
            odd.shape().first().copied().unwrap_or(0)
        )));
    }
    let parts = items
        .iter()
        .map(|t| to_tch(t, ctx.device)?.f_to_kind(kind).py())
        .collect::<R<Vec<_>>>()?;
    tch::Tensor::f_stack(&parts, 0).py()
}
