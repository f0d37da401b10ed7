//! The `unary` group of ops (as in the reference backend's `ops::unary`), on
//! libtorch with Keras 3.15.1's torch-backend semantics: unary elementwise
//! math (`sin`, `exp`, `floor`, …).

mod arithmetic;
mod predicates;
mod rounding;
mod transcendental;

use kconform_api::{DType, OpCall, Value};

use super::foundation::elementwise;
use super::Kernel;
use crate::args::{bind, py_type_name};
use crate::error::TorchResult;
use crate::keras::{dtype, output, tensor, Ctx, R};

use arithmetic::{fabs, negative, reciprocal, sign, square};
use predicates::{isneginf, isposinf, logical_not, nan_to_num, signbit};
use rounding::{ceil, floor, round, trunc};
use transcendental::{
    arccosh, cbrt, cos, cosh, deg2rad, erf, erfc, erfinv, exp, exp2, expm1, log, log10, log1p,
    log2, rad2deg, rsqrt, sin, sinc, sinh, sqrt, tan, tanh,
};

/// This group's ops, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[
    // `keras.ops.abs` is `absolute` under another name (Keras 3.15.1 `ops/numpy.py`).
    ("abs", elementwise::absolute),
    ("arccosh", arccosh),
    ("cbrt", cbrt),
    ("ceil", ceil),
    ("cos", cos),
    ("cosh", cosh),
    ("deg2rad", deg2rad),
    ("erf", erf),
    ("erfc", erfc),
    ("erfinv", erfinv),
    ("exp", exp),
    ("exp2", exp2),
    ("expm1", expm1),
    ("fabs", fabs),
    ("floor", floor),
    ("isneginf", isneginf),
    ("isposinf", isposinf),
    ("log", log),
    ("log10", log10),
    ("log1p", log1p),
    ("log2", log2),
    ("logical_not", logical_not),
    ("nan_to_num", nan_to_num),
    ("negative", negative),
    ("rad2deg", rad2deg),
    ("reciprocal", reciprocal),
    ("round", round),
    ("rsqrt", rsqrt),
    ("sign", sign),
    ("signbit", signbit),
    ("sin", sin),
    ("sinc", sinc),
    ("sinh", sinh),
    ("sqrt", sqrt),
    ("square", square),
    ("tan", tan),
    ("tanh", tanh),
    ("trunc", trunc),
];

/// A torch function of one tensor, as tch exposes it.
type TorchFn = fn(&tch::Tensor) -> Result<tch::Tensor, tch::TchError>;

/// Keras-torch's dtype fix-up before the torch call: the converted tensor and
/// its standardized dtype in, the tensor torch is given out.
type Prepare = fn(tch::Tensor, DType) -> R<tch::Tensor>;

/// `x = convert_to_tensor(x)`, Keras's dtype fix-up `prepare`, then `f(x)`.
fn prepared_unary(ctx: Ctx, call: &OpCall, prepare: Prepare, f: TorchFn) -> R<Value> {
    let a = bind(call, &["x"], 1)?;
    let x = tensor(ctx, a.req(0))?;
    let d = dtype(&x)?;
    output(&f(&prepare(x, d)?).py()?)
}

/// The type name PyTorch's argument parser prints for a Python value (a host
/// tensor is a NumPy array).
fn torch_type_name(v: &Value) -> &'static str {
    match v {
        Value::Tensor(_) => "numpy.ndarray",
        other => py_type_name(other),
    }
}
