//! `kconform check`: validate everything without running a backend.

use std::process::ExitCode;

use anyhow::Result;
use kconform_harness::suite::LoadedFile;
use kconform_harness::{Suite, SuitePaths};

/// Prints every problem with its location; exit 1 if there is any.
pub fn check(paths: &SuitePaths) -> Result<ExitCode> {
    let suite = Suite::load(paths.clone());
    let mut problems = Vec::new();
    if let Err(e) = &suite.catalog {
        problems.push(e.clone());
    }
    if let Err(e) = &suite.policy {
        problems.push(e.clone());
    }
    if let Err(e) = &suite.critical {
        problems.push(e.clone());
    }
    problems.extend(kconform_harness::distribution::problems(&suite));
    let (mut files, mut cases, mut goldens) = (0, 0, 0);
    for (i, f) in suite.files.iter().enumerate() {
        files += 1;
        match f {
            LoadedFile::Err { error, .. } => problems.push(error.to_string()),
            LoadedFile::Ok(f) => {
                cases += f.cases.len() + f.broken.len();
                problems.extend(f.broken.iter().map(|b| b.error.to_string()));
                let golden_cases: Vec<_> =
                    f.cases.iter().filter(|c| c.expect.uses_golden()).collect();
                if golden_cases.is_empty() {
                    continue;
                }
                match suite.goldens(i) {
                    Err(e) => problems.push(e),
                    Ok(store) => {
                        for c in golden_cases {
                            goldens += 1;
                            if let Err(e) = store.get(&c.id) {
                                problems.push(format!("{}: case `{}`: {e}", c.location, c.id));
                            }
                        }
                        for id in store.case_ids() {
                            if !f.cases.iter().any(|c| c.id == id && c.expect.uses_golden()) {
                                problems.push(format!(
                                    "{}: golden for `{id}` has no golden case (re-record the file)",
                                    f.golden_dir().display()
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    for p in &problems {
        eprintln!("{p}\n");
    }
    println!(
        "{files} case files, {cases} cases, {goldens} goldens checked: {} problems",
        problems.len()
    );
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
