//! The client against fake adapters (tests/fixtures/*.py, run with system
//! `python3`) that crash, hang, print garbage or shake hands badly.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kconform_api::tensor::Scalar;
use kconform_api::{Backend, BackendError, DType, Feature, OpCall, Tensor, TensorSpec, Value};
use kconform_keras::{KerasBackend, KerasConfig, KerasError};

fn fixture(name: &str) -> KerasConfig {
    let script: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", name]
        .iter()
        .collect();
    let mut config = KerasConfig::new("python3", "jax");
    config.adapter_script = Some(script);
    config.timeout = Duration::from_secs(20);
    config.startup_timeout = Duration::from_secs(20);
    config
}

fn fake() -> KerasBackend {
    KerasBackend::launch(fixture("fake_adapter.py")).expect("fake adapter starts")
}

fn call(b: &KerasBackend, op: &str) -> Result<Value, BackendError> {
    b.call(&OpCall::new(op, vec![]))
}

fn echo(b: &KerasBackend, v: Value) -> Result<Value, BackendError> {
    b.call(&OpCall::new("echo", vec![v]))
}

fn tensor(dtype: DType, values: &[f64]) -> Tensor {
    let scalars: Vec<Scalar> = values.iter().map(|&f| Scalar::Float(f)).collect();
    Tensor::from_scalars(dtype, vec![values.len()], &scalars).unwrap()
}

#[test]
fn values_survive_a_trip_through_python() {
    let b = fake();
    let mut dict = BTreeMap::new();
    dict.insert("k".to_string(), Value::Float(-0.0));
    let value = Value::Tuple(vec![
        Value::Tensor(tensor(DType::Bfloat16, &[1.5, -0.0, f64::INFINITY])),
        Value::List(vec![Value::Int(-7), Value::Float(1.0), Value::Float(1e300)]),
        Value::Dict(dict),
        Value::Spec(TensorSpec {
            shape: vec![None, Some(3)],
            dtype: DType::Float16,
        }),
        Value::Str("ünïcode".into()),
        Value::None,
        Value::Bool(true),
    ]);
    assert_eq!(echo(&b, value.clone()), Ok(value));
    match echo(&b, Value::Float(f64::NAN)) {
        Ok(Value::Float(f)) => assert!(f.is_nan()),
        other => panic!("{other:?}"),
    }
    match echo(&b, Value::Float(-0.0)) {
        Ok(Value::Float(f)) => assert!(f == 0.0 && f.is_sign_negative()),
        other => panic!("{other:?}"),
    }
    assert!(b.ping().is_ok());
}

#[test]
fn info_and_capabilities_come_from_the_handshake() {
    let b = fake();
    let info = b.info();
    assert_eq!(info.id, "keras-jax");
    assert_eq!(info.device, "cpu");
    assert_eq!(info.versions["fake"], "0.1");
    assert!(info.versions.contains_key("kconform-keras"));
    assert_eq!(info.settings["mood"], "helpful");
    let caps = b.capabilities();
    assert!(caps.supports_op("echo"));
    assert!(caps.supports_dtype(DType::Int8));
    assert!(!caps.supports_dtype(DType::Float64));
    assert!(caps.has(Feature::Symbolic));
    assert_eq!(
        b.handshake().unwrap().unknown_dtypes,
        vec!["complex64".to_string()]
    );
}

#[test]
fn lazy_start_happens_on_first_use() {
    let b = KerasBackend::new(fixture("fake_adapter.py")).unwrap();
    assert_eq!(b.launches(), 0);
    assert_eq!(b.adapter_pid(), None);
    assert!(b.capabilities().supports_op("echo"));
    assert_eq!(b.launches(), 1);
}

