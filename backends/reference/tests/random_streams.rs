//! keras.random streams against values measured on Keras 3.15.1 / JAX 0.10.2.

use kconform_api::{Backend, OpCall, Tensor, Value};
use kconform_reference::ReferenceBackend;

fn shape(dims: &[i64]) -> Value {
    Value::Tuple(dims.iter().map(|&d| Value::Int(d)).collect())
}

fn call(op: &str, args: Vec<Value>, seed: i64) -> Vec<f64> {
    let c = OpCall::new(op, args).kwarg("seed", Value::Int(seed));
    match ReferenceBackend::new().call(&c).expect("call") {
        Value::Tensor(t) => t.to_f64_vec(),
        other => panic!("not a tensor: {other:?}"),
    }
}

fn f32s(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}

#[test]
fn normal_seed_123() {
    let got = call("random.normal", vec![shape(&[4])], 123);
    let want = [
        -0.6899822354316711,
        0.24391524493694305,
        -0.4534146189689636,
        0.06361609697341919,
    ];
    assert_eq!(f32s(&got), f32s(&want));
}

#[test]
fn uniform_seed_123() {
    let got = call("random.uniform", vec![shape(&[3])], 123);
    let want = [0.2451026439666748, 0.5963517427444458, 0.3251250982284546];
    assert_eq!(f32s(&got), f32s(&want));
}

#[test]
fn randint_seed_123() {
    let got = call(
        "random.randint",
        vec![shape(&[5]), Value::Int(0), Value::Int(10)],
        123,
    );
    assert_eq!(got, vec![3.0, 2.0, 7.0, 4.0, 1.0]);
}

#[test]
fn truncated_normal_seed_123() {
    let got = call("random.truncated_normal", vec![shape(&[3])], 123);
    let want = [-0.6535510420799255, 0.2326095849275589, -0.4314188063144684];
    assert_eq!(f32s(&got), f32s(&want));
}

#[test]
fn dropout_seed_123() {
    let ones = Tensor::new(vec![6], kconform_api::TensorData::Float32(vec![1.0; 6])).unwrap();
    let got = call(
        "random.dropout",
        vec![Value::Tensor(ones), Value::Float(0.5)],
        123,
    );
    assert_eq!(got, vec![2.0, 0.0, 2.0, 0.0, 2.0, 2.0]);
}

#[test]
fn shuffle_seed_123() {
    let x = Tensor::new(vec![6], kconform_api::TensorData::Int32((0..6).collect())).unwrap();
    let got = call("random.shuffle", vec![Value::Tensor(x)], 123);
    assert_eq!(got, vec![5.0, 0.0, 1.0, 3.0, 2.0, 4.0]);
}

#[test]
fn seed_generator_free_values() {
    // normal((2,), seed=1) on jax: -1.0975176, 0.4750401 (seed=True is the same).
    let got = call("random.normal", vec![shape(&[2])], 1);
    assert_eq!(f32s(&got), vec![-1.097_517_6, 0.475_040_1]);
}
