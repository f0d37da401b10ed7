//! `kconform list`.

use std::process::ExitCode;

use anyhow::Result;
use kconform_harness::suite::LoadedFile;
use kconform_harness::{Suite, SuitePaths};

/// Prints one line per case: name, op, expectation kind and behavior.
pub fn list(paths: &SuitePaths, filters: &[String]) -> Result<ExitCode> {
    let suite = Suite::load(paths.clone());
    let keep = |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));
    let mut n = 0;
    for f in &suite.files {
        match f {
            LoadedFile::Ok(f) => {
                for c in &f.cases {
                    let name = format!("{}::{}", f.name, c.id);
                    if keep(&name) {
                        n += 1;
                        println!("{name}\t{}\t{}\t{}", c.op, c.expect.kind(), c.behavior);
                    }
                }
                for b in &f.broken {
                    let name = format!("{}::{}", f.name, b.id);
                    if keep(&name) {
                        n += 1;
                        println!("{name}\t-\tBROKEN\t{}", b.error);
                    }
                }
            }
            LoadedFile::Err { name, error } => {
                if keep(name) {
                    n += 1;
                    println!("{name}::load\t-\tBROKEN\t{error}");
                }
            }
        }
    }
    eprintln!("{n} cases");
    Ok(ExitCode::SUCCESS)
}
