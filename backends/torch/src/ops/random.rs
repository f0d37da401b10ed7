//! `keras.random` with Keras-torch's exact streams and errors
//! (`keras/src/backend/torch/random.py`, 3.15.1): the seeding in [`seed`],
//! the generator draws in [`streams`], [`dropout`], [`shuffle`], and the
//! torch.distributions samplers in [`distributions`].

mod constraints;
mod distributions;
mod dropout;
mod params;
mod seed;
mod shuffle;
mod streams;
mod tensor_repr;

/// The seeded `keras.random` ops, sorted by name.
pub const OPS: &[(&str, crate::ops::Kernel)] = &[
    ("random.beta", distributions::beta),
    ("random.binomial", distributions::binomial),
    ("random.categorical", streams::categorical),
    ("random.dropout", dropout::dropout),
    ("random.gamma", distributions::gamma),
    ("random.normal", streams::normal),
    ("random.randint", streams::randint),
    ("random.shuffle", shuffle::shuffle),
    ("random.truncated_normal", streams::truncated_normal),
    ("random.uniform", streams::uniform),
];
