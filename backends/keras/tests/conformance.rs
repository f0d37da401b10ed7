//! The whole conformance suite against real Keras (JAX backend): every case's
//! expectation is checked live, goldens included.
//!
//! Needs `KCONFORM_KERAS_PYTHON` (set by `scripts/test.sh`). Without it the
//! target runs no trials and says why, unless `KCONFORM_REQUIRE_ORACLE=1`, in
//! which case a missing oracle is an error.

use kconform_keras::{KerasBackend, KerasConfig};

fn main() {
    match KerasConfig::from_env("jax").and_then(KerasBackend::new) {
        Ok(backend) => kconform_harness::Harness::new(backend).run(),
        Err(e) if std::env::var_os("KCONFORM_REQUIRE_ORACLE").is_some() => {
            eprintln!("kconform: the keras:jax oracle is required but unavailable: {e}");
            std::process::exit(2);
        }
        Err(e) => {
            eprintln!("kconform: keras:jax conformance trials not run: {e}");
            libtest_mimic::run(&libtest_mimic::Arguments::from_args(), Vec::new()).exit()
        }
    }
}
