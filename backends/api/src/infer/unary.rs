//! Inference rules: unary elementwise math (`sin`, `exp`, `floor`, …),
//! each mirroring its op's `compute_output_spec` in Keras 3.15.1.

use super::util::{float_dtype, promote, same_shape};
use super::Rule;
use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::promote::Operand;
use crate::value::Value;

type Out = Result<Value, BackendError>;

/// A one-parameter op (`x`) whose output dtype is `dtype_of(x.dtype)`.
fn unary(call: &OpCall, dtype_of: fn(DType) -> Result<DType, BackendError>) -> Out {
    same_shape(call, &["x"], 1, dtype_of)
}

/// The input dtype unchanged (`KerasTensor(x.shape, dtype=x.dtype)`).
fn keep(d: DType) -> Result<DType, BackendError> {
    Ok(d)
}

/// Always `bool` (the predicates).
fn boolean(_: DType) -> Result<DType, BackendError> {
    Ok(DType::Bool)
}

/// Always `floatx()` (`Reciprocal` builds `KerasTensor(x.shape)`).
fn floatx(_: DType) -> Result<DType, BackendError> {
    Ok(DType::Float32)
}

/// `Exp`, `Exp2`, `Expm1`, `Fabs`: `floatx()` for integers and bool, else unchanged.
fn int_to_floatx(d: DType) -> Result<DType, BackendError> {
    Ok(if d.is_float() { d } else { DType::Float32 })
}

/// `Erfc`: `result_type(x.dtype, float)` (no `int64` special case).
fn with_float(d: DType) -> Result<DType, BackendError> {
    promote(&[Operand::Strong(d), Operand::WeakFloat])
}

/// `Cbrt`: `floatx()` for bool and the 8- to 32-bit integers, `float64`
/// for `int64`, anything else unchanged (`uint64` included).
fn cbrt_dtype(d: DType) -> Result<DType, BackendError> {
    Ok(match d {
        DType::Int64 => DType::Float64,
        DType::Uint64 => DType::Uint64,
        d if !d.is_float() => DType::Float32,
        d => d,
    })
}

/// `Deg2rad`, `Rad2deg`: `float64` for `int64` and `float64`, half floats
/// kept, `floatx()` otherwise.
fn angle_dtype(d: DType) -> Result<DType, BackendError> {
    Ok(match d {
        DType::Int64 | DType::Float64 => DType::Float64,
        DType::Float16 | DType::Bfloat16 => d,
        _ => DType::Float32,
    })
}

/// `Square`: bool becomes `int32`, anything else unchanged.
fn square_dtype(d: DType) -> Result<DType, BackendError> {
    Ok(if d == DType::Bool { DType::Int32 } else { d })
}

macro_rules! unary_rules {
    ($($name:ident => $dtype:expr;)*) => {
        $(
            #[doc = concat!("`keras.ops.", stringify!($name), "`.")]
            fn $name(call: &OpCall) -> Out {
                unary(call, $dtype)
            }
        )*
    };
}

unary_rules! {
    abs => keep;
    arccosh => float_dtype;
    cbrt => cbrt_dtype;
    ceil => float_dtype;
    cos => float_dtype;
    cosh => float_dtype;
    deg2rad => angle_dtype;
    erf => keep;
    erfc => with_float;
    erfinv => keep;
    exp => int_to_floatx;
    exp2 => int_to_floatx;
    expm1 => int_to_floatx;
    fabs => int_to_floatx;
    floor => float_dtype;
    isneginf => boolean;
    isposinf => boolean;
    log => float_dtype;
    log10 => float_dtype;
    log1p => float_dtype;
    log2 => float_dtype;
    logical_not => boolean;
    negative => keep;
    rad2deg => angle_dtype;
    reciprocal => floatx;
    rsqrt => keep;
    sign => keep;
    signbit => boolean;
    sin => float_dtype;
    sinc => float_dtype;
    sinh => float_dtype;
    sqrt => float_dtype;
    square => square_dtype;
    tan => float_dtype;
    tanh => float_dtype;
    trunc => keep;
}

/// `keras.ops.round(x, decimals=0)`: the input dtype.
fn round(call: &OpCall) -> Out {
    same_shape(call, &["x", "decimals"], 1, keep)
}

/// `keras.ops.nan_to_num(x, nan=0.0, posinf=None, neginf=None)`: the input dtype.
fn nan_to_num(call: &OpCall) -> Out {
    same_shape(call, &["x", "nan", "posinf", "neginf"], 1, keep)
}

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
    ("abs", abs),
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
