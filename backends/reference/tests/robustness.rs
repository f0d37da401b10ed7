//! No input makes the backend panic or fail internally: every call either
//! returns a value, raises a Python exception, or says it is unsupported.

mod common;

use common::*;
use kconform_api::{Backend, BackendError, DType, OpCall, TensorSpec, Value};
use kconform_reference::ReferenceBackend;

fn odd_values() -> Vec<Value> {
    let mut vals = vec![
        Value::None,
        Value::Bool(true),
        Value::Int(0),
        Value::Int(-1),
        Value::Int(i64::MAX),
        Value::Int(i64::MIN),
        Value::Float(f64::NAN),
        Value::Float(-1e300),
        Value::Str("float32".into()),
        Value::Str("".into()),
        Value::List(vec![]),
        Value::List(vec![Value::Int(1), Value::List(vec![Value::Int(2)])]),
        Value::Tuple(vec![Value::Int(0), Value::Int(0)]),
        Value::Tuple(vec![Value::Int(i64::MAX), Value::Int(-1)]),
        Value::Dict(Default::default()),
        Value::Spec(TensorSpec {
            shape: vec![None, Some(2)],
            dtype: DType::Float32,
        }),
        t(DType::Float32, &[0, 3], &[]),
        t(DType::Float64, &[], &[f64::INFINITY]),
    ];
    for d in DType::ALL {
        vals.push(t(d, &[2, 1, 2], &[1.0, 0.0, 1.0, 1.0]));
    }
    vals
}

fn check(backend: &ReferenceBackend, call: &OpCall) {
    match backend.call(call) {
        Ok(_) | Err(BackendError::Raised { .. }) | Err(BackendError::Unsupported(_)) => {}
        Err(other) => panic!("{call:?} failed internally: {other:?}"),
    }
}

#[test]
fn odd_arguments_never_fail_internally() {
    let backend = ReferenceBackend::new();
    let ops: Vec<String> = backend.capabilities().ops.into_iter().collect();
    let vals = odd_values();
    for op in &ops {
        check(&backend, &OpCall::new(op.clone(), vec![]));
        for a in &vals {
            check(&backend, &OpCall::new(op.clone(), vec![a.clone()]));
            for b in &vals {
                check(
                    &backend,
                    &OpCall::new(op.clone(), vec![a.clone(), b.clone()]),
                );
            }
            for key in [
                "axis", "keepdims", "dtype", "initial", "offset", "axis1", "ragged", "step",
            ] {
                let base = t(DType::Int8, &[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
                check(
                    &backend,
                    &OpCall::new(op.clone(), vec![base]).kwarg(key, a.clone()),
                );
            }
        }
    }
}

#[test]
fn huge_results_are_refused_not_allocated() {
    let big = |n: usize| t(DType::Float32, &[n, 1], &vec![0.0; n]);
    let r = call(
        "add",
        vec![
            big(100_000),
            t(DType::Float32, &[1, 100_000], &vec![0.0; 100_000]),
        ],
    );
    assert!(matches!(r, Err(BackendError::Unsupported(_))), "{r:?}");
    let r = call("arange", vec![Value::Float(1e18)]);
    assert!(matches!(r, Err(BackendError::Unsupported(_))), "{r:?}");
    let r = call(
        "reshape",
        vec![
            big(4),
            Value::Tuple(vec![Value::Int(i64::MAX), Value::Int(i64::MAX)]),
        ],
    );
    raises(
        r,
        "TypeError",
        "cannot reshape array of shape (4, 1) (size 4)",
    );
}

#[test]
fn info_and_capabilities() {
    let b = ReferenceBackend::new();
    let info = b.info();
    assert_eq!(
        (info.id.as_str(), info.device.as_str()),
        ("reference", "cpu")
    );
    assert_eq!(
        info.versions.get("kconform-reference").map(String::as_str),
        Some(env!("CARGO_PKG_VERSION"))
    );
    let caps = b.capabilities();
    // The 40 numpy-table ops of issue 2, the 7 seeded keras.random ops and
    // the 34 shape and creation ops (`ops::shape`).
    assert_eq!(caps.ops.len(), 81);
    for op in [
        "random.normal",
        "random.uniform",
        "random.randint",
        "random.truncated_normal",
        "random.dropout",
        "random.shuffle",
        "random.categorical",
    ] {
        assert!(caps.supports_op(op), "{op}");
    }
    assert_eq!(caps.dtypes.len(), 13);
    assert!(caps.supports_op("take_along_axis") && !caps.supports_op("einsum"));
    let r = b.call(&OpCall::new("einsum", vec![]));
    assert!(matches!(r, Err(BackendError::Unsupported(_))));
    raises(
        call("sum", vec![Value::Int(1); 4]),
        "TypeError",
        "sum() takes from 1 to 3 positional arguments but 4 were given",
    );
    raises(
        call_kw("add", vec![Value::Int(1)], &[("x1", Value::Int(2))]),
        "TypeError",
        "add() got multiple values for argument 'x1'",
    );
    raises(
        call_kw("sum", vec![Value::Int(1)], &[("foo", Value::Int(2))]),
        "TypeError",
        "sum() got an unexpected keyword argument 'foo'",
    );
}
