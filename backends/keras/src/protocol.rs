//! The value codec: [`Value`] ⇄ JSON as spec/protocol.md defines it.
//!
//! | Python              | JSON                                                     |
//! |---------------------|----------------------------------------------------------|
//! | `None`/`True`/`False` | `null`/`true`/`false`                                  |
//! | `int`               | integer literal (`{"$int": "…"}` beyond 64 bits)         |
//! | `float`             | number with `.` or exponent; `{"$float": "nan"\|"inf"\|"-inf"}` |
//! | `str`, `list`       | string, array                                            |
//! | `tuple`, `dict`     | `{"$tuple": […]}`, `{"$dict": {…}}`                      |
//! | tensor              | `{"$tensor": {"dtype", "shape", "npy": base64}}`         |
//! | `KerasTensor`       | `{"$spec": {"shape": [null, 2], "dtype"}}`               |

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use kconform_api::{npy, DType, Tensor, TensorSpec, Value};
use serde_json::{json, Map, Number, Value as Json};

/// Why a JSON value is not a [`Value`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The JSON breaks the encoding rules.
    #[error("malformed value at {path}: {reason}")]
    Malformed {
        /// Where in the value, e.g. `$.$tuple[1]`.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// Valid encoding, but the value has no [`Value`] form (an integer beyond
    /// 64 bits, a dtype kconform does not know).
    #[error("value at {path} cannot be represented: {reason}")]
    Unrepresentable {
        /// Where in the value.
        path: String,
        /// What it is.
        reason: String,
    },
}

impl DecodeError {
    fn malformed(reason: impl Into<String>) -> Self {
        DecodeError::Malformed {
            path: "$".to_string(),
            reason: reason.into(),
        }
    }

    fn unrepresentable(reason: impl Into<String>) -> Self {
        DecodeError::Unrepresentable {
            path: "$".to_string(),
            reason: reason.into(),
        }
    }

    /// Prefixes the path with a step taken on the way down (`.$tuple[3]`).
    fn inside(mut self, step: &str) -> Self {
        let (DecodeError::Malformed { path, .. } | DecodeError::Unrepresentable { path, .. }) =
            &mut self;
        let rest = path.strip_prefix('$').unwrap_or(path.as_str());
        *path = format!("${step}{rest}");
        self
    }
}

/// Encodes a value as JSON. Never fails: every [`Value`] has an encoding.
pub fn encode_value(v: &Value) -> Json {
    match v {
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => encode_float(*f),
        Value::Str(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(encode_value).collect()),
        Value::Tuple(items) => {
            json!({ "$tuple": items.iter().map(encode_value).collect::<Vec<_>>() })
        }
        Value::Dict(m) => {
            let body: Map<String, Json> = m
                .iter()
                .map(|(k, v)| (k.clone(), encode_value(v)))
                .collect();
            json!({ "$dict": body })
        }
        Value::Tensor(t) => encode_tensor(t),
        Value::Spec(s) => json!({ "$spec": {
            "shape": s.shape.iter().map(|d| d.map_or(Json::Null, Json::from)).collect::<Vec<_>>(),
            "dtype": s.dtype.name(),
        }}),
        Value::Ref(name) => json!({ "$ref": name }),
        // Only the Rust program interpreter makes these; as data it is the
        // uint32 state array.
        Value::Seed(words) => {
            encode_tensor(&kconform_api::program::SeedDtype::Uint32.tensor(*words))
        }
    }
}

/// A finite float as a JSON number (serde_json writes `1.0`, `-0.0`, `1e300`:
/// always a `.` or an exponent), specials as `{"$float": …}`.
fn encode_float(f: f64) -> Json {
    match Number::from_f64(f) {
        Some(n) => Json::Number(n),
        None if f.is_nan() => json!({ "$float": "nan" }),
        None if f > 0.0 => json!({ "$float": "inf" }),
        None => json!({ "$float": "-inf" }),
    }
}

fn encode_tensor(t: &Tensor) -> Json {
    json!({ "$tensor": {
        "dtype": t.dtype().name(),
        "shape": t.shape(),
        "npy": BASE64.encode(npy::encode(t)),
    }})
}

