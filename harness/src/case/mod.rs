//! Case files: their model, the YAML they are written in, and the loader.

mod forms;
mod generate;
mod load;
mod model;
mod node;

pub use generate::{Generated, Generator};
pub use load::{load_file, LoadError};
pub use model::{BrokenCase, Case, CaseFile, Expectation, Location, Mode};
