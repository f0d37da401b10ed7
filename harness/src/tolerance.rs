//! Layered tolerances: per-dtype defaults < op < case < backend/device override.

use std::collections::BTreeMap;
use std::path::Path;

use kconform_api::DType;
use serde::{Deserialize, Serialize};

/// How far a float may be from the expected value. An element passes when
/// `|a - e| <= atol + rtol * |e|` or its ulp distance is `<= ulp`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    /// Absolute tolerance.
    #[serde(default)]
    pub atol: f64,
    /// Relative tolerance.
    #[serde(default)]
    pub rtol: f64,
    /// Units in the last place, in the expected dtype.
    #[serde(default)]
    pub ulp: u64,
}

/// A partial tolerance: the keys one layer sets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TolerancePart {
    /// Absolute tolerance, if this layer sets it.
    pub atol: Option<f64>,
    /// Relative tolerance, if this layer sets it.
    pub rtol: Option<f64>,
    /// Ulp tolerance, if this layer sets it.
    pub ulp: Option<u64>,
}

impl TolerancePart {
    fn apply(&self, t: &mut Tolerance) {
        if let Some(a) = self.atol {
            t.atol = a;
        }
        if let Some(r) = self.rtol {
            t.rtol = r;
        }
        if let Some(u) = self.ulp {
            t.ulp = u;
        }
    }
}

/// One layer: a part for every dtype, and parts for named dtypes (which win).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TolerancePatch {
    /// Applies to every dtype.
    pub all: TolerancePart,
    /// Applies to one dtype, after `all`.
    pub per_dtype: BTreeMap<DType, TolerancePart>,
}

impl TolerancePatch {
    fn apply(&self, dtype: DType, t: &mut Tolerance) {
        self.all.apply(t);
        if let Some(p) = self.per_dtype.get(&dtype) {
            p.apply(t);
        }
    }
}

/// A backend/device override from `spec/tolerances.yaml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Backend id it applies to (e.g. `torch`).
    pub backend: String,
    /// Device it applies to (`cuda`); any device when absent.
    #[serde(default)]
    pub device: Option<String>,
    /// Op it applies to; every op when absent.
    #[serde(default)]
    pub op: Option<String>,
    /// Dtype it applies to; every dtype when absent.
    #[serde(default)]
    pub dtype: Option<DType>,
    /// The tolerance keys it sets.
    pub tolerance: TolerancePart,
    /// Why this override exists. Required.
    pub reason: String,
}

/// The contents of `spec/tolerances.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TolerancePolicy {
    /// Format version (1).
    pub version: u32,
    /// Per-dtype defaults (layer 1).
    pub defaults: BTreeMap<DType, Tolerance>,
    /// Backend/device overrides (layer 4).
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// Errors reading the tolerance policy.
pub type PolicyError = crate::spec_file::SpecFileError;

/// Where a case's tolerance comes from, for one comparison.
pub struct ToleranceQuery<'a> {
    /// Expected dtype.
    pub dtype: DType,
    /// Op name.
    pub op: &'a str,
    /// Op-level layer.
    pub op_layer: &'a TolerancePatch,
    /// Case-level layer.
    pub case_layer: &'a TolerancePatch,
    /// Backend id.
    pub backend: &'a str,
    /// Backend device.
    pub device: &'a str,
}

impl TolerancePolicy {
    /// Reads and validates a policy file.
    pub fn load(path: &Path) -> Result<Self, PolicyError> {
        let policy: TolerancePolicy = crate::spec_file::load_yaml(path)?;
        if let Some(o) = policy.overrides.iter().find(|o| o.reason.trim().is_empty()) {
            return Err(PolicyError::invalid(
                path,
                format!("override for backend `{}` has an empty reason", o.backend),
            ));
        }
        Ok(policy)
    }

    /// The effective tolerance after all four layers.
    pub fn resolve(&self, q: &ToleranceQuery<'_>) -> Tolerance {
        let mut t = self.defaults.get(&q.dtype).copied().unwrap_or_default();
        q.op_layer.apply(q.dtype, &mut t);
        q.case_layer.apply(q.dtype, &mut t);
        for o in &self.overrides {
            let hit = o.backend == q.backend
                && o.device.as_deref().is_none_or(|d| d == q.device)
                && o.op.as_deref().is_none_or(|op| op == q.op)
                && o.dtype.is_none_or(|d| d == q.dtype);
            if hit {
                o.tolerance.apply(&mut t);
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order() {
        let mut policy = TolerancePolicy {
            version: 1,
            ..Default::default()
        };
        policy.defaults.insert(
            DType::Float32,
            Tolerance {
                atol: 1e-6,
                rtol: 1e-6,
                ulp: 4,
            },
        );
        policy.overrides.push(Override {
            backend: "torch".into(),
            device: Some("cuda".into()),
            op: Some("matmul".into()),
            dtype: None,
            tolerance: TolerancePart {
                rtol: Some(1e-3),
                ..Default::default()
            },
            reason: "cuBLAS reorders sums".into(),
        });
        let op_layer = TolerancePatch {
            all: TolerancePart {
                ulp: Some(8),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut case_layer = TolerancePatch::default();
        case_layer.per_dtype.insert(
            DType::Float32,
            TolerancePart {
                atol: Some(0.0),
                ..Default::default()
            },
        );
        let q = |backend, device| ToleranceQuery {
            dtype: DType::Float32,
            op: "matmul",
            op_layer: &op_layer,
            case_layer: &case_layer,
            backend,
            device,
        };
        let t = policy.resolve(&q("reference", "cpu"));
        assert_eq!((t.atol, t.rtol, t.ulp), (0.0, 1e-6, 8));
        let t = policy.resolve(&q("torch", "cuda"));
        assert_eq!((t.atol, t.rtol, t.ulp), (0.0, 1e-3, 8));
        let t = policy.resolve(&q("torch", "cpu"));
        assert_eq!(t.rtol, 1e-6);
    }
}