#[test]
fn a_crash_mid_request_reports_stderr_and_the_next_call_restarts() {
    let b = fake();
    match call(&b, "crash") {
        Err(BackendError::Crashed(msg)) => {
            assert!(msg.contains("about to crash"), "{msg}");
            assert!(msg.contains("`crash`"), "{msg}");
            assert!(msg.contains('3'), "exit status in {msg}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(b.adapter_pid(), None);
    assert_eq!(echo(&b, Value::Int(5)), Ok(Value::Int(5)));
    assert_eq!(b.launches(), 2);
}

#[test]
fn a_half_written_response_is_a_crash() {
    let b = fake();
    assert!(matches!(call(&b, "partial"), Err(BackendError::Crashed(_))));
    assert_eq!(echo(&b, Value::Int(1)), Ok(Value::Int(1)));
}

#[test]
fn a_hang_times_out_kills_and_restarts() {
    let mut config = fixture("fake_adapter.py");
    config.timeout = Duration::from_millis(700);
    let b = KerasBackend::launch(config).unwrap();
    let pid = b.adapter_pid().unwrap();
    let start = Instant::now();
    assert_eq!(
        call(&b, "hang"),
        Err(BackendError::Timeout(Duration::from_millis(700)))
    );
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(!process_alive(pid), "hung adapter {pid} was killed");
    assert_eq!(echo(&b, Value::Int(2)), Ok(Value::Int(2)));
    assert_ne!(b.adapter_pid(), Some(pid));
}

#[test]
fn garbage_on_stdout_is_a_protocol_error_and_restarts() {
    let b = fake();
    for op in ["garbage", "print_then_echo", "wrong_id"] {
        let pid = b.adapter_pid();
        match call(&b, op) {
            Err(BackendError::Protocol(msg)) => assert!(!msg.is_empty()),
            other => panic!("{op}: {other:?}"),
        }
        assert_eq!(echo(&b, Value::Int(3)), Ok(Value::Int(3)), "after {op}");
        assert_ne!(b.adapter_pid(), pid, "{op} restarts the adapter");
    }
}

#[test]
fn an_overlong_line_is_a_protocol_error() {
    let mut config = fixture("fake_adapter.py");
    config.max_line_bytes = 10_000;
    let b = KerasBackend::launch(config).unwrap();
    match call(&b, "huge") {
        Err(BackendError::Protocol(msg)) => assert!(msg.contains("10000"), "{msg}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(echo(&b, Value::Int(4)), Ok(Value::Int(4)));
}

#[test]
fn reported_errors_keep_the_adapter_running() {
    let b = fake();
    let pid = b.adapter_pid();
    assert_eq!(
        call(&b, "raise"),
        Err(BackendError::value_error("Cannot squeeze axis 1"))
    );
    assert!(matches!(
        call(&b, "unsupported"),
        Err(BackendError::Unsupported(_))
    ));
    assert!(matches!(
        call(&b, "bigint"),
        Err(BackendError::Unsupported(_))
    ));
    assert_eq!(
        call(&b, "no_such_op"),
        Err(BackendError::raised("AttributeError", "no_such_op"))
    );
    assert_eq!(b.adapter_pid(), pid);
    assert_eq!(b.launches(), 1);
}

#[test]
fn a_bad_handshake_is_reported() {
    match KerasBackend::launch(fixture("bad_handshake.py")) {
        Err(KerasError::Handshake(msg)) => assert!(msg.contains("not JSON"), "{msg}"),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("accepted a bad handshake"),
    }
    match KerasBackend::launch(fixture("wrong_protocol.py")) {
        Err(KerasError::Handshake(msg)) => assert!(msg.contains("protocol 99"), "{msg}"),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("accepted protocol 99"),
    }
    let lazy = KerasBackend::new(fixture("bad_handshake.py")).unwrap();
    assert!(matches!(
        call(&lazy, "echo"),
        Err(BackendError::Protocol(_))
    ));
    assert!(lazy.capabilities().ops.is_empty());
    assert_eq!(lazy.info().id, "keras-jax");
}

#[test]
fn no_handshake_is_a_startup_timeout() {
    let mut config = fixture("silent.py");
    config.startup_timeout = Duration::from_millis(500);
    match KerasBackend::launch(config) {
        Err(KerasError::StartupTimeout { timeout, .. }) => {
            assert_eq!(timeout, Duration::from_millis(500))
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("started without a handshake"),
    }
}

#[test]
fn dying_at_start_reports_stderr_and_repeated_failures_stop_retrying() {
    match KerasBackend::launch(fixture("dies_at_start.py")) {
        Err(KerasError::Exited(msg)) => {
            assert!(msg.contains("No module named 'keras'"), "{msg}")
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("started"),
    }
    let mut config = fixture("dies_at_start.py");
    config.max_launch_failures = 2;
    let b = KerasBackend::new(config).unwrap();
    let first = call(&b, "echo");
    assert!(matches!(&first, Err(BackendError::Crashed(m)) if m.contains("keras")));
    let second = call(&b, "echo");
    assert_ne!(second, first, "a second launch was tried (another pid)");
    let start = Instant::now();
    assert_eq!(call(&b, "echo"), second, "the last launch error, at once");
    assert!(start.elapsed() < Duration::from_millis(50));
    assert_eq!(b.launches(), 0);
}

#[test]
fn a_missing_interpreter_is_a_spawn_error() {
    let mut config = fixture("fake_adapter.py");
    config.python = "/no/such/python3".into();
    match KerasBackend::launch(config) {
        Err(e @ KerasError::Spawn { .. }) => assert!(e.to_string().contains("/no/such/python3")),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("started"),
    }
}

#[test]
fn config_errors_point_at_the_setup_script() {
    assert!(KerasError::PythonNotSet
        .to_string()
        .contains("scripts/setup-oracle.sh"));
    let e = KerasError::PythonNotExecutable { path: "/x".into() };
    assert!(e.to_string().contains("scripts/setup-oracle.sh"));
}

#[test]
fn dropping_the_backend_kills_the_adapter() {
    let b = fake();
    let pid = match call(&b, "pid") {
        Ok(Value::Int(pid)) => u32::try_from(pid).unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(b.adapter_pid(), Some(pid));
    assert!(process_alive(pid));
    drop(b);
    assert!(!process_alive(pid));
}

#[test]
fn concurrent_calls_are_serialized() {
    let b = Arc::new(fake());
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let b = Arc::clone(&b);
            std::thread::spawn(move || {
                for i in 0..25 {
                    let v = Value::Int(t * 1000 + i);
                    assert_eq!(echo(&b, v.clone()), Ok(v));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(b.launches(), 1);
}

/// True while `pid` exists and is not a zombie (Linux `/proc`; elsewhere assumes dead).
fn process_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| !s.contains(") Z "))
        .unwrap_or(false)
}

#[test]
fn symbolic_calls_return_specs_and_need_the_feature() {
    let b = fake();
    let t = Tensor::from_scalars(DType::Int8, vec![2], &[Scalar::Int(1), Scalar::Int(2)]).unwrap();
    let call = OpCall::new("echo", vec![Value::Tensor(t)]);
    assert_eq!(
        b.call_symbolic(&call),
        Ok(Value::Spec(TensorSpec {
            shape: vec![Some(2)],
            dtype: DType::Int8
        }))
    );
    let mut config = fixture("fake_adapter.py");
    config.env.push(("FAKE_NO_SYMBOLIC".into(), "1".into()));
    let plain = KerasBackend::launch(config).unwrap();
    assert!(!plain.capabilities().has(Feature::Symbolic));
    assert!(matches!(
        plain.call_symbolic(&call),
        Err(BackendError::Unsupported(_))
    ));
}
