//! Protocol messages: the handshake, request lines and response lines.

use std::collections::{BTreeMap, BTreeSet};

use kconform_api::{BackendError, Capabilities, DType, Feature, OpCall, Value};
use serde_json::{json, Map, Value as Json};

use crate::protocol::{decode_value, encode_value, DecodeError};

/// The protocol version this client speaks.
pub const PROTOCOL_VERSION: u64 = 1;

/// How the adapter should run a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// On concrete tensors.
    Eager,
    /// On `keras.KerasTensor`s built from `$spec` arguments.
    Symbolic,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Eager => "eager",
            Mode::Symbolic => "symbolic",
        }
    }
}

/// The adapter's first line: who it is and what it supports.
#[derive(Clone, Debug, PartialEq)]
pub struct Handshake {
    /// Protocol version (always [`PROTOCOL_VERSION`] once accepted).
    pub protocol: u64,
    /// The adapter's name, e.g. `kconform-keras`.
    pub adapter: String,
    /// Library versions: `keras`, the backend library, `numpy`, `python`, ….
    pub versions: BTreeMap<String, String>,
    /// The Keras backend actually running (`keras.backend.backend()`).
    pub keras_backend: String,
    /// The device computations run on; `cpu` when the adapter does not say.
    pub device: String,
    /// Numeric settings that change results (e.g. `jax_enable_x64`).
    pub settings: BTreeMap<String, String>,
    /// Op names, dtypes and features, as the adapter listed them.
    pub capabilities: Capabilities,
    /// Dtype names the adapter listed that kconform does not know.
    pub unknown_dtypes: Vec<String>,
}

/// Parses and checks a handshake line for a backend expecting `keras_backend`.
pub(crate) fn parse_handshake(line: &[u8], keras_backend: &str) -> Result<Handshake, String> {
    let j: Json = serde_json::from_slice(line)
        .map_err(|e| format!("not JSON ({e}): {}", crate::process::preview(line)))?;
    let obj = j.as_object().ok_or("the handshake must be a JSON object")?;
    let protocol = obj
        .get("protocol")
        .and_then(Json::as_u64)
        .ok_or("`protocol` must be an integer")?;
    if protocol != PROTOCOL_VERSION {
        return Err(format!(
            "the adapter speaks protocol {protocol}; this client speaks {PROTOCOL_VERSION}"
        ));
    }
    let adapter = string_field(obj, "adapter")?;
    let running = string_field(obj, "keras_backend")?;
    if running != keras_backend {
        return Err(format!(
            "the adapter runs keras backend `{running}` but `{keras_backend}` was requested"
        ));
    }
    let caps = obj
        .get("capabilities")
        .and_then(Json::as_object)
        .ok_or("`capabilities` must be an object")?;
    let ops = string_list(caps, "ops")?;
    let mut dtypes = BTreeSet::new();
    let mut unknown_dtypes = Vec::new();
    for name in string_list(caps, "dtypes")? {
        match name.parse::<DType>() {
            Ok(d) => {
                dtypes.insert(d);
            }
            Err(_) => unknown_dtypes.push(name),
        }
    }
    let features = string_list(caps, "features")?
        .iter()
        .filter_map(|f| match f.as_str() {
            "symbolic" => Some(Feature::Symbolic),
            "programs" => Some(Feature::Programs),
            "traced_programs" => Some(Feature::TracedPrograms),
            _ => None,
        })
        .collect();
    let device = match obj.get("device") {
        None => "cpu".to_string(),
        Some(_) => string_field(obj, "device")?,
    };
    let random_stream = Some(kconform_api::backend::keras_stream_family(
        &running, &device,
    ));
    Ok(Handshake {
        protocol,
        adapter,
        versions: string_map(obj, "versions")?,
        keras_backend: running,
        device,
        settings: string_map(obj, "settings")?,
        capabilities: Capabilities {
            ops: ops.into_iter().collect(),
            dtypes,
            features,
            random_stream,
        },
        unknown_dtypes,
    })
}

