//! Against real Keras (jax backend). These run when `KCONFORM_KERAS_PYTHON`
//! names the oracle interpreter (`bash scripts/setup-oracle.sh` prints it) and
//! print one line saying they were skipped otherwise.

use std::io::Write;
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use kconform_api::tensor::Scalar;
use kconform_api::{Backend, BackendError, DType, Feature, OpCall, Tensor, TensorSpec, Value};
use kconform_keras::{KerasBackend, KerasConfig, PYTHON_ENV};

/// The shared adapter, or `None` (after one notice) when the oracle is not configured.
fn keras() -> Option<&'static KerasBackend> {
    static BACKEND: OnceLock<Option<KerasBackend>> = OnceLock::new();
    static NOTICE: Once = Once::new();
    let backend = BACKEND.get_or_init(|| {
        std::env::var_os(PYTHON_ENV)?;
        let start = Instant::now();
        let b = KerasBackend::from_env("jax").expect("the oracle adapter starts");
        note(&format!(
            "live Keras adapter started in {} ms",
            start.elapsed().as_millis()
        ));
        Some(b)
    });
    if backend.is_none() {
        NOTICE.call_once(|| {
            note("SKIPPED live Keras tests: KCONFORM_KERAS_PYTHON is not set (see scripts/setup-oracle.sh)")
        });
    }
    backend.as_ref()
}

/// Writes past the test harness's output capture, so the line is always seen.
fn note(line: &str) {
    let _ = writeln!(std::io::stderr(), "kconform-keras: {line}");
}

fn tensor(dtype: DType, shape: Vec<usize>, values: &[f64]) -> Value {
    let scalars: Vec<Scalar> = values
        .iter()
        .map(|&f| {
            if dtype.is_float() {
                Scalar::Float(f)
            } else {
                Scalar::Int(f as i128)
            }
        })
        .collect();
    Value::Tensor(Tensor::from_scalars(dtype, shape, &scalars).unwrap())
}

fn spec(shape: &[Option<usize>], dtype: DType) -> Value {
    Value::Spec(TensorSpec {
        shape: shape.to_vec(),
        dtype,
    })
}

fn as_tensor(v: Result<Value, BackendError>) -> Tensor {
    match v {
        Ok(Value::Tensor(t)) => t,
        other => panic!("expected a tensor, got {other:?}"),
    }
}

#[test]
fn handshake_describes_keras_jax() {
    let Some(k) = keras() else { return };
    let info = k.info();
    assert_eq!(info.id, "keras-jax");
    assert_eq!(info.device, "cpu");
    assert_eq!(info.versions["keras"], "3.15.1");
    assert_eq!(info.versions["jax"], "0.10.2");
    assert!(info.versions.contains_key("numpy") && info.versions.contains_key("python"));
    assert_eq!(info.settings["jax_enable_x64"], "false");
    let caps = k.capabilities();
    for op in ["absolute", "add", "squeeze", "ndim", "image.resize"] {
        assert!(caps.supports_op(op), "{op}");
    }
    assert!(!caps.supports_op("image"), "submodules are not ops");
    assert_eq!(caps.dtypes.len(), DType::ALL.len());
    assert!(caps.has(Feature::Symbolic));
}

#[test]
fn absolute_keeps_nan_and_clears_the_sign_of_zero() {
    let Some(k) = keras() else { return };
    let x = tensor(
        DType::Float32,
        vec![4],
        &[-0.0, f64::NAN, -1.5, f64::NEG_INFINITY],
    );
    let t = as_tensor(k.call(&OpCall::new("absolute", vec![x])));
    assert_eq!(t.dtype(), DType::Float32);
    assert_eq!(t.shape(), &[4]);
    let v = t.to_f64_vec();
    assert!(v[0] == 0.0 && v[0].is_sign_positive());
    assert!(v[1].is_nan());
    assert_eq!(&v[2..], &[1.5, f64::INFINITY]);
}

#[test]
fn a_python_int_does_not_widen_int8() {
    let Some(k) = keras() else { return };
    let x = tensor(DType::Int8, vec![3], &[1.0, -2.0, 127.0]);
    let t = as_tensor(k.call(&OpCall::new("add", vec![x, Value::Int(1)])));
    assert_eq!(t.dtype(), DType::Int8);
    assert_eq!(t.to_f64_vec(), vec![2.0, -1.0, -128.0], "int8 wraps");
}

