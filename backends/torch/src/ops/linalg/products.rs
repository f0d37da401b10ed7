//! Products: `cross`, `dot`, `inner`, `kron`, `outer`, `tensordot`, `vdot`
//! (`keras/src/backend/torch/numpy.py`). `dot`, `inner`, `tensordot` and
//! `vdot` compute in `result_type(x1, x2, float)` (float32 for float16 on
//! the CPU) and cast back to `result_type(x1, x2)`, so integer products are
//! computed in float32 and truncated; `kron` and `outer` use torch's own
//! promotion.

use kconform_api::promote::Operand;
use kconform_api::{BackendError, DType, OpCall, Value};

use super::int_arg;
use crate::args::{bind, py_repr, py_type_name};
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, result_type, tensor, Ctx, R};
use crate::ops::torch_int;

/// Both operands of `name(x1, x2)`, converted.
fn operands(ctx: Ctx, call: &OpCall) -> R<(tch::Tensor, tch::Tensor)> {
    let a = bind(call, &["x1", "x2"], 2)?;
    Ok((tensor(ctx, a.req(0))?, tensor(ctx, a.req(1))?))
}

/// Keras-torch's float-computed products: both operands cast to
/// `result_type(result, float)` (float32 for float16 on the CPU), and the
/// dtype to cast the result back to, `result_type(x1, x2)`.
fn in_float(ctx: Ctx, x1: tch::Tensor, x2: tch::Tensor) -> R<(tch::Tensor, tch::Tensor, DType)> {
    let result = result_type(&[Operand::Strong(dtype(&x1)?), Operand::Strong(dtype(&x2)?)])?;
    let mut compute = result_type(&[Operand::Strong(result), Operand::WeakFloat])?;
    if ctx.device == tch::Device::Cpu && compute == DType::Float16 {
        compute = DType::Float32;
    }
    Ok((cast(x1, compute)?, cast(x2, compute)?, result))
}

/// `cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None)`: Keras-torch
/// refuses `axisa`/`axisb`/`axisc`, then `torch.cross(dim=axis)` (with no
/// `axis`, torch's first dimension of size 3) in `result_type(x1, x2)`
/// (float16 through float32 on the CPU, bfloat16 on CUDA).
pub fn cross(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x1", "x2", "axisa", "axisb", "axisc", "axis"], 2)?;
    let minus_one = Value::Int(-1);
    let given: Vec<&Value> = (2..5).map(|i| a.get(i).unwrap_or(&minus_one)).collect();
    // Python's `axisa != -1`: -1.0 equals -1 too.
    let is_minus_one = |v: &Value| match v {
        Value::Int(i) => *i == -1,
        Value::Float(f) => *f == -1.0,
        _ => false,
    };
    if !given.iter().all(|v| is_minus_one(v)) {
        return Err(BackendError::value_error(format!(
            "Torch backend does not support `axisa`, `axisb`, or `axisc`. Received: axisa={}, \
             axisb={}, axisc={}. Please use `axis` arg in torch backend.",
            py_repr(given[0]),
            py_repr(given[1]),
            py_repr(given[2])
        )));
    }
    let (x1, x2) = (tensor(ctx, a.req(0))?, tensor(ctx, a.req(1))?);
    let result = result_type(&[Operand::Strong(dtype(&x1)?), Operand::Strong(dtype(&x2)?)])?;
    let compute = match result {
        DType::Bfloat16 if ctx.device.is_cuda() => DType::Float32,
        DType::Float16 if ctx.device == tch::Device::Cpu => DType::Float32,
        other => other,
    };
    let axis = a
        .opt(5)
        .map(|v| torch_int(v, "cross", "dim", None))
        .transpose()?;
    let (x1, x2) = (cast(x1, compute)?, cast(x2, compute)?);
    output(&cast(x1.f_cross(&x2, axis).py()?, result)?)
}

/// `dot(x1, x2)`: `torch.multiply` when either is 0-d, else `torch.matmul`,
/// computed in float.
pub fn dot(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (x1, x2) = operands(ctx, call)?;
    let (x1, x2, result) = in_float(ctx, x1, x2)?;
    let out = if x1.dim() == 0 || x2.dim() == 0 {
        x1.f_mul(&x2)
    } else {
        x1.f_matmul(&x2)
    };
    output(&cast(out.py()?, result)?)
}

