//! The `shape` group of ops (as in the reference backend's `ops::shape`), on
//! libtorch with Keras 3.15.1's torch-backend semantics: one submodule per
//! kind of op, plus the reading of arguments the way PyTorch's argument
//! parser (`torch_args`) and Python itself (`py`) read them.

mod fill;
mod join;
mod pad;
mod permute;
mod py;
mod repeat;
mod sort;
mod space;
mod split;
mod torch_args;
mod triangle;

use kconform_api::Value;

use super::Kernel;
use crate::keras::{output, R};

/// This group's ops, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[
    ("argsort", sort::argsort),
    ("array_split", split::array_split),
    ("broadcast_to", permute::broadcast_to),
    ("expand_dims", permute::expand_dims),
    ("eye", triangle::eye),
    ("fliplr", permute::fliplr),
    ("flipud", permute::flipud),
    ("full", fill::full),
    ("full_like", fill::full_like),
    ("hstack", join::hstack),
    ("identity", triangle::identity),
    ("linspace", space::linspace),
    ("logspace", space::logspace),
    ("moveaxis", permute::moveaxis),
    ("ones", fill::ones),
    ("ones_like", fill::ones_like),
    ("pad", pad::pad),
    ("ravel", permute::ravel),
    ("repeat", repeat::repeat),
    ("roll", repeat::roll),
    ("rot90", permute::rot90),
    ("sort", sort::sort),
    ("split", split::split),
    ("stack", join::stack),
    ("swapaxes", permute::swapaxes),
    ("tile", repeat::tile),
    ("transpose", permute::transpose),
    ("tri", triangle::tri),
    ("tril", triangle::tril),
    ("triu", triangle::triu),
    ("unstack", split::unstack),
    ("vstack", join::vstack),
    ("zeros", fill::zeros),
    ("zeros_like", fill::zeros_like),
];

/// Several torch tensors as the Python list Keras returns.
fn outputs(parts: &[tch::Tensor]) -> R<Value> {
    parts
        .iter()
        .map(output)
        .collect::<R<Vec<_>>>()
        .map(Value::List)
}
