//! The kconform backend API.
//!
//! One trait, [`Backend`], is all a backend implements. Everything crossing it is
//! plain data: host [`Tensor`]s, Python-like [`Value`]s for arguments and results,
//! and an [`OpCall`] naming a `keras.ops` function by its public name. YAML cases,
//! in-process Rust backends and the out-of-process real-Keras adapter all speak
//! these same types.
//!
//! Keras's dtype rules live here too ([`promote`]) so that every Rust backend
//! applies the same promotion lattice instead of re-deriving it.

pub mod backend;
pub mod call;
pub mod dtype;
pub mod error;
pub mod infer;
pub mod npy;
pub mod program;
pub mod promote;
pub mod python;
pub mod round;
pub mod tensor;
pub mod value;

pub use backend::{Backend, BackendInfo, Capabilities, Feature};
pub use call::OpCall;
pub use dtype::DType;
pub use error::BackendError;
pub use program::{Program, Step};
pub use tensor::{Tensor, TensorData, TensorError};
pub use value::{TensorSpec, Value};
