//! The golden store: outputs recorded from real Keras, beside each case file
//! (`<stem>.goldens/golden.json` plus one `.npy` per tensor; spec/case-format.md).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kconform_api::{npy, DType, Tensor, TensorSpec, Value};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value as Json};
use sha2::{Digest, Sha256};

use crate::atomic::write_atomic;

/// Manifest format version.
pub const GOLDEN_FORMAT: u32 = 1;

/// Who recorded a golden.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The recording backend id, e.g. `keras-jax`.
    pub backend: String,
    /// Versions reported by the backend (keras, jax, numpy, python, …).
    pub versions: BTreeMap<String, String>,
    /// UTC time of recording, RFC 3339.
    pub recorded_at: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: u32,
    provenance: BTreeMap<String, Provenance>,
    cases: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    provenance: String,
    output: Json,
}

/// Errors reading or writing goldens.
#[derive(Debug, thiserror::Error)]
pub enum GoldenError {
    /// There is no golden for this case (record it with `--record`).
    #[error("no golden recorded for case `{case}` in {dir} (record it: kconform run --backend keras:jax --record --filter <case>)")]
    Missing {
        /// Case id.
        case: String,
        /// Golden directory.
        dir: String,
    },
    /// The store is damaged: unreadable, malformed, or a hash mismatch.
    #[error("corrupt golden store {path}: {message}")]
    Corrupt {
        /// The offending file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// Writing failed.
    #[error("cannot write golden {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

fn corrupt(path: &Path, message: impl Into<String>) -> GoldenError {
    GoldenError::Corrupt {
        path: path.display().to_string(),
        message: message.into(),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A golden store opened for reading.
#[derive(Debug)]
pub struct GoldenStore {
    dir: PathBuf,
    manifest: Manifest,
}

impl GoldenStore {
    /// Opens `dir`; a missing directory is an empty store.
    pub fn open(dir: &Path) -> Result<Self, GoldenError> {
        let path = dir.join("golden.json");
        let manifest = match std::fs::read(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Manifest {
                format: GOLDEN_FORMAT,
                ..Default::default()
            },
            Err(e) => return Err(corrupt(&path, e.to_string())),
            Ok(bytes) => {
                let m: Manifest =
                    serde_json::from_slice(&bytes).map_err(|e| corrupt(&path, e.to_string()))?;
                if m.format != GOLDEN_FORMAT {
                    return Err(corrupt(
                        &path,
                        format!("format {} (this kconform reads {GOLDEN_FORMAT})", m.format),
                    ));
                }
                m
            }
        };
        Ok(GoldenStore {
            dir: dir.to_path_buf(),
            manifest,
        })
    }

    /// True when `case` has a golden.
    pub fn contains(&self, case: &str) -> bool {
        self.manifest.cases.contains_key(case)
    }

    /// Case ids with goldens.
    pub fn case_ids(&self) -> impl Iterator<Item = &str> {
        self.manifest.cases.keys().map(String::as_str)
    }

    /// The provenance of `case`'s golden.
    pub fn provenance(&self, case: &str) -> Option<&Provenance> {
        let e = self.manifest.cases.get(case)?;
        self.manifest.provenance.get(&e.provenance)
    }

    /// Reads `case`'s recorded output, verifying every file's hash.
    pub fn get(&self, case: &str) -> Result<Value, GoldenError> {
        let entry = self
            .manifest
            .cases
            .get(case)
            .ok_or_else(|| GoldenError::Missing {
                case: case.to_string(),
                dir: self.dir.display().to_string(),
            })?;
        self.decode(&entry.output)
    }

    fn decode(&self, j: &Json) -> Result<Value, GoldenError> {
        let manifest = self.dir.join("golden.json");
        let bad = |what: &str| corrupt(&manifest, format!("unreadable output entry: {what}"));
        Ok(match j {
            Json::Null => Value::None,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) if n.is_i64() => Value::Int(n.as_i64().unwrap_or_default()),
            Json::Number(n) => Value::Float(n.as_f64().ok_or_else(|| bad("number"))?),
            Json::String(s) => Value::Str(s.clone()),
            Json::Array(items) => Value::List(
                items
                    .iter()
                    .map(|x| self.decode(x))
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(o) => match o.iter().next() {
                Some((k, v)) if o.len() == 1 && k == "$float" => Value::Float(match v.as_str() {
                    Some("nan") => f64::NAN,
                    Some("inf") => f64::INFINITY,
                    Some("-inf") => f64::NEG_INFINITY,
                    _ => return Err(bad("$float")),
                }),
                Some((k, Json::Array(items))) if o.len() == 1 && k == "$tuple" => Value::Tuple(
                    items
                        .iter()
                        .map(|x| self.decode(x))
                        .collect::<Result<_, _>>()?,
                ),
                Some((k, Json::Object(m))) if o.len() == 1 && k == "$dict" => Value::Dict(
                    m.iter()
                        .map(|(k, v)| Ok((k.clone(), self.decode(v)?)))
                        .collect::<Result<_, GoldenError>>()?,
                ),
                Some((k, v)) if o.len() == 1 && k == "$spec" => {
                    let spec: SpecJson =
                        serde_json::from_value(v.clone()).map_err(|_| bad("$spec"))?;
                    Value::Spec(TensorSpec {
                        shape: spec.shape,
                        dtype: spec.dtype,
                    })
                }
                Some((k, v)) if o.len() == 1 && k == "$tensor" => {
                    let t: TensorRef =
                        serde_json::from_value(v.clone()).map_err(|_| bad("$tensor"))?;
                    Value::Tensor(self.read_tensor(&t)?)
                }
                _ => return Err(bad("unknown object")),
            },
        })
    }

    fn read_tensor(&self, t: &TensorRef) -> Result<Tensor, GoldenError> {
        if t.file.contains('/') || t.file.contains('\\') || t.file.starts_with('.') {
            return Err(corrupt(
                &self.dir.join("golden.json"),
                format!("bad file name `{}`", t.file),
            ));
        }
        let path = self.dir.join(&t.file);
        let bytes = std::fs::read(&path).map_err(|e| corrupt(&path, e.to_string()))?;
        let hash = sha256_hex(&bytes);
        if hash != t.sha256 {
            return Err(corrupt(
                &path,
                format!("sha256 is {hash}, golden.json records {}", t.sha256),
            ));
        }
        let tensor =
            npy::decode(&bytes, Some(t.dtype)).map_err(|e| corrupt(&path, e.to_string()))?;
        if tensor.shape() != t.shape.as_slice() {
            return Err(corrupt(
                &path,
                format!(
                    "shape {:?}, golden.json records {:?}",
                    tensor.shape(),
                    t.shape
                ),
            ));
        }
        Ok(tensor)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TensorRef {
    dtype: DType,
    shape: Vec<usize>,
    file: String,
    sha256: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecJson {
    shape: Vec<Option<usize>>,
    dtype: DType,
}

/// Records goldens for one case file; nothing is written until [`GoldenWriter::finish`].
pub struct GoldenWriter {
    dir: PathBuf,
    manifest: Manifest,
    files: BTreeMap<String, Vec<u8>>,
    provenance_key: String,
}

impl GoldenWriter {
    /// Starts from the existing store in `dir` (kept for cases not re-recorded).
    pub fn new(dir: &Path, provenance: Provenance) -> Result<Self, GoldenError> {
        let mut manifest = GoldenStore::open(dir)?.manifest;
        let key = sha256_hex(
            serde_json::to_string(&provenance)
                .unwrap_or_default()
                .as_bytes(),
        )[..12]
            .to_string();
        manifest.provenance.insert(key.clone(), provenance);
        Ok(GoldenWriter {
            dir: dir.to_path_buf(),
            manifest,
            files: BTreeMap::new(),
            provenance_key: key,
        })
    }

    /// Records `value` as the golden of `case`.
    pub fn record(&mut self, case: &str, value: &Value) {
        let mut n = 0;
        let output = self.encode(case, value, &mut n);
        self.manifest.cases.insert(
            case.to_string(),
            Entry {
                provenance: self.provenance_key.clone(),
                output,
            },
        );
    }

    fn encode(&mut self, case: &str, v: &Value, n: &mut usize) -> Json {
        match v {
            Value::None => Json::Null,
            Value::Bool(b) => json!(b),
            Value::Int(i) => json!(i),
            Value::Float(f) if f.is_nan() => json!({"$float": "nan"}),
            Value::Float(f) if f.is_infinite() => {
                json!({"$float": if *f > 0.0 { "inf" } else { "-inf" }})
            }
            Value::Float(f) => json!(f),
            Value::Str(s) => json!(s),
            // Never in a real Keras result (programs return plain values);
            // kept readable rather than dropped.
            Value::Ref(name) => json!({ "$ref": name }),
            Value::Seed(words) => self.encode(
                case,
                &Value::Tensor(kconform_api::program::SeedDtype::Uint32.tensor(*words)),
                n,
            ),
            Value::List(items) => {
                Json::Array(items.iter().map(|x| self.encode(case, x, n)).collect())
            }
            Value::Tuple(items) => {
                json!({"$tuple": items.iter().map(|x| self.encode(case, x, n)).collect::<Vec<_>>()})
            }
            Value::Dict(m) => {
                let mut o = Map::new();
                for (k, x) in m {
                    o.insert(k.clone(), self.encode(case, x, n));
                }
                json!({"$dict": o})
            }
            Value::Spec(s) => json!({"$spec": SpecJson { shape: s.shape.clone(), dtype: s.dtype }}),
            Value::Tensor(t) => {
                let file = if *n == 0 {
                    format!("{case}.npy")
                } else {
                    format!("{case}.{n}.npy")
                };
                *n += 1;
                let bytes = npy::encode(t);
                let r = TensorRef {
                    dtype: t.dtype(),
                    shape: t.shape().to_vec(),
                    file: file.clone(),
                    sha256: sha256_hex(&bytes),
                };
                self.files.insert(file, bytes);
                json!({"$tensor": r})
            }
        }
    }

    /// Writes the store, keeping only the cases in `live` (the file's golden
    /// cases) and deleting `.npy` files nothing refers to.
    pub fn finish(mut self, live: &[&str]) -> Result<(), GoldenError> {
        self.manifest
            .cases
            .retain(|k, _| live.contains(&k.as_str()));
        let used: std::collections::BTreeSet<String> = self
            .manifest
            .cases
            .values()
            .map(|e| e.provenance.clone())
            .collect();
        self.manifest.provenance.retain(|k, _| used.contains(k));
        let werr = |path: &Path, source| GoldenError::Write {
            path: path.display().to_string(),
            source,
        };
        if self.manifest.cases.is_empty() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| werr(&self.dir, e))?;
        for (name, bytes) in &self.files {
            let p = self.dir.join(name);
            write_atomic(&p, bytes).map_err(|e| werr(&p, e))?;
        }
        let mut text = serde_json::to_string_pretty(&self.manifest).unwrap_or_default();
        text.push('\n');
        let mp = self.dir.join("golden.json");
        write_atomic(&mp, text.as_bytes()).map_err(|e| werr(&mp, e))?;
        let referenced: std::collections::BTreeSet<String> = self
            .manifest
            .cases
            .values()
            .flat_map(|e| tensor_files(&e.output))
            .collect();
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".npy") && !referenced.contains(&name) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Ok(())
    }
}

fn tensor_files(j: &Json) -> Vec<String> {
    match j {
        Json::Array(a) => a.iter().flat_map(tensor_files).collect(),
        Json::Object(o) => match o.get("$tensor") {
            Some(t) => t
                .get("file")
                .and_then(Json::as_str)
                .map(|s| vec![s.to_string()])
                .unwrap_or_default(),
            None => o.values().flat_map(tensor_files).collect(),
        },
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kconform_api::TensorData;

    fn prov() -> Provenance {
        Provenance {
            backend: "keras-jax".into(),
            versions: BTreeMap::new(),
            recorded_at: "2026-11-21T00:00:00Z".into(),
        }
    }

    #[test]
    fn round_trip_and_corruption_is_detected() {
        let dir = tempfile::tempdir().unwrap();
        let gdir = dir.path().join("x.goldens");
        let t = Tensor::new(
            vec![2],
            TensorData::Bfloat16(vec![half::bf16::from_f32(1.5), half::bf16::NAN]),
        )
        .unwrap();
        let v = Value::Tuple(vec![
            Value::Tensor(t.clone()),
            Value::Int(3),
            Value::Float(f64::NEG_INFINITY),
        ]);
        let mut w = GoldenWriter::new(&gdir, prov()).unwrap();
        w.record("a", &v);
        w.finish(&["a"]).unwrap();
        let store = GoldenStore::open(&gdir).unwrap();
        let back = store.get("a").unwrap();
        let Value::Tuple(items) = &back else {
            panic!("{back:?}")
        };
        assert_eq!(items[0].as_tensor().unwrap().dtype(), DType::Bfloat16);
        assert_eq!(items[1], Value::Int(3));
        assert!(matches!(store.get("b"), Err(GoldenError::Missing { .. })));
        let mut bytes = std::fs::read(gdir.join("a.npy")).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(gdir.join("a.npy"), bytes).unwrap();
        let err = GoldenStore::open(&gdir).unwrap().get("a").unwrap_err();
        assert!(err.to_string().contains("sha256"), "{err}");
        std::fs::write(gdir.join("golden.json"), "{ nope").unwrap();
        assert!(matches!(
            GoldenStore::open(&gdir),
            Err(GoldenError::Corrupt { .. })
        ));
    }
}
