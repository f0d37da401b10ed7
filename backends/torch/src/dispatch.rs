//! Op names to kernels: every group's sorted table, merged.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::ops::{
    activations, binary, foundation, linalg, nn, random, shape, spectral, unary, updates, Kernel,
};

/// Every group's table: the foundation suite's, `keras.random`, then one per
/// op group (the same groups as the reference backend's).
const GROUPS: &[&[(&str, Kernel)]] = &[
    foundation::OPS,
    random::OPS,
    activations::OPS,
    unary::OPS,
    binary::OPS,
    shape::OPS,
    linalg::OPS,
    nn::OPS,
    spectral::OPS,
    updates::OPS,
];

fn table() -> &'static BTreeMap<&'static str, Kernel> {
    static TABLE: OnceLock<BTreeMap<&'static str, Kernel>> = OnceLock::new();
    TABLE.get_or_init(|| GROUPS.iter().flat_map(|g| g.iter().copied()).collect())
}

/// Every implemented op name, sorted.
pub fn ops() -> impl Iterator<Item = &'static str> {
    table().keys().copied()
}

/// The kernel for `op`, if implemented.
pub fn kernel(op: &str) -> Option<Kernel> {
    table().get(op).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_sorted_and_disjoint() {
        let mut total = 0;
        for g in GROUPS {
            assert!(g.windows(2).all(|w| w[0].0 < w[1].0), "unsorted group");
            total += g.len();
        }
        assert_eq!(total, table().len(), "an op is in two groups");
        assert!(kernel("take_along_axis").is_some());
        assert!(kernel("no_such_op").is_none());
    }
}
