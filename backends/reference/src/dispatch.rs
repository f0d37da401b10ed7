//! The op table: `keras.ops` name → kernel.

use kconform_api::{OpCall, Value};

use crate::error::OpResult;
use crate::{
    binary, creation, elementwise, indexing, linalg, power, random, reduce, shape_ops, stats,
};

/// A kernel: evaluates one `keras.ops` call.
pub type Kernel = fn(&OpCall) -> OpResult<Value>;

/// Every implemented op, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[
    ("absolute", elementwise::absolute),
    ("add", binary::add),
    ("all", reduce::all),
    ("amax", reduce::amax),
    ("amin", reduce::amin),
    ("any", reduce::any),
    ("arange", creation::arange),
    ("arccos", elementwise::arccos),
    ("arcsin", elementwise::arcsin),
    ("arcsinh", elementwise::arcsinh),
    ("arctan", elementwise::arctan),
    ("arctan2", binary::arctan2),
    ("arctanh", elementwise::arctanh),
    ("cast", creation::cast),
    ("clip", binary::clip),
    ("concatenate", shape_ops::concatenate),
    ("conjugate", elementwise::conjugate),
    ("convert_to_tensor", creation::convert_to_tensor),
    ("diagonal", shape_ops::diagonal),
    ("divide", binary::divide),
    ("flip", shape_ops::flip),
    ("isfinite", elementwise::isfinite),
    ("isinf", elementwise::isinf),
    ("isnan", elementwise::isnan),
    ("matmul", linalg::matmul),
    ("max", reduce::max),
    ("mean", stats::mean),
    ("min", reduce::min),
    ("multiply", binary::multiply),
    ("ndim", shape_ops::ndim),
    ("power", power::power),
    ("prod", reduce::prod),
    ("random.categorical", random::categorical),
    ("random.dropout", random::dropout),
    ("random.normal", random::normal),
    ("random.randint", random::randint),
    ("random.shuffle", random::shuffle),
    ("random.truncated_normal", random::truncated_normal),
    ("random.uniform", random::uniform),
    ("reshape", shape_ops::reshape),
    ("squeeze", shape_ops::squeeze),
    ("std", stats::std),
    ("subtract", binary::subtract),
    ("sum", reduce::sum),
    ("take", indexing::take),
    ("take_along_axis", indexing::take_along_axis),
    ("var", stats::var),
];

/// The kernel of `op`, if implemented.
pub fn kernel(op: &str) -> Option<Kernel> {
    OPS.binary_search_by(|(name, _)| name.cmp(&op))
        .ok()
        .map(|i| OPS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(OPS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(OPS.len(), 47);
        assert!(kernel("take_along_axis").is_some());
        assert!(kernel("einsum").is_none());
    }
}
