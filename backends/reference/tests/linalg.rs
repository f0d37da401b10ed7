//! `matmul` shapes, accumulation and errors, as Keras 3.15.1 on JAX computes them.

mod common;

use common::*;
use kconform_api::{DType, Value};
use DType::*;

fn ones(shape: &[usize]) -> Value {
    t(Float32, shape, &vec![1.0; shape.iter().product()])
}

#[test]
fn matmul_shapes() {
    let a = t(Float32, &[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let b = t(Float32, &[3, 2], &[1.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
    expect(
        call("matmul", vec![a, b]),
        Float32,
        &[2, 2],
        &[4.0, 5.0, 10.0, 11.0],
    );
    let v3 = || v(Float32, &[0.0, 1.0, 2.0]);
    let b34 = t(
        Float32,
        &[3, 4],
        &(0..12).map(f64::from).collect::<Vec<_>>(),
    );
    expect(
        call("matmul", vec![v3(), b34]),
        Float32,
        &[4],
        &[20.0, 23.0, 26.0, 29.0],
    );
    expect(call("matmul", vec![v3(), v3()]), Float32, &[], &[5.0]);
    let r = call("matmul", vec![ones(&[2, 1, 2, 3]), ones(&[5, 3, 4])]);
    assert_eq!(tensor(r).shape(), &[2, 5, 2, 4]);
    assert_eq!(
        tensor(call("matmul", vec![v3(), ones(&[2, 3, 4])])).shape(),
        &[2, 4]
    );
    assert_eq!(
        tensor(call(
            "matmul",
            vec![ones(&[2, 3, 4]), v(Float32, &[1.0; 4])]
        ))
        .shape(),
        &[2, 3]
    );
    expect(
        call(
            "matmul",
            vec![t(Float32, &[2, 0], &[]), t(Float32, &[0, 3], &[])],
        ),
        Float32,
        &[2, 3],
        &[0.0; 6],
    );
    let r = call(
        "matmul",
        vec![
            t(Float32, &[1, 2], &[f64::INFINITY, 1.0]),
            t(Float32, &[2, 1], &[0.0, 1.0]),
        ],
    );
    expect(r, Float32, &[1, 1], &[f64::NAN]);
    let r = call(
        "matmul",
        vec![
            t(Bool, &[2, 2], &[1.0, 0.0, 0.0, 0.0]),
            t(Bool, &[2, 2], &[1.0, 1.0, 0.0, 1.0]),
        ],
    );
    expect(r, Bool, &[2, 2], &[1.0, 1.0, 0.0, 0.0]);
}

#[test]
fn half_floats_accumulate_in_float32() {
    // float16 [1, 0.0004 x3] . ones -> 1.0009765625 (sequential float16 would give 1.0)
    let r = call(
        "matmul",
        vec![
            t(Float16, &[1, 4], &[1.0, 0.0004, 0.0004, 0.0004]),
            t(Float16, &[4, 1], &[1.0; 4]),
        ],
    );
    expect(r, Float16, &[1, 1], &[1.0009765625]);
    let mut row = vec![1.0];
    row.extend([0.002; 8]);
    let r = call(
        "matmul",
        vec![t(Bfloat16, &[1, 9], &row), t(Bfloat16, &[9, 1], &[1.0; 9])],
    );
    expect(r, Bfloat16, &[1, 1], &[1.015625]);
}

#[test]
fn matmul_errors() {
    let a = || ones(&[2, 3]);
    raises(
        call("matmul", vec![a(), a()]),
        "TypeError",
        "dot_general requires contracting dimensions to have the same shape, got (3,) and (2,).",
    );
    let r = call(
        "matmul",
        vec![
            t(Int8, &[2, 2, 3], &[1.0; 12]),
            t(Uint8, &[3, 3, 4], &[1.0; 36]),
        ],
    );
    raises(
        r,
        "ValueError",
        "Incompatible types for matmul arguments: int8[2,2,3] and uint8[3,3,4]",
    );
    raises(
        call("matmul", vec![t(Float32, &[], &[2.0]), v(Float32, &[1.0])]),
        "ValueError",
        "matmul input operand 0 must have ndim at least 1, but it has ndim 0",
    );
    raises(
        call("matmul", vec![v(Float32, &[1.0]), Value::Int(3)]),
        "ValueError",
        "operand 1 must have ndim at least 1",
    );
}