fn string_field(obj: &Map<String, Json>, name: &str) -> Result<String, String> {
    obj.get(name)
        .and_then(Json::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("`{name}` must be a string"))
}

fn string_list(obj: &Map<String, Json>, name: &str) -> Result<Vec<String>, String> {
    obj.get(name)
        .and_then(Json::as_array)
        .and_then(|items| {
            items
                .iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .ok_or_else(|| format!("`{name}` must be a list of strings"))
}

/// An optional object whose values are printed as strings.
fn string_map(obj: &Map<String, Json>, name: &str) -> Result<BTreeMap<String, String>, String> {
    match obj.get(name) {
        None => Ok(BTreeMap::new()),
        Some(Json::Object(m)) => Ok(m
            .iter()
            .map(|(k, v)| {
                let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                (k.clone(), text)
            })
            .collect()),
        Some(_) => Err(format!("`{name}` must be an object")),
    }
}

/// One request line (newline included) for `keras.ops.<op>(*args, **kwargs)`.
pub(crate) fn call_line(id: u64, mode: Mode, call: &OpCall) -> Vec<u8> {
    let kwargs: Map<String, Json> = call
        .kwargs
        .iter()
        .map(|(k, v)| (k.clone(), encode_value(v)))
        .collect();
    line(&json!({
        "id": id,
        "method": "call",
        "mode": mode.name(),
        "op": call.op,
        "args": call.args.iter().map(encode_value).collect::<Vec<_>>(),
        "kwargs": kwargs,
    }))
}

/// One request line for a program (spec/protocol.md, "program").
pub(crate) fn program_line(id: u64, program: &kconform_api::Program) -> Vec<u8> {
    let steps = |steps: &[kconform_api::Step]| -> Vec<Json> {
        steps
            .iter()
            .map(|s| {
                let kwargs: Map<String, Json> = s
                    .call
                    .kwargs
                    .iter()
                    .map(|(k, v)| (k.clone(), encode_value(v)))
                    .collect();
                json!({
                    "let": s.bind,
                    "op": s.call.op,
                    "args": s.call.args.iter().map(encode_value).collect::<Vec<_>>(),
                    "kwargs": kwargs,
                })
            })
            .collect()
    };
    line(&json!({
        "id": id,
        "method": "program",
        "setup": steps(&program.setup),
        "body": steps(&program.body),
        "runs": program.runs,
        "traced": program.traced,
    }))
}

/// A `ping` request line.
pub(crate) fn ping_line(id: u64) -> Vec<u8> {
    line(&json!({ "id": id, "method": "ping" }))
}

fn line(j: &Json) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(j).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Parses the response to request `id`.
///
/// The outer `Err` is a protocol violation (the stream can no longer be
/// trusted); the inner result is the call's outcome, an error the adapter
/// reported included.
pub(crate) fn parse_response(line: &[u8], id: u64) -> Result<Result<Value, BackendError>, String> {
    let j: Json = serde_json::from_slice(line).map_err(|e| {
        format!(
            "response is not JSON ({e}): {}",
            crate::process::preview(line)
        )
    })?;
    let obj = j.as_object().ok_or("a response must be a JSON object")?;
    match obj.get("id") {
        Some(got) if got.as_u64() == Some(id) => {}
        got => {
            return Err(format!(
                "expected the response to request {id}, got id {}",
                got.map_or("(none)".to_string(), Json::to_string)
            ))
        }
    }
    match obj.get("ok") {
        Some(Json::Bool(true)) => {
            let result = obj.get("result").ok_or("`ok` response without `result`")?;
            Ok(decode_value(result).map_err(|e| match e {
                DecodeError::Unrepresentable { .. } => BackendError::Unsupported(e.to_string()),
                DecodeError::Malformed { .. } => BackendError::Protocol(e.to_string()),
            }))
        }
        Some(Json::Bool(false)) => {
            let err = obj
                .get("error")
                .and_then(Json::as_object)
                .ok_or("`ok: false` response without an `error` object")?;
            Ok(Err(adapter_error(err)?))
        }
        _ => Err("`ok` must be true or false".to_string()),
    }
}

/// Maps an `error` object to the [`BackendError`] its `origin` calls for.
fn adapter_error(err: &Map<String, Json>) -> Result<BackendError, String> {
    let kind = string_field(err, "type")?;
    let message = string_field(err, "message")?;
    let origin = err.get("origin").and_then(Json::as_str).unwrap_or("op");
    Ok(match origin {
        "unsupported" => BackendError::Unsupported(message),
        "adapter" => BackendError::Protocol(format!(
            "the adapter rejected the request: {kind}: {message}"
        )),
        _ => BackendError::Raised { kind, message },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handshake_json() -> Json {
        json!({
            "protocol": 1, "adapter": "kconform-keras",
            "versions": {"keras": "3.15.1", "python": "3.11.7"},
            "keras_backend": "jax",
            "capabilities": {"ops": ["add", "image.resize"], "dtypes": ["float32", "complex64"], "features": ["symbolic", "later"]},
        })
    }

    #[test]
    fn handshake_is_parsed_and_checked() {
        let text = handshake_json().to_string();
        let h = parse_handshake(text.as_bytes(), "jax").unwrap();
        assert_eq!(h.device, "cpu");
        assert_eq!(h.versions["keras"], "3.15.1");
        assert!(h.capabilities.supports_op("image.resize"));
        assert!(h.capabilities.supports_dtype(DType::Float32));
        assert!(h.capabilities.has(Feature::Symbolic));
        assert_eq!(h.unknown_dtypes, vec!["complex64".to_string()]);
        assert!(parse_handshake(text.as_bytes(), "torch")
            .unwrap_err()
            .contains("`jax`"));
        let mut wrong = handshake_json();
        wrong["protocol"] = json!(2);
        assert!(parse_handshake(wrong.to_string().as_bytes(), "jax")
            .unwrap_err()
            .contains("protocol 2"));
        assert!(parse_handshake(b"hello", "jax").is_err());
        assert!(parse_handshake(b"[]", "jax").is_err());
    }

    #[test]
    fn responses_map_to_results_and_errors() {
        let ok = br#"{"id": 3, "ok": true, "result": {"$tuple": [1, 2.0]}}"#;
        assert_eq!(
            parse_response(ok, 3).unwrap(),
            Ok(Value::Tuple(vec![Value::Int(1), Value::Float(2.0)]))
        );
        assert!(parse_response(ok, 4).is_err(), "id mismatch");
        let raised = br#"{"id": 3, "ok": false, "error": {"type": "ValueError", "message": "m", "traceback": "t"}}"#;
        assert_eq!(
            parse_response(raised, 3).unwrap(),
            Err(BackendError::value_error("m"))
        );
        let unsupported = br#"{"id": 3, "ok": false, "error": {"type": "Unsupported", "message": "m", "origin": "unsupported"}}"#;
        assert!(matches!(
            parse_response(unsupported, 3).unwrap(),
            Err(BackendError::Unsupported(_))
        ));
        let big = br#"{"id": 3, "ok": true, "result": {"$int": "99999999999999999999999"}}"#;
        assert!(matches!(
            parse_response(big, 3).unwrap(),
            Err(BackendError::Unsupported(_))
        ));
        for bad in [
            &b"garbage"[..],
            br#"{"id": 3}"#,
            br#"{"id": 3, "ok": true}"#,
            br#"{"id": 3, "ok": false, "error": "x"}"#,
        ] {
            assert!(parse_response(bad, 3).is_err());
        }
    }

    #[test]
    fn call_lines_are_single_json_lines() {
        let call = OpCall::new("add", vec![Value::Float(f64::NAN), Value::Int(1)])
            .kwarg("axis", Value::None);
        let bytes = call_line(9, Mode::Symbolic, &call);
        assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 1);
        let j: Json = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(j["mode"], "symbolic");
        assert_eq!(j["args"][0]["$float"], "nan");
        assert_eq!(j["kwargs"]["axis"], Json::Null);
    }
}
