//! Kernels: binary elementwise math, comparisons, logical and bitwise ops,
//! selection, and cumulative/arg reductions.

mod arith;
mod bitwise;
mod compare;
mod float_fns;
mod integer;
mod lanes;
mod reductions;
mod scan;
mod select;

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
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
    ("gcd", integer::gcd),
    ("greater", compare::greater),
    ("greater_equal", compare::greater_equal),
    ("heaviside", float_fns::heaviside),
    ("hypot", float_fns::hypot),
    ("isclose", compare::isclose),
    ("lcm", integer::lcm),
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
    ("true_divide", arith::true_divide),
    ("where", select::where_),
];
