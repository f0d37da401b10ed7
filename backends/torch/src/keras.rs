//! Keras's torch backend core (`keras/src/backend/torch/core.py`, 3.15.1):
//! `convert_to_tensor`, `cast`, `to_torch_dtype` and dtype standardization,
//! with kconform values standing for what the Keras adapter hands Keras
//! (a host tensor is a NumPy array, `Value::Int` a Python `int`, ...).

use kconform_api::promote::{self, Operand};
use kconform_api::{BackendError, DType, Tensor, Value};
use tch::{Device, Kind};

use crate::convert::{dtype_of_kind, from_tch, storage_kind, to_tch};
use crate::error::TorchResult;

/// Shorthand for results of op code.
pub type R<T> = Result<T, BackendError>;

/// What every op needs: the device tensors are created on.
#[derive(Clone, Copy, Debug)]
pub struct Ctx {
    /// Where new tensors live (`get_device()` in Keras).
    pub device: Device,
}

/// `to_torch_dtype`: Keras's `TORCH_DTYPES` table. `uint16` and `uint32` map to
/// `int32` and `int64` (torch "doesn't have" them, per Keras); `uint64` is not
/// in the table and raises.
pub fn to_torch_dtype(d: DType) -> R<Kind> {
    match d {
        DType::Uint64 => Err(BackendError::value_error(
            "Unsupported dtype for PyTorch: uint64",
        )),
        other => Ok(storage_kind(other)),
    }
}

/// `standardize_dtype(x.dtype)` of a torch tensor.
pub fn dtype(t: &tch::Tensor) -> R<DType> {
    let kind = t.f_kind().py()?;
    dtype_of_kind(kind).ok_or_else(|| BackendError::Unsupported(format!("torch dtype {kind:?}")))
}

/// `standardize_dtype(dtype)` of a `dtype=` argument (`None` is floatx).
pub fn dtype_arg(v: &Value) -> R<DType> {
    match v {
        Value::None => Ok(DType::Float32),
        Value::Str(s) if s == "int" => Ok(DType::Int32),
        Value::Str(s) => match s.parse::<DType>() {
            Ok(d) => Ok(d),
            Err(_)
                if [
                    "string",
                    "float8_e4m3fn",
                    "float8_e5m2",
                    "complex64",
                    "complex128",
                ]
                .contains(&s.as_str()) =>
            {
                Err(BackendError::Unsupported(format!("dtype {s}")))
            }
            Err(_) => Err(BackendError::value_error(format!("Invalid dtype: {s}"))),
        },
        other => Err(BackendError::Unsupported(format!(
            "a {} as a dtype",
            other.kind()
        ))),
    }
}

/// `cast(x, dtype)` on a torch tensor: `x.to(dtype)` unless it already is.
pub fn cast(x: tch::Tensor, d: DType) -> R<tch::Tensor> {
    let kind = to_torch_dtype(d)?;
    if x.f_kind().py()? == kind {
        Ok(x)
    } else {
        x.f_to_kind(kind).py()
    }
}

/// `result_type(*dtypes)` (Keras's lattice, 64-bit results narrowed).
pub fn result_type(operands: &[Operand]) -> R<DType> {
    promote::result_type(operands).map_err(|e| BackendError::Unsupported(e.to_string()))
}

/// A torch tensor back to a kconform value.
pub fn output(t: &tch::Tensor) -> R<Value> {
    Ok(Value::Tensor(from_tch(t)?))
}

/// A Python scalar leaf.
#[derive(Clone, Copy, Debug)]
enum Leaf {
    Bool(bool),
    Int(i64),
    Float(f64),
}

