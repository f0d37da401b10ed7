//! Inference rules: the ops of the foundation suite (elementwise, reductions,
//! indexing, shape ops, creation), one module per kind of op.

mod binary;
mod creation;
mod reduce;
mod shape;
mod unary;

use super::Rule;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
    ("absolute", unary::same_dtype),
    ("add", binary::promoted),
    ("all", reduce::logical),
    ("amax", reduce::amax_amin),
    ("amin", reduce::amax_amin),
    ("any", reduce::logical),
    ("arange", creation::arange),
    ("arccos", unary::float_unary),
    ("arcsin", unary::float_unary),
    ("arcsinh", unary::float_unary),
    ("arctan", unary::float_unary),
    ("arctan2", binary::arctan2),
    ("arctanh", unary::float_unary),
    ("cast", creation::cast),
    ("clip", unary::clip),
    ("concatenate", shape::concatenate),
    ("conjugate", unary::same_dtype),
    ("convert_to_tensor", creation::convert_to_tensor),
    ("diagonal", shape::diagonal),
    ("divide", binary::divide),
    ("flip", shape::flip),
    ("isfinite", unary::classify),
    ("isinf", unary::classify),
    ("isnan", unary::classify),
    ("matmul", binary::matmul),
    ("max", reduce::extremum),
    ("mean", reduce::mean),
    ("min", reduce::extremum),
    ("multiply", binary::promoted),
    ("ndim", shape::ndim),
    ("power", binary::promoted),
    ("prod", reduce::prod),
    ("reshape", shape::reshape),
    ("squeeze", shape::squeeze),
    ("std", reduce::std),
    ("subtract", binary::promoted),
    ("sum", reduce::sum),
    ("take", shape::take),
    ("take_along_axis", shape::take_along_axis),
    ("var", reduce::var),
];
