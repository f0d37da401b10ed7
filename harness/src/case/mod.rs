//! Case files: their model, the YAML they are written in, and the loader.

mod distribution;
mod family;
mod forms;
mod generate;
mod load;
mod model;
mod node;
mod program;

pub use family::CaseKind;
pub use generate::{Generated, Generator};
pub use load::{load_file, LoadError};
pub use model::{BrokenCase, Case, CaseFile, Expectation, Location, Mode};