/// Decodes a JSON value into a [`Value`].
pub fn decode_value(j: &Json) -> Result<Value, DecodeError> {
    match j {
        Json::Null => Ok(Value::None),
        Json::Bool(b) => Ok(Value::Bool(*b)),
        Json::Number(n) => decode_number(n),
        Json::String(s) => Ok(Value::Str(s.clone())),
        Json::Array(items) => decode_items(items).map(Value::List),
        Json::Object(m) => decode_tagged(m),
    }
}

fn decode_number(n: &Number) -> Result<Value, DecodeError> {
    if let Some(i) = n.as_i64() {
        Ok(Value::Int(i))
    } else if n.is_u64() {
        Err(DecodeError::unrepresentable(format!(
            "integer {n} does not fit a 64-bit signed int"
        )))
    } else if let Some(f) = n.as_f64() {
        Ok(Value::Float(f))
    } else {
        Err(DecodeError::malformed(format!("number {n}")))
    }
}

fn decode_items(items: &[Json]) -> Result<Vec<Value>, DecodeError> {
    items
        .iter()
        .enumerate()
        .map(|(i, x)| decode_value(x).map_err(|e| e.inside(&format!("[{i}]"))))
        .collect()
}

fn decode_tagged(m: &Map<String, Json>) -> Result<Value, DecodeError> {
    let mut entries = m.iter();
    let (tag, body) = match (entries.next(), entries.next()) {
        (Some(entry), None) => entry,
        _ => {
            return Err(DecodeError::malformed(
                "a JSON object must have exactly one `$` key",
            ))
        }
    };
    let decoded = match tag.as_str() {
        "$float" => decode_special_float(body),
        "$int" => Err(DecodeError::unrepresentable(format!(
            "integer {} does not fit a 64-bit signed int",
            body.as_str().unwrap_or("?")
        ))),
        "$tuple" => match body {
            Json::Array(items) => decode_items(items).map(Value::Tuple),
            _ => Err(DecodeError::malformed("$tuple needs an array")),
        },
        "$dict" => match body {
            Json::Object(entries) => entries
                .iter()
                .map(|(k, v)| {
                    decode_value(v)
                        .map(|v| (k.clone(), v))
                        .map_err(|e| e.inside(&format!("[{k:?}]")))
                })
                .collect::<Result<_, _>>()
                .map(Value::Dict),
            _ => Err(DecodeError::malformed("$dict needs an object")),
        },
        "$tensor" => decode_tensor(body).map(Value::Tensor),
        "$spec" => decode_spec(body).map(Value::Spec),
        other => Err(DecodeError::malformed(format!("unknown tag `{other}`"))),
    };
    decoded.map_err(|e| e.inside(&format!(".{tag}")))
}

fn decode_special_float(body: &Json) -> Result<Value, DecodeError> {
    match body.as_str() {
        Some("nan") => Ok(Value::Float(f64::NAN)),
        Some("inf") => Ok(Value::Float(f64::INFINITY)),
        Some("-inf") => Ok(Value::Float(f64::NEG_INFINITY)),
        _ => Err(DecodeError::malformed(format!(
            "$float must be \"nan\", \"inf\" or \"-inf\", got {body}"
        ))),
    }
}

fn field<'a>(body: &'a Json, name: &str) -> Result<&'a Json, DecodeError> {
    body.get(name)
        .ok_or_else(|| DecodeError::malformed(format!("missing field `{name}`")))
}

fn decode_dtype(body: &Json) -> Result<DType, DecodeError> {
    let name = field(body, "dtype")?
        .as_str()
        .ok_or_else(|| DecodeError::malformed("`dtype` must be a string"))?;
    name.parse()
        .map_err(|_| DecodeError::unrepresentable(format!("dtype `{name}`")))
}

fn decode_tensor(body: &Json) -> Result<Tensor, DecodeError> {
    let dtype = decode_dtype(body)?;
    let shape: Vec<usize> = match field(body, "shape")? {
        Json::Array(dims) => dims
            .iter()
            .map(|d| d.as_u64().and_then(|d| usize::try_from(d).ok()))
            .collect::<Option<_>>()
            .ok_or_else(|| DecodeError::malformed("`shape` must list non-negative integers"))?,
        _ => return Err(DecodeError::malformed("`shape` must be an array")),
    };
    let b64 = field(body, "npy")?
        .as_str()
        .ok_or_else(|| DecodeError::malformed("`npy` must be a base64 string"))?;
    let bytes = BASE64
        .decode(b64)
        .map_err(|e| DecodeError::malformed(format!("`npy` is not base64: {e}")))?;
    let tensor = npy::decode(&bytes, Some(dtype))
        .map_err(|e| DecodeError::malformed(format!("`npy`: {e}")))?;
    if tensor.shape() != shape.as_slice() {
        return Err(DecodeError::malformed(format!(
            "`npy` has shape {:?} but `shape` says {shape:?}",
            tensor.shape()
        )));
    }
    Ok(tensor)
}

