//! Build script of kconform-torch.
//!
//! 1. Finds the libtorch that torch-sys linked (`DEP_TCH_LIBTORCH_LIB`, from
//!    `LIBTORCH`) and checks its version is the one tch 0.24 is written for.
//! 2. Bakes an rpath to `<libtorch>/lib` into every binary and test of this
//!    crate, so nothing needs `LD_LIBRARY_PATH` at run time.
//! 3. When that libtorch has CUDA (`lib/libtorch_cuda.so`), links `libtorch.so`
//!    with `--no-as-needed`: nothing calls into libtorch_cuda directly, so
//!    rustc's default `--as-needed` would drop it and CUDA would be invisible.
//! 4. Compiles `csrc/shim.cpp` (TF32 switches, the warning handler and
//!    Python-style wrapped-number scalars, which tch does not expose).
//! 5. Re-exports the lib dir and CUDA flag (`links = "kconform_torch"`) so a
//!    binary crate depending on this one can bake the same link arguments
//!    (`DEP_KCONFORM_TORCH_LIBTORCH_LIB`, `DEP_KCONFORM_TORCH_CUDA`).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

/// The torch version tch 0.24.0 (torch-sys `TORCH_VERSION`) is generated for.
const TORCH_VERSION: &str = "2.11.0";

fn env_rerun(name: &str) -> Option<String> {
    println!("cargo:rerun-if-env-changed={name}");
    env::var(name).ok().filter(|v| !v.is_empty())
}

/// The libtorch root (holding `lib/` and `include/`).
fn libtorch_lib_dir() -> PathBuf {
    if let Some(lib) = env::var_os("DEP_TCH_LIBTORCH_LIB") {
        return PathBuf::from(lib);
    }
    match env_rerun("LIBTORCH") {
        Some(root) => Path::new(&root).join("lib"),
        None => panic!("kconform-torch: set LIBTORCH, e.g. `export LIBTORCH=$(bash scripts/setup-torch.sh | tail -1)`"),
    }
}

/// The full libtorch version (`2.11.0+cu130`) from a pip install's `version.py`
/// or a libtorch zip's `build-version`.
fn libtorch_version(root: &Path) -> Option<String> {
    if let Ok(text) = fs::read_to_string(root.join("build-version")) {
        return Some(text.trim().to_string());
    }
    let text = fs::read_to_string(root.join("version.py")).ok()?;
    let line = text.lines().find(|l| l.starts_with("__version__"))?;
    Some(line.split(['\'', '"']).nth(1)?.to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=csrc/shim.cpp");
    let lib = libtorch_lib_dir();
    let root = lib
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| lib.clone());
    println!("cargo:rerun-if-changed={}", lib.display());

    let version = libtorch_version(&root).unwrap_or_else(|| "unknown".to_string());
    let base = version.split('+').next().unwrap_or_default();
    if base != TORCH_VERSION && env_rerun("LIBTORCH_BYPASS_VERSION_CHECK").is_none() {
        panic!(
            "kconform-torch: libtorch at {} is version {version}, but tch 0.24.0 is built for {TORCH_VERSION} \
             (run scripts/setup-torch.sh, or set LIBTORCH_BYPASS_VERSION_CHECK=1 at your own risk)",
            root.display()
        );
    }
    println!("cargo:rustc-env=KCONFORM_LIBTORCH_VERSION={version}");

    let cuda = lib.join("libtorch_cuda.so").exists();
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
    if cuda {
        println!("cargo:rustc-link-arg=-Wl,--no-as-needed");
        println!("cargo:rustc-link-arg=-ltorch");
        println!("cargo:rustc-link-arg=-Wl,--as-needed");
    }
    println!("cargo:libtorch_lib={}", lib.display());
    println!("cargo:cuda={}", u8::from(cuda));

    let include = env_rerun("LIBTORCH_INCLUDE")
        .map(PathBuf::from)
        .unwrap_or(root);
    cc::Build::new()
        .cpp(true)
        .pic(true)
        .warnings(false)
        .include(include.join("include"))
        .flag("-std=c++17")
        .flag(format!(
            "-D_GLIBCXX_USE_CXX11_ABI={}",
            env_rerun("LIBTORCH_CXX11_ABI").unwrap_or_else(|| "1".into())
        ))
        .file("csrc/shim.cpp")
        .compile("kconform_torch_shim");
}
