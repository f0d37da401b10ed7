//! The whole suite on disk: the behavior catalog, the tolerance policy and every
//! case file, loaded once and planned into trials.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::behaviors::BehaviorCatalog;
use crate::case::{load_file, CaseFile, LoadError};
use crate::distribution::CriticalValues;
use crate::golden::GoldenStore;
use crate::tolerance::TolerancePolicy;

/// Where the suite lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuitePaths {
    /// The case tree (`cases/`).
    pub cases: PathBuf,
    /// The spec dir holding `behaviors.yaml` and `tolerances.yaml`.
    pub spec: PathBuf,
}

impl SuitePaths {
    /// Paths under a repository root.
    pub fn under(root: &Path) -> Self {
        SuitePaths {
            cases: root.join("cases"),
            spec: root.join("spec"),
        }
    }

    /// The suite of this checkout: `$KCONFORM_ROOT`, else the nearest ancestor
    /// of the current directory with `spec/behaviors.yaml`, else the checkout
    /// this crate was built from.
    pub fn discover() -> Self {
        if let Some(root) = std::env::var_os("KCONFORM_ROOT") {
            return Self::under(Path::new(&root));
        }
        if let Ok(cwd) = std::env::current_dir() {
            if let Some(root) = cwd
                .ancestors()
                .find(|p| p.join("spec/behaviors.yaml").is_file())
            {
                return Self::under(root);
            }
        }
        Self::under(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")))
    }
}

/// A case file as loaded: usable, or broken as a whole.
#[derive(Debug)]
pub enum LoadedFile {
    /// The file loaded (some cases may still be broken).
    Ok(CaseFile),
    /// The file could not be read at all.
    Err {
        /// Its trial-name prefix.
        name: String,
        /// The located error.
        error: LoadError,
    },
}

impl LoadedFile {
    /// Trial-name prefix.
    pub fn name(&self) -> &str {
        match self {
            LoadedFile::Ok(f) => &f.name,
            LoadedFile::Err { name, .. } => name,
        }
    }
}

/// The loaded suite.
#[derive(Debug)]
pub struct Suite {
    /// Where it was loaded from.
    pub paths: SuitePaths,
    /// The behavior catalog, or why it failed to load.
    pub catalog: Result<BehaviorCatalog, String>,
    /// The tolerance policy, or why it failed to load.
    pub policy: Result<TolerancePolicy, String>,
    /// The distribution checks' critical values (`critical-values.yaml`;
    /// empty when the file is absent), or why they failed to load.
    pub critical: Result<CriticalValues, String>,
    /// Case files in path order.
    pub files: Vec<LoadedFile>,
    goldens: Vec<OnceLock<Result<GoldenStore, String>>>,
}

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            if p.extension().is_none_or(|x| x != "goldens") {
                case_files(&p, out)?;
            }
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
    Ok(())
}

/// `cases/ops/absolute.yaml` → `ops::absolute`.
pub fn trial_prefix(cases_dir: &Path, file: &Path) -> String {
    let rel = file
        .strip_prefix(cases_dir)
        .unwrap_or(file)
        .with_extension("");
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("::")
}

impl Suite {
    /// Loads everything; problems become per-file or per-case errors, never a panic.
    pub fn load(paths: SuitePaths) -> Self {
        Self::load_matching(paths, |_| true)
    }

