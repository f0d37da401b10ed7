//! The whole conformance suite on the reference backend: one libtest trial per
//! case (`ops::absolute::f32_specials::reference`), compared with the goldens
//! recorded from real Keras.

fn main() {
    kconform_harness::Harness::new(kconform_reference::ReferenceBackend::new()).run()
}