fn leaf(v: &Value) -> Option<Leaf> {
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
fn tensor_of_leaves(ctx: Ctx, leaves: &[Leaf], shape: Vec<usize>, kind: Kind) -> R<tch::Tensor> {
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
enum Nested<'a> {
    Scalars {
        shape: Vec<usize>,
        leaves: Vec<Leaf>,
    },
    Arrays {
        items: Vec<&'a Tensor>,
    },
}

fn seq(v: &Value) -> Option<&[Value]> {
    match v {
        Value::List(items) | Value::Tuple(items) => Some(items),
        _ => None,
    }
}

fn nested(items: &[Value]) -> R<Nested<'_>> {
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

fn weak(l: Leaf) -> Operand {
    match l {
        Leaf::Bool(_) => Operand::Strong(DType::Bool),
        Leaf::Int(_) => Operand::WeakInt,
        Leaf::Float(_) => Operand::WeakFloat,
    }
}

/// A host tensor (a NumPy array) as Keras's `convert_to_tensor` makes it a torch tensor.
fn array(ctx: Ctx, t: &Tensor, dtype: Option<DType>) -> R<tch::Tensor> {
    // Keras: a bfloat16 array goes through float32 and then *forces*
    // dtype="bfloat16", ignoring any dtype asked for; uint32 becomes int64.
    let target = if t.dtype() == DType::Bfloat16 {
        DType::Bfloat16
    } else {
        dtype.unwrap_or(t.dtype())
    };
    let kind = to_torch_dtype(target)?;
    let x = to_tch(t, ctx.device)?;
    if x.f_kind().py()? == kind {
        Ok(x)
    } else {
        x.f_to_kind(kind).py()
    }
}

/// `keras.ops.convert_to_tensor(x, dtype)` on the torch backend.
pub fn convert(ctx: Ctx, v: &Value, dtype: Option<DType>) -> R<tch::Tensor> {
    match v {
        Value::Tensor(t) => array(ctx, t, dtype),
        Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
            let l = leaf(v).ok_or_else(|| BackendError::Internal("scalar".into()))?;
            let kind = match (dtype, l) {
                (Some(d), _) => to_torch_dtype(d)?,
                (None, Leaf::Bool(_)) => Kind::Bool,
                (None, Leaf::Int(i)) if !(-(1 << 31)..1 << 31).contains(&i) => Kind::Int64,
                (None, Leaf::Int(_)) => Kind::Int,
                (None, Leaf::Float(_)) => Kind::Float,
            };
            tensor_of_leaves(ctx, &[l], vec![], kind)
        }
        Value::List(items) | Value::Tuple(items) => match nested(items)? {
            Nested::Scalars { shape, leaves } => {
                let d = match dtype {
                    Some(d) => d,
                    None => result_type(&leaves.iter().map(|&l| weak(l)).collect::<Vec<_>>())?,
                };
                tensor_of_leaves(ctx, &leaves, shape, to_torch_dtype(d)?)
            }
            Nested::Arrays { items } => {
                let d = match dtype {
                    Some(d) => d,
                    None => result_type(
                        &items
                            .iter()
                            .map(|t| Operand::Strong(t.dtype()))
                            .collect::<Vec<_>>(),
                    )?,
                };
                let kind = to_torch_dtype(d)?;
                if items.iter().any(|t| t.shape() != items[0].shape()) {
                    let (a, b) = (
                        items[0].shape(),
                        items
                            .iter()
                            .find(|t| t.shape() != items[0].shape())
                            .map(|t| t.shape()),
                    );
                    return Err(BackendError::value_error(format!(
                        "expected sequence of length {} at dim 1 (got {})",
                        a.first().copied().unwrap_or(0),
                        b.and_then(|s| s.first().copied()).unwrap_or(0)
                    )));
                }
                let parts = items
                    .iter()
                    .map(|t| to_tch(t, ctx.device)?.f_to_kind(kind).map_err(Into::into))
                    .collect::<Result<Vec<_>, crate::error::TorchError>>()?;
                tch::Tensor::f_stack(&parts, 0).py()
            }
        },
        Value::None | Value::Dict(_) => Err(BackendError::value_error("Invalid dtype: object")),
        Value::Str(s) => Err(BackendError::value_error(format!(
            "Invalid dtype: str{}",
            32 * s.chars().count()
        ))),
        Value::Spec(_) => Err(BackendError::Unsupported(
            "symbolic tensors in eager calls".into(),
        )),
    }
}

/// `convert_to_tensor(x)` with no dtype.
pub fn tensor(ctx: Ctx, v: &Value) -> R<tch::Tensor> {
    convert(ctx, v, None)
}