    /// Loads the catalog, the tolerance policy and only the case files whose
    /// trial prefix (`ops::absolute`) `keep` accepts: a process that runs one
    /// trial (nextest) reads one file, not the whole suite.
    pub fn load_matching(paths: SuitePaths, keep: impl Fn(&str) -> bool) -> Self {
        let catalog =
            BehaviorCatalog::load(&paths.spec.join("behaviors.yaml")).map_err(|e| e.to_string());
        let policy =
            TolerancePolicy::load(&paths.spec.join("tolerances.yaml")).map_err(|e| e.to_string());
        let critical = CriticalValues::load(&paths.spec.join("critical-values.yaml"))
            .map_err(|e| e.to_string());
        let ids = catalog
            .as_ref()
            .map(BehaviorCatalog::ids)
            .unwrap_or_default();
        let mut found = Vec::new();
        let mut files = Vec::new();
        if let Err(e) = case_files(&paths.cases, &mut found) {
            files.push(LoadedFile::Err {
                name: "cases".into(),
                error: LoadError {
                    location: crate::case::Location {
                        file: paths.cases.clone(),
                        line: 0,
                        column: 0,
                    },
                    case_id: None,
                    message: format!("cannot list case files: {e}"),
                },
            });
        }
        for path in found {
            let name = trial_prefix(&paths.cases, &path);
            if !keep(&name) {
                continue;
            }
            // Without a catalog no behavior id can be checked; its own trial reports that.
            files.push(
                match load_file(&path, &name, catalog.as_ref().ok().map(|_| &ids)) {
                    Ok(f) => LoadedFile::Ok(f),
                    Err(error) => LoadedFile::Err { name, error },
                },
            );
        }
        let goldens = files.iter().map(|_| OnceLock::new()).collect();
        Suite {
            paths,
            catalog,
            policy,
            critical,
            files,
            goldens,
        }
    }

    /// The golden store of file `i`, opened once.
    pub fn goldens(&self, i: usize) -> Result<&GoldenStore, String> {
        let LoadedFile::Ok(f) = &self.files[i] else {
            return Err("file did not load".into());
        };
        self.goldens[i]
            .get_or_init(|| GoldenStore::open(&f.golden_dir()).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Every trial of the suite on one backend, in a stable order.
    pub fn plan(&self, backend_id: &str) -> Vec<PlannedTrial> {
        let mut out = Vec::new();
        if let Err(e) = &self.catalog {
            out.push(PlannedTrial {
                id: format!("spec::behaviors::load::{backend_id}"),
                kind: TrialKind::SpecError(e.clone()),
            });
        }
        if let Err(e) = &self.policy {
            out.push(PlannedTrial {
                id: format!("spec::tolerances::load::{backend_id}"),
                kind: TrialKind::SpecError(e.clone()),
            });
        }
        if let Err(e) = &self.critical {
            out.push(PlannedTrial {
                id: format!("spec::critical_values::load::{backend_id}"),
                kind: TrialKind::SpecError(e.clone()),
            });
        }
        for (fi, f) in self.files.iter().enumerate() {
            match f {
                LoadedFile::Err { name, .. } => out.push(PlannedTrial {
                    id: format!("{name}::load::{backend_id}"),
                    kind: TrialKind::FileError { file: fi },
                }),
                LoadedFile::Ok(cf) => {
                    for (ci, c) in cf.cases.iter().enumerate() {
                        out.push(PlannedTrial {
                            id: format!("{}::{}::{backend_id}", cf.name, c.id),
                            kind: TrialKind::Case { file: fi, case: ci },
                        });
                    }
                    for (bi, b) in cf.broken.iter().enumerate() {
                        out.push(PlannedTrial {
                            id: format!("{}::{}::{backend_id}", cf.name, b.id),
                            kind: TrialKind::Broken {
                                file: fi,
                                broken: bi,
                            },
                        });
                    }
                }
            }
        }
        out
    }
}

/// One trial to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedTrial {
    /// Full trial name.
    pub id: String,
    /// What it runs.
    pub kind: TrialKind,
}

/// What a planned trial runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrialKind {
    /// Case `case` of file `file`.
    Case {
        /// File index.
        file: usize,
        /// Case index.
        case: usize,
    },
    /// A case that failed to load.
    Broken {
        /// File index.
        file: usize,
        /// Broken-case index.
        broken: usize,
    },
    /// A file that failed to load.
    FileError {
        /// File index.
        file: usize,
    },
    /// The catalog or the tolerance policy failed to load.
    SpecError(String),
}
