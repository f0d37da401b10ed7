//! The op table: `keras.ops` name → kernel.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use kconform_api::{OpCall, Value};

use crate::error::OpResult;
use crate::{
    binary, creation, elementwise, indexing, linalg, ops, power, random, reduce, shape_ops, stats,
};

/// A kernel: evaluates one `keras.ops` call.
pub type Kernel = fn(&OpCall) -> OpResult<Value>;

/// The foundation suite's ops, sorted by name.
const CORE: &[(&str, Kernel)] = &[
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
    ("reshape", shape_ops::reshape),
    ("squeeze", shape_ops::squeeze),
    ("std", stats::std),
    ("subtract", binary::subtract),
    ("sum", reduce::sum),
    ("take", indexing::take),
    ("take_along_axis", indexing::take_along_axis),
    ("var", stats::var),
];

/// Every group's table: the foundation suite's, then one per module of [`crate::ops`].
const GROUPS: &[&[(&str, Kernel)]] = &[
    CORE,
    ops::activations::OPS,
    ops::unary::OPS,
    ops::binary::OPS,
    ops::shape::OPS,
    ops::linalg::OPS,
    ops::nn::OPS,
    ops::spectral::OPS,
    ops::updates::OPS,
];

fn table() -> &'static BTreeMap<&'static str, Kernel> {
    static TABLE: OnceLock<BTreeMap<&'static str, Kernel>> = OnceLock::new();
    TABLE.get_or_init(|| GROUPS.iter().flat_map(|g| g.iter().copied()).collect())
}

/// Every implemented op name, sorted.
pub fn ops() -> impl Iterator<Item = &'static str> {
    table().keys().copied()
}

/// The kernel of `op`, if implemented.
pub fn kernel(op: &str) -> Option<Kernel> {
    table().get(op).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        let mut total = 0;
        for g in GROUPS {
            assert!(g.windows(2).all(|w| w[0].0 < w[1].0), "unsorted group");
            total += g.len();
        }
        assert_eq!(total, table().len(), "an op is in two groups");
        assert!(table().len() >= 47);
        assert!(kernel("take_along_axis").is_some());
        assert!(kernel("no_such_op").is_none());
    }
}
