//! Spec traceability: which cases cover each behavior of the catalog.

use std::collections::BTreeMap;

use crate::behaviors::{BehaviorCatalog, ClaimStatus};
use crate::suite::{LoadedFile, Suite};

/// One behavior and the cases citing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BehaviorCoverage {
    /// Behavior id.
    pub id: String,
    /// Whether the guide's claim holds.
    pub status: ClaimStatus,
    /// Case names (`ops::absolute::f32_specials`) citing it.
    pub cases: Vec<String>,
}

/// Behavior → cases, in catalog order.
pub fn behavior_coverage(catalog: &BehaviorCatalog, suite: &Suite) -> Vec<BehaviorCoverage> {
    let mut by_id: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for f in &suite.files {
        if let LoadedFile::Ok(f) = f {
            for c in &f.cases {
                by_id
                    .entry(c.behavior.as_str())
                    .or_default()
                    .push(format!("{}::{}", f.name, c.id));
            }
        }
    }
    catalog
        .behaviors
        .iter()
        .map(|b| BehaviorCoverage {
            id: b.id.clone(),
            status: b.status,
            cases: by_id.remove(b.id.as_str()).unwrap_or_default(),
        })
        .collect()
}
