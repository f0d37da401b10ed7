//! `matmul`.

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};

use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{cast, dtype, output, result_type, tensor, Ctx, R};

/// Keras's `can_use_int_matmul`: `torch._int_mm` on CUDA for large enough 2-D int8 operands.
fn int_mm_applies(ctx: Ctx, x1: &tch::Tensor, x2: &tch::Tensor, d1: DType, d2: DType) -> bool {
    let (s1, s2) = (x1.size(), x2.size());
    ctx.device.is_cuda()
        && d1 == DType::Int8
        && d2 == DType::Int8
        && s1.len() == 2
        && s2.len() == 2
        && s1[0] > 16
        && s1[1] >= 16
        && s1[1] % 8 == 0
        && s2[0] >= 16
        && s2[0] % 8 == 0
        && s2[1] % 8 == 0
}

/// `matmul(x1, x2)`: int8 x int8 gives int32; otherwise `result_type` of the
/// two. Computed in float32 for bool, and for float16 on the CPU; on CUDA,
/// integer matmuls run in float32 (except the `torch._int_mm` shortcut).
pub fn matmul(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x1", "x2"], 2)?;
    let (x1, x2) = (tensor(ctx, a.req(0))?, tensor(ctx, a.req(1))?);
    let (d1, d2) = (dtype(&x1)?, dtype(&x2)?);
    if int_mm_applies(ctx, &x1, &x2, d1, d2) {
        if let Ok(out) = x1.f_internal_int_mm(&x2) {
            return output(&out);
        }
    }
    let result = if d1 == DType::Int8 && d2 == DType::Int8 {
        DType::Int32
    } else {
        result_type(&[Operand::Strong(d1), Operand::Strong(d2)])?
    };
    let mut compute = result;
    if compute == DType::Bool {
        compute = DType::Float32;
    }
    if ctx.device == tch::Device::Cpu && compute == DType::Float16 {
        compute = DType::Float32;
    }
    if ctx.device.is_cuda() && compute.is_integer() {
        compute = DType::Float32;
    }
    let (x1, x2) = (cast(x1, compute)?, cast(x2, compute)?);
    output(&cast(x1.f_matmul(&x2).py()?, result)?)
}