/// `inner(x1, x2)`: `torch.inner`, computed in float.
pub fn inner(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (x1, x2) = operands(ctx, call)?;
    let (x1, x2, result) = in_float(ctx, x1, x2)?;
    output(&cast(x1.f_inner(&x2).py()?, result)?)
}

/// `vdot(x1, x2)`: `torch.vdot` (1-D operands only), computed in float.
pub fn vdot(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (x1, x2) = operands(ctx, call)?;
    let (x1, x2, result) = in_float(ctx, x1, x2)?;
    output(&cast(x1.f_vdot(&x2).py()?, result)?)
}

/// `kron(x1, x2)`: `torch.kron` (torch's promotion).
pub fn kron(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (x1, x2) = operands(ctx, call)?;
    output(&x1.f_kron(&x2).py()?)
}

/// `outer(x1, x2)`: `torch.outer` of the flattened operands (torch's promotion).
pub fn outer(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (x1, x2) = operands(ctx, call)?;
    let (x1, x2) = (x1.f_flatten(0, -1).py()?, x2.f_flatten(0, -1).py()?);
    output(&x1.f_outer(&x2).py()?)
}

/// One side of a tensordot axes pair (`dims_self` or `dims_other` of
/// `_VF.tensordot`): a list or tuple of ints, or one int (which Keras wraps in
/// a tuple).
fn axes_side(v: &Value, param: &str, position: usize) -> R<Vec<i64>> {
    let one = std::slice::from_ref(v);
    let items = match v {
        Value::List(items) | Value::Tuple(items) => items.as_slice(),
        _ => one,
    };
    items
        .iter()
        .enumerate()
        .map(|(i, x)| {
            int_arg(x, "axes").map_err(|_| {
                BackendError::type_error(format!(
                    "tensordot(): argument '{param}' (position {position}) must be tuple of \
                     ints, but found element of type {} at pos {i}",
                    py_type_name(x)
                ))
            })
        })
        .collect()
}

/// The `(dims_a, dims_b)` that Keras's axes handling and `torch.tensordot`'s
/// Python wrapper make of `axes`.
fn tensordot_dims(axes: &Value, nd1: usize, nd2: usize) -> R<(Vec<i64>, Vec<i64>)> {
    match axes {
        Value::List(pair) | Value::Tuple(pair) => match pair.as_slice() {
            [first, second] => Ok((
                axes_side(first, "dims_self", 3)?,
                axes_side(second, "dims_other", 4)?,
            )),
            _ if pair.len() > 2 => Err(BackendError::value_error(
                "too many values to unpack (expected 2)",
            )),
            _ => Err(BackendError::value_error(format!(
                "not enough values to unpack (expected 2, got {})",
                pair.len()
            ))),
        },
        Value::Int(_) | Value::Bool(_) => {
            let n = int_arg(axes, "axes")?;
            if n < 0 {
                return Err(BackendError::raised(
                    "RuntimeError",
                    format!("tensordot expects dims >= 0, but got dims={n}"),
                ));
            }
            if n as usize > nd1.min(nd2) {
                return Err(BackendError::raised(
                    "RuntimeError",
                    format!("tensordot expects dims < ndim_a or ndim_b, but got dims={n}"),
                ));
            }
            Ok(((-n..0).collect(), (0..n).collect()))
        }
        other => Err(BackendError::raised(
            "RuntimeError",
            format!(
                "tensordot expects dims to be int or tuple[list[int], list[int]] or \
                 list[list[int]] containing two lists, but got dims={}",
                py_repr(other)
            ),
        )),
    }
}

/// `tensordot(x1, x2, axes=2)`: `torch.tensordot`, computed in float; a pair
/// of ints `(a, b)` is taken as `((a,), (b,))`.
pub fn tensordot(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x1", "x2", "axes"], 2)?;
    let (x1, x2) = (tensor(ctx, a.req(0))?, tensor(ctx, a.req(1))?);
    let (x1, x2, result) = in_float(ctx, x1, x2)?;
    let (d1, d2) = tensordot_dims(a.get(2).unwrap_or(&Value::Int(2)), x1.dim(), x2.dim())?;
    output(&cast(
        x1.f_tensordot(&x2, d1.as_slice(), d2.as_slice()).py()?,
        result,
    )?)
}