#[test]
fn eager_squeeze_of_a_wide_axis_raises_value_error() {
    let Some(k) = keras() else { return };
    let x = tensor(DType::Float32, vec![2, 3], &[0.0; 6]);
    let call = OpCall::new("squeeze", vec![x]).kwarg("axis", Value::Int(0));
    match k.call(&call) {
        Err(BackendError::Raised { kind, message }) => {
            assert_eq!(kind, "ValueError");
            assert!(message.contains("squeeze"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn symbolic_squeeze_infers_shapes_and_raises_like_keras() {
    let Some(k) = keras() else { return };
    let x = spec(&[None, Some(2), Some(2), Some(1)], DType::Float32);
    assert_eq!(
        k.call_symbolic(&OpCall::new("squeeze", vec![x])),
        Ok(spec(&[None, Some(2), Some(2)], DType::Float32))
    );
    let wide = spec(&[None, Some(2), Some(3)], DType::Float32);
    let call = OpCall::new("squeeze", vec![wide]).kwarg("axis", Value::Int(1));
    match k.call_symbolic(&call) {
        Err(BackendError::Raised { kind, message }) => {
            assert_eq!(kind, "ValueError");
            assert!(message.contains("Cannot squeeze axis"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn python_scalars_and_tuples_come_back_as_such() {
    let Some(k) = keras() else { return };
    let x = tensor(DType::Float32, vec![2, 3], &[0.0; 6]);
    assert_eq!(
        k.call(&OpCall::new("ndim", vec![x.clone()])),
        Ok(Value::Int(2))
    );
    assert_eq!(
        k.call(&OpCall::new("shape", vec![x])),
        Ok(Value::Tuple(vec![Value::Int(2), Value::Int(3)]))
    );
    let s = spec(&[None, Some(2), Some(3)], DType::Float32);
    assert_eq!(
        k.call_symbolic(&OpCall::new("shape", vec![s])),
        Ok(Value::Tuple(vec![
            Value::None,
            Value::Int(2),
            Value::Int(3)
        ]))
    );
}

#[test]
fn bfloat16_round_trips_bit_exactly() {
    let Some(k) = keras() else { return };
    let vals = [1.5, -0.0, f64::INFINITY, 3.140625, -65280.0];
    let x = tensor(DType::Bfloat16, vec![5], &vals);
    let t = as_tensor(k.call(&OpCall::new("copy", vec![x.clone()])));
    assert_eq!(Value::Tensor(t), x);
    let f = tensor(DType::Float32, vec![1], &[3.1459]);
    let cast = OpCall::new("cast", vec![f, Value::Str("bfloat16".into())]);
    let t = as_tensor(k.call(&cast));
    assert_eq!(t.dtype(), DType::Bfloat16);
    assert_eq!(t.to_f64_vec(), vec![3.140625], "3.1459 rounds to nearest");
}

#[test]
fn unknown_ops_are_unsupported_and_bad_arguments_raise() {
    let Some(k) = keras() else { return };
    assert!(matches!(
        k.call(&OpCall::new("no_such_op", vec![])),
        Err(BackendError::Unsupported(_))
    ));
    match k.call(&OpCall::new("add", vec![])) {
        Err(BackendError::Raised { kind, .. }) => assert_eq!(kind, "TypeError"),
        other => panic!("{other:?}"),
    }
    let symbolic_in_eager =
        OpCall::new("add", vec![spec(&[Some(1)], DType::Float32), Value::Int(1)]);
    match k.call(&symbolic_in_eager) {
        Err(BackendError::Protocol(msg)) => assert!(msg.contains("symbolic"), "{msg}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn round_trip_timing() {
    let Some(k) = keras() else { return };
    let x = tensor(DType::Float32, vec![8], &[-1.0; 8]);
    let call = OpCall::new("absolute", vec![x]);
    k.call(&call).unwrap();
    let n = 200u32;
    let start = Instant::now();
    for _ in 0..n {
        k.ping().unwrap();
    }
    let ping = start.elapsed() / n;
    let start = Instant::now();
    for _ in 0..n {
        k.call(&call).unwrap();
    }
    let abs = start.elapsed() / n;
    note(&format!(
        "round trip: ping {:.3} ms, absolute(float32[8]) {:.3} ms",
        ms(ping),
        ms(abs)
    ));
}

#[test]
fn a_fresh_adapter_starts_and_stops() {
    let Some(_) = keras() else { return };
    let Ok(config) = KerasConfig::from_env("numpy") else {
        return;
    };
    let start = Instant::now();
    let b = KerasBackend::launch(config).expect("numpy backend starts");
    let started = start.elapsed();
    let x = tensor(DType::Int8, vec![2], &[1.0, 2.0]);
    let t = as_tensor(b.call(&OpCall::new("add", vec![x, Value::Int(1)])));
    assert_eq!(t.dtype(), DType::Int8);
    assert_eq!(b.info().id, "keras-numpy");
    note(&format!(
        "keras-numpy adapter started in {} ms",
        started.as_millis()
    ));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// 0-d tensors keep their shape `()` both ways (np.ascontiguousarray once made them `(1,)`).
#[test]
fn zero_d_tensors_keep_their_shape() {
    let Some(k) = keras() else { return };
    let out = k
        .call(&OpCall::new(
            "absolute",
            vec![tensor(DType::Float32, vec![], &[-2.5])],
        ))
        .unwrap();
    let t = out.as_tensor().expect("a tensor");
    assert_eq!(t.shape(), &[] as &[usize]);
    assert_eq!(t.to_f64_vec(), vec![2.5]);
    let out = k
        .call(&OpCall::new(
            "sum",
            vec![tensor(DType::Int32, vec![3], &[1.0, 2.0, 3.0])],
        ))
        .unwrap();
    assert_eq!(out.as_tensor().unwrap().shape(), &[] as &[usize]);
}
