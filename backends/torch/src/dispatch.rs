//! Op names to kernels.

use crate::ops::{arith, create, elementwise, index, linalg, random, reduce, shape, Kernel};

/// Every op this backend implements, by its `keras.ops` name.
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
    ("random.beta", random::beta),
    ("random.binomial", random::binomial),
    ("random.categorical", random::categorical),
    ("random.dropout", random::dropout),
    ("random.gamma", random::gamma),
    ("random.normal", random::normal),
    ("random.randint", random::randint),
    ("random.shuffle", random::shuffle),
    ("random.truncated_normal", random::truncated_normal),
    ("random.uniform", random::uniform),
    ("reshape", shape::reshape),
    ("squeeze", shape::squeeze),
    ("std", reduce::std),
    ("subtract", arith::subtract),
    ("sum", reduce::sum),
    ("take", index::take),
    ("take_along_axis", index::take_along_axis),
    ("var", reduce::var),
];

/// The kernel for `op`, if implemented.
pub fn kernel(op: &str) -> Option<Kernel> {
    OPS.iter().find(|(name, _)| *name == op).map(|(_, k)| *k)
}