fn decode_spec(body: &Json) -> Result<TensorSpec, DecodeError> {
    let dtype = decode_dtype(body)?;
    let shape = match field(body, "shape")? {
        Json::Array(dims) => dims
            .iter()
            .map(|d| match d {
                Json::Null => Some(None),
                d => d.as_u64().and_then(|d| usize::try_from(d).ok()).map(Some),
            })
            .collect::<Option<_>>()
            .ok_or_else(|| {
                DecodeError::malformed("`shape` must list non-negative integers or null")
            })?,
        _ => return Err(DecodeError::malformed("`shape` must be an array")),
    };
    Ok(TensorSpec { shape, dtype })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use kconform_api::tensor::Scalar;

    use super::*;

    fn round_trip(v: &Value) -> Value {
        let text = serde_json::to_string(&encode_value(v)).unwrap();
        decode_value(&serde_json::from_str(&text).unwrap()).unwrap()
    }

    fn sample(d: DType) -> Tensor {
        let vals: Vec<Scalar> = (0..6)
            .map(|i| match d {
                DType::Bool => Scalar::Bool(i % 2 == 0),
                d if d.is_float() => Scalar::Float(i as f64 - 2.5),
                DType::Uint8 | DType::Uint16 | DType::Uint32 | DType::Uint64 => Scalar::Int(i * 40),
                _ => Scalar::Int(i * 40 - 100),
            })
            .collect();
        Tensor::from_scalars(d, vec![2, 3], &vals).unwrap()
    }

    #[test]
    fn every_value_kind_round_trips() {
        let mut dict = BTreeMap::new();
        dict.insert("axis".to_string(), Value::Int(-1));
        dict.insert("nested".to_string(), Value::List(vec![Value::None]));
        let values = vec![
            Value::None,
            Value::Bool(true),
            Value::Bool(false),
            Value::Int(0),
            Value::Int(i64::MIN),
            Value::Int(i64::MAX),
            Value::Float(1.0),
            Value::Float(0.1),
            Value::Float(1e300),
            Value::Float(-2.5e-310),
            Value::Str("float32 ∑ \"quoted\"\n".to_string()),
            Value::List(vec![]),
            Value::List(vec![Value::Int(1), Value::Float(2.0)]),
            Value::Tuple(vec![]),
            Value::Tuple(vec![
                Value::Tuple(vec![Value::Int(1)]),
                Value::Str("x".into()),
            ]),
            Value::Dict(dict),
            Value::Dict(BTreeMap::new()),
            Value::Tensor(Tensor::scalar_f32(3.5)),
            Value::Spec(TensorSpec {
                shape: vec![None, Some(2), Some(0)],
                dtype: DType::Bfloat16,
            }),
            Value::Spec(TensorSpec {
                shape: vec![],
                dtype: DType::Int8,
            }),
        ];
        for v in values {
            assert_eq!(round_trip(&v), v, "{v:?}");
        }
    }

    #[test]
    fn every_dtype_round_trips() {
        for d in DType::ALL {
            let t = sample(d);
            assert_eq!(
                round_trip(&Value::Tensor(t.clone())),
                Value::Tensor(t),
                "{d}"
            );
            let empty = Tensor::from_scalars(d, vec![0, 4], &[]).unwrap();
            assert_eq!(
                round_trip(&Value::Tensor(empty.clone())),
                Value::Tensor(empty)
            );
        }
    }

    #[test]
    fn float_specials_keep_their_bits() {
        for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, 0.0] {
            match round_trip(&Value::Float(f)) {
                Value::Float(g) => assert_eq!(g.to_bits(), f.to_bits(), "{f}"),
                other => panic!("{other:?}"),
            }
        }
        for d in [
            DType::Float16,
            DType::Bfloat16,
            DType::Float32,
            DType::Float64,
        ] {
            let vals = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0];
            let scalars: Vec<Scalar> = vals.iter().map(|&f| Scalar::Float(f)).collect();
            let t = Tensor::from_scalars(d, vec![4], &scalars).unwrap();
            let back = match round_trip(&Value::Tensor(t)) {
                Value::Tensor(t) => t.to_f64_vec(),
                other => panic!("{other:?}"),
            };
            assert!(back[0].is_nan(), "{d}");
            assert_eq!(back[1], f64::INFINITY);
            assert_eq!(back[2], f64::NEG_INFINITY);
            assert!(back[3] == 0.0 && back[3].is_sign_negative(), "{d}");
        }
    }

    #[test]
    fn floats_always_look_like_floats() {
        for f in [1.0, -0.0, 0.0, 1e300, 5e-324, 123456789.0, 1e16] {
            let text = serde_json::to_string(&encode_value(&Value::Float(f))).unwrap();
            assert!(text.contains('.') || text.contains('e'), "{f} -> {text}");
        }
        let text = serde_json::to_string(&encode_value(&Value::Float(f64::NAN))).unwrap();
        assert_eq!(text, r#"{"$float":"nan"}"#);
        assert_eq!(
            decode_value(&serde_json::from_str("1").unwrap()),
            Ok(Value::Int(1))
        );
        assert_eq!(
            decode_value(&serde_json::from_str("1.0").unwrap()),
            Ok(Value::Float(1.0))
        );
    }

    #[test]
    fn bfloat16_travels_as_u2_bits() {
        let t = sample(DType::Bfloat16);
        let enc = encode_value(&Value::Tensor(t));
        let bytes = BASE64
            .decode(enc["$tensor"]["npy"].as_str().unwrap())
            .unwrap();
        let header = String::from_utf8_lossy(&bytes[..64]);
        assert!(header.contains("'<u2'"), "{header}");
        assert_eq!(enc["$tensor"]["dtype"], "bfloat16");
    }

    #[test]
    fn malformed_values_are_rejected_with_a_path() {
        let cases = [
            r#"{"a": 1}"#,
            r#"{"$tuple": [1], "$dict": {}}"#,
            r#"{"$float": "NaN"}"#,
            r#"{"$tuple": 3}"#,
            r#"{"$tensor": {"dtype": "float32", "shape": [1]}}"#,
            r#"{"$tensor": {"dtype": "float32", "shape": [1], "npy": "!!"}}"#,
            r#"{"$tensor": {"dtype": "float32", "shape": [1], "npy": "AAAA"}}"#,
            r#"{"$spec": {"dtype": "float32", "shape": [-1]}}"#,
            r#"{"$spec": {"dtype": 3, "shape": []}}"#,
        ];
        for c in cases {
            let j: Json = serde_json::from_str(c).unwrap();
            assert!(
                matches!(decode_value(&j), Err(DecodeError::Malformed { .. })),
                "{c}"
            );
        }
        let j: Json = serde_json::from_str(r#"{"$tuple": [1, {"$float": "x"}]}"#).unwrap();
        let err = decode_value(&j).unwrap_err().to_string();
        assert!(err.contains("$.$tuple[1].$float"), "{err}");
    }

    #[test]
    fn shape_must_match_npy() {
        let mut enc = encode_value(&Value::Tensor(sample(DType::Int32)));
        enc["$tensor"]["shape"] = json!([3, 2]);
        assert!(matches!(
            decode_value(&enc),
            Err(DecodeError::Malformed { .. })
        ));
        let mut enc = encode_value(&Value::Tensor(sample(DType::Int32)));
        enc["$tensor"]["dtype"] = json!("float32");
        assert!(matches!(
            decode_value(&enc),
            Err(DecodeError::Malformed { .. })
        ));
    }

    #[test]
    fn unrepresentable_values_are_told_apart() {
        for c in [
            "18446744073709551615",
            r#"{"$int": "1267650600228229401496703205376"}"#,
            r#"{"$spec": {"dtype": "complex64", "shape": []}}"#,
        ] {
            let j: Json = serde_json::from_str(c).unwrap();
            assert!(
                matches!(decode_value(&j), Err(DecodeError::Unrepresentable { .. })),
                "{c}"
            );
        }
    }
}
