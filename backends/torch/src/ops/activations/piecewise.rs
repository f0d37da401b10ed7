//! Piecewise activations: `relu`, `relu6`, `hard_sigmoid`, `hard_silu`,
//! `hard_tanh` (one torch function each), and `sparse_plus`,
//! `sparse_sigmoid` and `squareplus`, which Keras-torch writes as Python
//! expressions of torch calls (reproduced call for call, Python numbers
//! entering as wrapped numbers, so torch's promotion and integer wrapping apply).

use kconform_api::{OpCall, Value};

use super::py_number;
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{convert, dtype, output, tensor, Ctx, R};
use crate::ops::foundation::elementwise::unary;
use crate::shim::{call_op, OpArg, PyScalar};

/// `relu(x)`: `tnn.relu` (`torch.relu`; integers keep their dtype).
pub fn relu(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_relu)
}

/// `relu6(x)`: `tnn.relu6` (`hardtanh(x, 0, 6)`).
pub fn relu6(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_relu6)
}

/// `hard_sigmoid(x)`: `tnn.hardsigmoid` (`relu6(x + 3) / 6`, float tensors only).
pub fn hard_sigmoid(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_hardsigmoid)
}

/// `hard_silu(x)` (and `hard_swish`): `tnn.hardswish`.
pub fn hard_silu(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_hardswish)
}

/// `hard_tanh(x)`: `tnn.hardtanh(x, min_val=-1.0, max_val=1.0)`, torch's
/// defaults (integer tensors keep their dtype).
pub fn hard_tanh(ctx: Ctx, call: &OpCall) -> R<Value> {
    unary(ctx, call, tch::Tensor::f_hardtanh)
}

/// `t ** n` for a Python number `n`: `torch.pow(t, n)` (the `Tensor_Scalar` overload).
fn pow_scalar(t: &tch::Tensor, n: i64) -> R<tch::Tensor> {
    call_op(
        "aten::pow",
        "Tensor_Scalar",
        &[OpArg::Tensor(t), OpArg::Int(n)],
    )
    .py()
}

/// `torch.tensor(v, device=x.device, dtype=x.dtype)`.
fn full_like_scalar(ctx: Ctx, x: &tch::Tensor, v: f64) -> R<tch::Tensor> {
    convert(ctx, &Value::Float(v), Some(dtype(x)?))
}

/// `sparse_sigmoid(x)`: Keras-torch's
/// `where(x <= -1, tensor(0.0, dtype=x.dtype), where(x >= 1, tensor(1.0, dtype=x.dtype), 0.5 * (x + 1)))`
/// (for uint8, `-1` compares as 255).
pub fn sparse_sigmoid(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let low = x.f_le_tensor(&py_number(PyScalar::Int(-1))?).py()?;
    let high = x.f_ge_tensor(&py_number(PyScalar::Int(1))?).py()?;
    let middle = py_number(PyScalar::Float(0.5))?
        .f_mul(&x.f_add(&py_number(PyScalar::Int(1))?).py()?)
        .py()?;
    let upper = full_like_scalar(ctx, &x, 1.0)?
        .f_where_self(&high, &middle)
        .py()?;
    output(
        &full_like_scalar(ctx, &x, 0.0)?
            .f_where_self(&low, &upper)
            .py()?,
    )
}

/// `sparse_plus(x)`: Keras-torch's
/// `where(x <= -1, zeros_like(x), where(x < 1, (1 / 4) * (x + 1) ** 2, x))`.
pub fn sparse_plus(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let low = x.f_le_tensor(&py_number(PyScalar::Int(-1))?).py()?;
    let inner = x.f_lt_tensor(&py_number(PyScalar::Int(1))?).py()?;
    let square = pow_scalar(&x.f_add(&py_number(PyScalar::Int(1))?).py()?, 2)?;
    let quadratic = py_number(PyScalar::Float(0.25))?.f_mul(&square).py()?;
    let upper = quadratic.f_where_self(&inner, &x).py()?;
    output(&x.f_zeros_like().py()?.f_where_self(&low, &upper).py()?)
}

/// `squareplus(x, b=4)`: `b` converted to a tensor (a 0-d int32 or float32
/// one for a Python number), then `(x + sqrt(x ** 2 + b)) / 2`.
pub fn squareplus(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["x", "b"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let b = match a.get(1) {
        Some(v) => tensor(ctx, v)?,
        None => tensor(ctx, &Value::Int(4))?,
    };
    let root = pow_scalar(&x, 2)?.f_add(&b).py()?.f_sqrt().py()?;
    let y = x.f_add(&root).py()?;
    output(&y.f_div(&py_number(PyScalar::Int(2))?).py()?)
}
