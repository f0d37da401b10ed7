//! Reduction rules: `reduce_shape(x.shape, axis, keepdims)` with each op's dtype.

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{dtype_arg, float_dtype, promote, reduction};
use crate::promote::Operand;
use crate::value::Value;

/// `jnp`'s rule for sums and products: `bool`, `int8`, `int16` give `int32`,
/// `uint8`, `uint16` give `uint32`.
fn widen_small_ints(d: DType) -> DType {
    match d {
        DType::Bool | DType::Int8 | DType::Int16 => DType::Int32,
        DType::Uint8 | DType::Uint16 => DType::Uint32,
        other => other,
    }
}

/// `all`, `any`: `bool`.
pub fn logical(call: &OpCall) -> Result<Value, BackendError> {
    reduction(call, &[], |_, _| Ok(DType::Bool))
}

/// `amax`, `amin`: the input's dtype.
pub fn amax_amin(call: &OpCall) -> Result<Value, BackendError> {
    reduction(call, &[], |d, _| Ok(d))
}

/// `max`, `min` (with `initial`): the input's dtype.
pub fn extremum(call: &OpCall) -> Result<Value, BackendError> {
    reduction(call, &["initial"], |d, _| Ok(d))
}

/// `sum`: `result_type(x.dtype)` (64-bit narrowed), small integers widened.
pub fn sum(call: &OpCall) -> Result<Value, BackendError> {
    reduction(call, &[], |d, _| {
        Ok(widen_small_ints(promote(&[Operand::Strong(d)])?))
    })
}

/// `prod`: the `dtype` argument as given, else the input's dtype (not
/// narrowed) with small integers widened.
pub fn prod(call: &OpCall) -> Result<Value, BackendError> {
    reduction(call, &["dtype"], |d, args| {
        Ok(dtype_arg(args[3])?.unwrap_or_else(|| widen_small_ints(d)))
    })
}

/// `mean`: integers and `bool` give `result_type(x.dtype, "float32")`, floats
/// keep their dtype (`float64` included).
pub fn mean(call: &OpCall) -> Result<Value, BackendError> {
    reduction(call, &[], |d, _| {
        if d.is_float() {
            Ok(d)
        } else {
            promote(&[Operand::Strong(d), Operand::Strong(DType::Float32)])
        }
    })
}

/// `std`: integers and `bool` give `floatx()`, floats keep their dtype.
pub fn std(call: &OpCall) -> Result<Value, BackendError> {
    reduction(call, &[], |d, _| {
        Ok(if d.is_float() { d } else { DType::Float32 })
    })
}

/// `var`: `result_type(x.dtype, float)` (so `float64` narrows to `float32`).
pub fn var(call: &OpCall) -> Result<Value, BackendError> {
    reduction(call, &[], |d, _| float_dtype(d))
}
