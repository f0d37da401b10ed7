//! The foundation suite's ops (the first 40), one module per kind of op.

pub mod arith;
pub mod create;
pub mod elementwise;
pub mod index;
pub mod linalg;
pub mod reduce;
pub mod shape;

use super::Kernel;

/// The foundation suite's ops, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[
    ("absolute", elementwise::absolute),
    ("add", arith::add),
    ("all", reduce::all),
    ("amax", reduce::amax),
    ("amin", reduce::amin),
    ("any", reduce::any),
    ("arange", create::arange),
    ("arccos", elementwise::arccos),
    ("arcsin", elementwise::arcsin),
    ("arcsinh", elementwise::arcsinh),
    ("arctan", elementwise::arctan),
    ("arctan2", arith::arctan2),
    ("arctanh", elementwise::arctanh),
    ("cast", create::cast),
    ("clip", elementwise::clip),
    ("concatenate", shape::concatenate),
    ("conjugate", elementwise::conjugate),
    ("convert_to_tensor", create::convert_to_tensor),
    ("diagonal", shape::diagonal),
    ("divide", arith::divide),
    ("flip", shape::flip),
    ("isfinite", elementwise::isfinite),
    ("isinf", elementwise::isinf),
    ("isnan", elementwise::isnan),
    ("matmul", linalg::matmul),
    ("max", reduce::max),
    ("mean", reduce::mean),
    ("min", reduce::min),
    ("multiply", arith::multiply),
    ("ndim", shape::ndim),
    ("power", arith::power),
    ("prod", reduce::prod),
    ("reshape", shape::reshape),
    ("squeeze", shape::squeeze),
    ("std", reduce::std),
    ("subtract", arith::subtract),
    ("sum", reduce::sum),
    ("take", index::take),
    ("take_along_axis", index::take_along_axis),
    ("var", reduce::var),
];
