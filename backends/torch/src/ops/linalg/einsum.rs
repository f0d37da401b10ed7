//! `einsum(subscripts, *operands)` (`keras/src/backend/torch/numpy.py`).

use kconform_api::{BackendError, DType, OpCall, Value};

use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, tensor, Ctx, R};

/// `einsum(subscripts, *operands, **kwargs)`: every operand converted, then
/// `torch.einsum` (torch's promotion; extra keyword arguments are ignored, as
/// Keras-torch ignores them). Operands that are all int8 are contracted in
/// int32 (floatx on CUDA) and returned as int32.
///
/// With three or more operands PyTorch contracts along the path `opt_einsum`
/// picks; this kernel contracts left to right, which can change float
/// results in the last bits.
pub fn einsum(ctx: Ctx, call: &OpCall) -> R<Value> {
    let (subscripts, operands) = match (call.kwargs.get("subscripts"), call.args.split_first()) {
        (Some(_), Some(_)) => {
            return Err(BackendError::type_error(
                "einsum() got multiple values for argument 'subscripts'",
            ))
        }
        (Some(s), None) => (s, &[][..]),
        (None, Some((s, rest))) => (s, rest),
        (None, None) => {
            return Err(BackendError::type_error(
                "einsum() missing 1 required positional argument: 'subscripts'",
            ))
        }
    };
    let Value::Str(equation) = subscripts else {
        return Err(BackendError::Unsupported(format!(
            "`subscripts` as a {}",
            subscripts.kind()
        )));
    };
    let mut operands = operands
        .iter()
        .map(|v| tensor(ctx, v))
        .collect::<R<Vec<_>>>()?;
    if operands.is_empty() {
        return Err(BackendError::value_error(
            "einsum(): must specify the equation string and at least one operand, or at least \
             one operand and its subscripts list",
        ));
    }
    let dtypes = operands.iter().map(dtype).collect::<R<Vec<_>>>()?;
    if dtypes.iter().all(|&d| d == DType::Int8) {
        let compute = if ctx.device.is_cuda() {
            DType::Float32
        } else {
            DType::Int32
        };
        operands = operands
            .into_iter()
            .map(|x| cast(x, compute))
            .collect::<R<_>>()?;
        let out = tch::Tensor::f_einsum(equation, &operands, None::<&[i64]>).py()?;
        return output(&cast(out, DType::Int32)?);
    }
    output(&tch::Tensor::f_einsum(equation, &operands, None::<&[i64]>).py()?)
}
