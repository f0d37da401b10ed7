//! Kernels: unary elementwise math (`sin`, `exp`, `floor`, …).

mod arithmetic;
mod predicates;
mod rounding;
mod transcendental;

use crate::dispatch::Kernel;
use crate::elementwise;

use arithmetic::{fabs, negative, reciprocal, sign, square};
use predicates::{isneginf, isposinf, logical_not, nan_to_num, signbit};
use rounding::{ceil, floor, round, trunc};
use transcendental::{
    arccosh, cbrt, cos, cosh, deg2rad, erf, erfc, erfinv, exp, exp2, expm1, log, log10, log1p,
    log2, rad2deg, rsqrt, sin, sinc, sinh, sqrt, tan, tanh,
};

/// This group's kernels, sorted by op name.
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

/// JAX's `TypeError` for a primitive given a dtype outside `accepted`
/// (`lax.erf` on integers, `lax.neg` on bool, …).
fn rejected_dtype(
    primitive: &str,
    dtype: kconform_api::DType,
    accepted: &str,
) -> crate::error::OpError {
    crate::error::OpError::Type(format!(
        "{primitive} does not accept dtype {dtype}. Accepted dtypes are subtypes of {accepted}."
    ))
}

/// `finfo(dtype).max` of a float dtype (`float32`'s for the others).
fn finfo_max(dtype: kconform_api::DType) -> f64 {
    match dtype {
        kconform_api::DType::Float16 => half::f16::MAX.to_f64(),
        kconform_api::DType::Bfloat16 => half::bf16::MAX.to_f64(),
        _ => f64::from(f32::MAX),
    }
}
