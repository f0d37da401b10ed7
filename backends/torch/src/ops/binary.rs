//! The `binary` group of ops (as in the reference backend's `ops::binary`), on
//! libtorch with Keras 3.15.1's torch-backend semantics: binary elementwise
//! math, comparisons, logical and bitwise ops, selection, and cumulative and
//! arg reductions.

mod arith;
mod bitwise;
mod compare;
mod float_fns;
mod reductions;
mod scan;
mod select;

use kconform_api::promote::Operand;
use kconform_api::{BackendError, OpCall, Value};

use super::Kernel;
use crate::args::{bind, py_type_name};
use crate::error::TorchResult;
use crate::keras::{dtype, output, tensor, Ctx, R};
use crate::ops::foundation::arith::divide;
use crate::pylist::{leaf, weak};

/// This group's ops, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[
    ("argmax", reductions::argmax),
    ("argmin", reductions::argmin),
    ("bitwise_and", bitwise::bitwise_and),
    ("bitwise_invert", bitwise::bitwise_invert),
    ("bitwise_not", bitwise::bitwise_not),
    ("bitwise_or", bitwise::bitwise_or),
    ("bitwise_xor", bitwise::bitwise_xor),
    ("count_nonzero", reductions::count_nonzero),
    ("cumprod", scan::cumprod),
    ("cumsum", scan::cumsum),
    ("divide_no_nan", arith::divide_no_nan),
    ("equal", compare::equal),
    ("floor_divide", arith::floor_divide),
    ("fmod", arith::fmod),
    ("gcd", arith::gcd),
    ("greater", compare::greater),
    ("greater_equal", compare::greater_equal),
    ("heaviside", float_fns::heaviside),
    ("hypot", float_fns::hypot),
    ("isclose", compare::isclose),
    ("lcm", arith::lcm),
    ("left_shift", bitwise::left_shift),
    ("less", compare::less),
    ("less_equal", compare::less_equal),
    ("logaddexp", float_fns::logaddexp),
    ("logaddexp2", float_fns::logaddexp2),
    ("logical_and", compare::logical_and),
    ("logical_or", compare::logical_or),
    ("logical_xor", compare::logical_xor),
    ("maximum", arith::maximum),
    ("minimum", arith::minimum),
    ("mod", arith::mod_),
    ("not_equal", compare::not_equal),
    ("right_shift", bitwise::right_shift),
    ("true_divide", divide),
    ("where", select::where_),
];

/// A torch op on two tensors, as tch exposes it.
type TorchBinary = fn(&tch::Tensor, &tch::Tensor) -> Result<tch::Tensor, tch::TchError>;

/// Binds `name(a, b)` (the parameter names Keras gives the op) and converts
/// both arguments with `convert_to_tensor`.
fn converted_pair(ctx: Ctx, call: &OpCall, names: [&str; 2]) -> R<(tch::Tensor, tch::Tensor)> {
    let a = bind(call, &names, 2)?;
    Ok((tensor(ctx, a.req(0))?, tensor(ctx, a.req(1))?))
}

/// The Keras-torch body `x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2);
/// return torch.<op>(x1, x2)`: torch's own promotion and broadcasting apply.
fn torch_binary(ctx: Ctx, call: &OpCall, names: [&str; 2], op: TorchBinary) -> R<Value> {
    let (x1, x2) = converted_pair(ctx, call, names)?;
    output(&op(&x1, &x2).py()?)
}

/// `getattr(x, "dtype", type(x))` as `result_type` reads it, for an argument
/// `v` that is either still a Python number (`isinstance(v, (int, float))`,
/// which a `bool` passes: weak unless a bool) or was converted to `converted`.
fn operand_of(v: &Value, converted: &tch::Tensor) -> R<Operand> {
    match leaf(v) {
        Some(number) => Ok(weak(number)),
        None => Ok(Operand::Strong(dtype(converted)?)),
    }
}

/// `getattr(x, "dtype", type(x))` of an argument *before* any conversion: a
/// NumPy array's own dtype (uint32 and bfloat16 included), or the weak type of
/// a Python number.
fn raw_operand(v: &Value) -> R<Operand> {
    match (v, leaf(v)) {
        (Value::Tensor(t), _) => Ok(Operand::Strong(t.dtype())),
        (_, Some(number)) => Ok(weak(number)),
        (other, None) => Err(BackendError::Unsupported(format!(
            "a {} where Keras reads `getattr(x, \"dtype\", type(x))`",
            py_type_name(other)
        ))),
    }
}

/// A 0-d zero of `x`'s dtype on `x`'s device: what torch compares against or
/// selects for a Python `0` next to `x` (`x == 0`, `torch.where(c, 0, x)`).
fn scalar_zero(x: &tch::Tensor) -> R<tch::Tensor> {
    tch::Tensor::f_zeros([0i64; 0], (x.f_kind().py()?, x.device())).py()
}

/// An `int` argument of a one-signature torch function (`torch.argmax`'s
/// `dim`), raising the `TypeError` torch's argument parser raises for anything
/// else (a `bool` included).
fn torch_int(v: &Value, function: &str, argument: &str) -> R<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(BackendError::type_error(format!(
            "{function}(): argument '{argument}' must be int, not {}",
            py_type_name(other)
        ))),
    }
}
