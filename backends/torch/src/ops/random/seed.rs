//! Keras-torch's seeding (`torch_seed_generator` and the `torch.manual_seed`
//! of gamma, binomial and beta, `keras/src/backend/torch/random.py`).
//!
//! Keras seeds a fresh `torch.Generator` per call with
//! `(seed[0] + seed[1]) & 0xFFFFFFFF`, where an integer seed `s` is drawn as
//! `[s, 0]` (bit-cast to int32). tch exposes only the global generator, so
//! each call holds [`RNG`] while it re-seeds the global generator and draws:
//! a freshly seeded generator and the re-seeded global one produce the same
//! stream. `gamma`, `binomial` and `beta` use the global generator in Keras too.

use std::sync::Mutex;

use kconform_api::python::py_type_name;
use kconform_api::{BackendError, Value};

use crate::keras::R;

/// Serializes every use of libtorch's global generator.
static RNG: Mutex<()> = Mutex::new(());

/// `draw_seed(seed)` for the seeds kconform passes, reduced to the value
/// `torch_seed_generator` seeds with.
pub fn seed_of(v: Option<&Value>) -> R<i64> {
    match v {
        Some(Value::Int(s)) => Ok((*s as u64 & 0xFFFF_FFFF) as i64),
        Some(Value::Bool(b)) => Ok(i64::from(*b)),
        // Drawn from a SeedGenerator by a program: int32 `first + second`,
        // whose low 32 bits seed the CPU generator.
        Some(Value::Seed([a, b])) => Ok(i64::from(a.wrapping_add(*b))),
        None | Some(Value::None) => Err(BackendError::Unsupported(
            "unseeded draws (Keras's global SeedGenerator)".into(),
        )),
        Some(other) => Err(BackendError::value_error(format!(
            "Argument `seed` must be either an integer or an instance of `SeedGenerator`. \
             Received: seed={} (of type <class '{}'>)",
            kconform_api::python::py_str(other),
            py_type_name(other)
        ))),
    }
}

/// Runs `draw` with the global generator seeded with `seed`, holding [`RNG`].
pub fn seeded<T>(seed: i64, draw: impl FnOnce() -> R<T>) -> R<T> {
    let _guard = RNG.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    tch::manual_seed(seed);
    draw()
}
