//! Keras's torch backend core (`keras/src/backend/torch/core.py`, 3.15.1):
//! `convert_to_tensor`, `cast`, `to_torch_dtype` and dtype standardization,
//! with kconform values standing for what the Keras adapter hands Keras
//! (a host tensor is a NumPy array, `Value::Int` a Python `int`, ...).

use kconform_api::promote::{self, Operand};
use kconform_api::{BackendError, DType, Tensor, Value};
use tch::{Device, Kind};

use crate::convert::{dtype_of_kind, from_tch, storage_kind, to_tch};
use crate::error::TorchResult;
use crate::pylist::{leaf, nested, stack_arrays, tensor_of_leaves, weak, Leaf, Nested};

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
    let mut x = to_tch(t, ctx.device)?;
    if t.dtype() == DType::Bfloat16 {
        // The float32 copy is exact; torch's conversion back to bfloat16 is
        // the one Keras's goes through (it makes every NaN 0xFFFF, sign set).
        x = x.f_to_kind(Kind::Float).py()?;
    }
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
                stack_arrays(ctx, &items, to_torch_dtype(d)?)
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
        // A drawn seed is the int32 `[2]` state tensor on Keras-torch.
        Value::Seed(words) => array(
            ctx,
            &kconform_api::program::SeedDtype::Int32.tensor(*words),
            dtype,
        ),
        Value::Ref(_) => Err(BackendError::Unsupported(
            "program references in kernels".into(),
        )),
    }
}

/// `convert_to_tensor(x)` with no dtype.
pub fn tensor(ctx: Ctx, v: &Value) -> R<tch::Tensor> {
    convert(ctx, v, None)
}
