//! Sign and arithmetic: `negative`, `sign`, `square`, `reciprocal`, `fabs`
//! (Keras 3.15.1 `backend/torch/numpy.py`).

use kconform_api::{DType, OpCall, Value};

use super::prepared_unary;
use crate::keras::{cast, Ctx, R};
use crate::ops::foundation::elementwise::unary;
use crate::ops::is_int_or_bool;

/// `negative(x)`: `torch.negative` (same dtype; integers wrap; bool raises
/// torch's RuntimeError about the `-` operator).
pub fn negative(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_negative)
}

/// `sign(x)`: `torch.sign` (same dtype, bool included).
pub fn sign(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_sign)
}

/// `square(x)`: bool is cast to int32, then `torch.square` (integers wrap).
pub fn square(ctx: Ctx, call: &OpCall) -> R<Value> {
    prepared_unary(
        ctx,
        call,
        |x, d| {
            if d == DType::Bool {
                cast(x, DType::Int32)
            } else {
                Ok(x)
            }
        },
        tch::Tensor::f_square,
    )
}

/// `reciprocal(x)`: `torch.reciprocal` (integers and bool give float32).
pub fn reciprocal(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_reciprocal)
}

/// Keras-torch's `"int" in dtype or dtype == "bool"` fix-up: such tensors
/// are cast to `floatx()` (float32), int64 included.
pub fn ints_to_floatx(x: tch::Tensor, d: DType) -> R<tch::Tensor> {
    if is_int_or_bool(d) {
        cast(x, DType::Float32)
    } else {
        Ok(x)
    }
}

/// `fabs(x)`: integers and bool cast to float32, then `torch.abs`.
pub fn fabs(ctx: Ctx, call: &OpCall) -> R<Value> {
    prepared_unary(ctx, call, ints_to_floatx, tch::Tensor::f_abs)
}
