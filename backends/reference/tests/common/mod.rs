//! Helpers shared by the integration tests. Every expected value in these
//! tests was printed by real Keras 3.15.1 (JAX 0.10.2, CPU) for the same call
//! with NumPy inputs.
#![allow(dead_code)] // each test binary uses a different subset

use std::collections::BTreeMap;

use kconform_api::tensor::Scalar;
use kconform_api::{Backend, BackendError, DType, OpCall, Tensor, Value};
use kconform_reference::ReferenceBackend;

/// A tensor of `dtype` and `shape` holding `values` (stored exactly).
pub fn t(dtype: DType, shape: &[usize], values: &[f64]) -> Value {
    let scalars: Vec<Scalar> = values
        .iter()
        .map(|&v| match dtype {
            DType::Bool => Scalar::Bool(v != 0.0),
            d if d.is_float() => Scalar::Float(v),
            _ => Scalar::Int(v as i128),
        })
        .collect();
    Value::Tensor(Tensor::from_scalars(dtype, shape.to_vec(), &scalars).expect("valid test tensor"))
}

/// A 1-D tensor.
pub fn v(dtype: DType, values: &[f64]) -> Value {
    t(dtype, &[values.len()], values)
}

/// Calls `op` with positional `args` and keyword `kwargs`.
pub fn call_kw(
    op: &str,
    args: Vec<Value>,
    kwargs: &[(&str, Value)],
) -> Result<Value, BackendError> {
    let kwargs: BTreeMap<String, Value> = kwargs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    ReferenceBackend::new().call(&OpCall {
        op: op.into(),
        args,
        kwargs,
    })
}

/// Calls `op` with positional `args`.
pub fn call(op: &str, args: Vec<Value>) -> Result<Value, BackendError> {
    call_kw(op, args, &[])
}

/// The tensor result of a call that must succeed.
pub fn tensor(r: Result<Value, BackendError>) -> Tensor {
    match r {
        Ok(Value::Tensor(t)) => t,
        other => panic!("expected a tensor, got {other:?}"),
    }
}

/// Asserts dtype, shape and values; floats compare exactly, NaN equals NaN
/// and the sign of zero must match.
pub fn expect(r: Result<Value, BackendError>, dtype: DType, shape: &[usize], values: &[f64]) {
    let got = tensor(r);
    assert_eq!((got.dtype(), got.shape()), (dtype, shape), "dtype/shape");
    let g = got.to_f64_vec();
    assert_eq!(g.len(), values.len(), "element count");
    for (i, (&a, &e)) in g.iter().zip(values).enumerate() {
        let same =
            (a.is_nan() && e.is_nan()) || (a == e && a.is_sign_negative() == e.is_sign_negative());
        assert!(same, "element {i}: got {a:e}, expected {e:e} (all: {g:?})");
    }
}

/// Like [`expect`], allowing `ulps` units in the last place of `dtype`.
pub fn expect_close(
    r: Result<Value, BackendError>,
    dtype: DType,
    shape: &[usize],
    values: &[f64],
    ulps: f64,
) {
    let got = tensor(r);
    assert_eq!((got.dtype(), got.shape()), (dtype, shape), "dtype/shape");
    let bits = dtype.mantissa_bits().expect("float dtype") as i32;
    for (i, (&a, &e)) in got.to_f64_vec().iter().zip(values).enumerate() {
        if e.is_nan() || e.is_infinite() || e == 0.0 {
            assert!(
                a.is_nan() == e.is_nan() && (e.is_nan() || a == e),
                "element {i}: {a} vs {e}"
            );
            continue;
        }
        let ulp = 2f64.powi(e.abs().log2().floor() as i32 - bits);
        assert!(
            (a - e).abs() <= ulps * ulp,
            "element {i}: got {a:e}, expected {e:e}"
        );
    }
}

/// The dtype of a call's tensor result.
pub fn dtype_of(r: Result<Value, BackendError>) -> DType {
    tensor(r).dtype()
}

/// Asserts the call raised the Python exception `kind` with `phrase` in its message.
pub fn raises(r: Result<Value, BackendError>, kind: &str, phrase: &str) {
    match r {
        Err(BackendError::Raised { kind: k, message }) => {
            assert_eq!(k, kind, "exception type (message: {message})");
            assert!(
                message.contains(phrase),
                "message {message:?} lacks {phrase:?}"
            );
        }
        other => panic!("expected {kind}: {phrase}, got {other:?}"),
    }
}
