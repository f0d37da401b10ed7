//! With the `torch` feature, bakes kconform-torch's link arguments into the
//! `kconform` binary (build-script link args do not propagate from a
//! dependency): an rpath to libtorch's lib dir, and `--no-as-needed -ltorch` when
//! that libtorch has CUDA. kconform-torch passes both on through its `links` key.
//! Without the feature this does nothing.

fn main() {
    println!("cargo:rerun-if-env-changed=DEP_KCONFORM_TORCH_LIBTORCH_LIB");
    let Ok(lib) = std::env::var("DEP_KCONFORM_TORCH_LIBTORCH_LIB") else {
        return;
    };
    println!("cargo:rustc-link-arg=-Wl,-rpath,{lib}");
    if std::env::var("DEP_KCONFORM_TORCH_CUDA").as_deref() == Ok("1") {
        println!("cargo:rustc-link-arg=-Wl,--no-as-needed");
        println!("cargo:rustc-link-arg=-ltorch");
        println!("cargo:rustc-link-arg=-Wl,--as-needed");
    }
}
