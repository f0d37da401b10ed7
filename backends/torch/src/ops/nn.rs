//! The `nn` group of ops (as in the reference backend's `ops::nn`), on
//! libtorch with Keras 3.15.1's torch-backend semantics
//! (`keras/src/backend/torch/nn.py`): losses, convolutions, normalization.

mod conv;
mod conv_args;
mod conv_transpose;
mod keras_numpy;
mod losses;
mod moments;
mod normalization;
mod one_hot;
mod util;
mod utils_normalize;

use super::Kernel;

/// This group's ops, sorted by name.
pub const OPS: &[(&str, Kernel)] = &[
    ("batch_normalization", normalization::batch_normalization),
    ("binary_crossentropy", losses::binary_crossentropy),
    ("categorical_crossentropy", losses::categorical_crossentropy),
    ("conv", conv::conv),
    ("conv_transpose", conv_transpose::conv_transpose),
    ("depthwise_conv", conv::depthwise_conv),
    ("moments", moments::moments),
    ("normalize", normalization::normalize),
    ("one_hot", one_hot::one_hot),
    ("separable_conv", conv::separable_conv),
    (
        "sparse_categorical_crossentropy",
        losses::sparse_categorical_crossentropy,
    ),
    ("utils.normalize", utils_normalize::utils_normalize),
];
