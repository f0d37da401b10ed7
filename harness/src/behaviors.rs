//! The behavior catalog, `spec/behaviors.yaml`: every behavior the migration
//! guide documents, with what Keras 3.15.1 really does.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// Whether the guide's claim holds in the pinned Keras.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// The claim holds.
    Holds,
    /// The claim was true once and no longer is.
    Stale,
    /// The claim was wrong when written (e.g. a mistyped mapping).
    GuideError,
    /// Not yet checked against Keras.
    Unchecked,
}

/// One documented behavior.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Behavior {
    /// Stable dotted id cited by cases.
    pub id: String,
    /// The guide section it comes from.
    pub section: String,
    /// What the guide says.
    pub claim: String,
    /// What Keras 3.15.1 does, where measured.
    #[serde(default)]
    pub keras_3_15_1: Option<String>,
    /// Whether the claim holds.
    pub status: ClaimStatus,
}

/// The whole catalog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BehaviorCatalog {
    /// Format version (1).
    pub version: u32,
    /// The guide the catalog was made from.
    pub guide: String,
    /// The behaviors.
    pub behaviors: Vec<Behavior>,
}

/// Errors reading the catalog.
pub type CatalogError = crate::spec_file::SpecFileError;

impl BehaviorCatalog {
    /// Reads and validates the catalog (ids unique).
    pub fn load(path: &Path) -> Result<Self, CatalogError> {
        let catalog: BehaviorCatalog = crate::spec_file::load_yaml(path)?;
        let mut seen = BTreeSet::new();
        for b in &catalog.behaviors {
            if !seen.insert(b.id.as_str()) {
                return Err(CatalogError::invalid(
                    path,
                    format!("duplicate behavior id `{}`", b.id),
                ));
            }
        }
        Ok(catalog)
    }

    /// All behavior ids.
    pub fn ids(&self) -> BTreeSet<String> {
        self.behaviors.iter().map(|b| b.id.clone()).collect()
    }
}
