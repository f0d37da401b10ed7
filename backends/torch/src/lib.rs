//! kconform's libtorch backend.
//!
//! [`TorchBackend`] runs `keras.ops` calls on libtorch (through `tch`) the way
//! Keras 3.15.1's torch backend does: the same argument handling, the same
//! `convert_to_tensor` (Python scalars become 0-d int32/float32/bool tensors;
//! uint16/uint32 arrays become int32/int64; uint64 is refused), the same torch
//! calls, and so torch's own dtype promotion and numerics. Where that differs
//! from Keras on JAX (whose goldens the suite holds), the difference is kept and
//! listed in `expected-failures/`, not papered over.
//!
//! Building needs libtorch: `export LIBTORCH=$(bash scripts/setup-torch.sh | tail -1)`.
//! The build bakes an rpath to it into every binary, so running needs nothing.

#![warn(missing_docs)]

mod args;
mod backend;
pub mod convert;
pub mod device;
mod dispatch;
pub mod error;
mod keras;
mod ops;
mod pylist;
mod raw;
mod shim;

pub use backend::{TorchBackend, LIBTORCH_VERSION};
pub use device::{cuda_device_count, TorchDevice};
pub use error::TorchError;
