//! Representative kernels through `Backend::call`: elementwise, reduction,
//! matmul and gather.

use criterion::{criterion_group, criterion_main, Criterion};
use kconform_api::{Backend, OpCall, Tensor, TensorData, Value};
use kconform_reference::ReferenceBackend;

fn f32_tensor(shape: Vec<usize>) -> Value {
    let n: usize = shape.iter().product();
    let data = (0..n).map(|i| (i % 1000) as f32 * 0.001 - 0.5).collect();
    Value::Tensor(Tensor::new(shape, TensorData::Float32(data)).expect("shape matches data"))
}

fn i32_tensor(shape: Vec<usize>, modulo: i32) -> Value {
    let n: usize = shape.iter().product();
    let data = (0..n).map(|i| (i as i32 * 7919) % modulo).collect();
    Value::Tensor(Tensor::new(shape, TensorData::Int32(data)).expect("shape matches data"))
}

fn kernels(c: &mut Criterion) {
    let backend = ReferenceBackend::new();
    let cases = [
        (
            "add_f32_1e6",
            OpCall::new(
                "add",
                vec![f32_tensor(vec![1_000_000]), f32_tensor(vec![1_000_000])],
            ),
        ),
        (
            "sum_f32_1000x1000_axis0",
            OpCall::new("sum", vec![f32_tensor(vec![1000, 1000])]).kwarg("axis", Value::Int(0)),
        ),
        (
            "matmul_f32_256",
            OpCall::new(
                "matmul",
                vec![f32_tensor(vec![256, 256]), f32_tensor(vec![256, 256])],
            ),
        ),
        (
            "take_along_axis_f32_512x512",
            OpCall::new(
                "take_along_axis",
                vec![f32_tensor(vec![512, 512]), i32_tensor(vec![512, 512], 512)],
            )
            .kwarg("axis", Value::Int(1)),
        ),
    ];
    for (name, call) in cases {
        c.bench_function(name, |b| b.iter(|| backend.call(&call)));
    }
}

criterion_group!(benches, kernels);
criterion_main!(benches);
