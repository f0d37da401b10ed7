//! Every kconform case on the torch backend (CPU), as libtest trials.
//! Known differences from the goldens (recorded on Keras-JAX) are listed, each
//! with its reason, in `expected-failures/` (one file per op group). Under
//! cargo-nextest each case file is one trial, so libtorch loads ~250 times,
//! not once per case.

use kconform_torch::{TorchBackend, TorchDevice};

fn main() {
    let backend = match TorchBackend::new(TorchDevice::Cpu) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("kconform-torch: {e}");
            std::process::exit(2);
        }
    };
    kconform_harness::Harness::new(backend)
        .expect(concat!(env!("CARGO_MANIFEST_DIR"), "/expected-failures"))
        .group_by_file_under_nextest()
        .run();
}
