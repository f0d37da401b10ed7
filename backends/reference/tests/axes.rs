//! Axis arguments of reductions and shape ops, and their errors, as Keras
//! 3.15.1 on JAX handles them.

mod common;

use common::*;
use kconform_api::{DType, Value};
use DType::*;

fn iota(dtype: DType, shape: &[usize]) -> Value {
    let n: usize = shape.iter().product();
    t(dtype, shape, &(0..n).map(|i| i as f64).collect::<Vec<_>>())
}

fn ints(items: &[i64]) -> Vec<Value> {
    items.iter().map(|&i| Value::Int(i)).collect()
}

#[test]
fn reduction_axis_forms() {
    let x = || iota(Float32, &[2, 3, 4]);
    let sum = |axis: Value, keep: bool| {
        call_kw(
            "sum",
            vec![x()],
            &[("axis", axis), ("keepdims", Value::Bool(keep))],
        )
    };
    // sum(arange(24).reshape(2,3,4), axis=(0,2)) -> [60, 92, 124]
    expect(
        sum(Value::Tuple(ints(&[0, 2])), false),
        Float32,
        &[3],
        &[60.0, 92.0, 124.0],
    );
    expect(
        sum(Value::List(ints(&[0, 2])), false),
        Float32,
        &[3],
        &[60.0, 92.0, 124.0],
    );
    expect(
        sum(Value::Tuple(ints(&[-1, 0])), true),
        Float32,
        &[1, 3, 1],
        &[60.0, 92.0, 124.0],
    );
    // axis=True is axis 1.
    let r = sum(Value::Bool(true), false);
    expect(
        r,
        Float32,
        &[2, 4],
        &[12.0, 15.0, 18.0, 21.0, 48.0, 51.0, 54.0, 57.0],
    );
    // axis=() reduces nothing.
    let r = sum(Value::Tuple(vec![]), false);
    expect(
        r,
        Float32,
        &[2, 3, 4],
        &(0..24).map(f64::from).collect::<Vec<_>>(),
    );
    // keepdims is read for truth: keepdims="yes" keeps dims.
    let r = call_kw("sum", vec![x()], &[("keepdims", Value::Str("yes".into()))]);
    expect(r, Float32, &[1, 1, 1], &[276.0]);
    let r = call_kw(
        "max",
        vec![x()],
        &[
            ("axis", Value::Tuple(ints(&[0, 2]))),
            ("keepdims", Value::Bool(true)),
        ],
    );
    expect(r, Float32, &[1, 3, 1], &[15.0, 19.0, 23.0]);
}

#[test]
fn reduction_axis_errors() {
    let x = || iota(Float32, &[2, 3]);
    let with_axis = |op: &str, axis: Value| call_kw(op, vec![x()], &[("axis", axis)]);
    for op in ["sum", "prod", "max", "amin", "all", "any"] {
        raises(
            with_axis(op, Value::Int(2)),
            "ValueError",
            "axis 2 is out of bounds for array of dimension 2",
        );
        raises(
            with_axis(op, Value::Int(-3)),
            "ValueError",
            "axis -3 is out of bounds for array of dimension 2",
        );
        let dup = Value::Tuple(ints(&[0, -2]));
        raises(
            with_axis(op, dup),
            "ValueError",
            "duplicate value in 'axis': (0, -2)",
        );
        raises(
            with_axis(op, Value::Float(1.0)),
            "TypeError",
            "'float' object is not iterable",
        );
    }
    // mean/std/var size the normalizer first: an out-of-range axis is an IndexError.
    for op in ["mean", "std", "var"] {
        raises(
            with_axis(op, Value::Int(5)),
            "IndexError",
            "tuple index out of range",
        );
        let dup = Value::List(ints(&[1, 1]));
        raises(
            with_axis(op, dup),
            "ValueError",
            "duplicate value in 'axis': (1, 1)",
        );
    }
    let scalar = t(Float32, &[], &[2.5]);
    let r = call_kw("sum", vec![scalar], &[("axis", Value::Int(0))]);
    raises(
        r,
        "ValueError",
        "axis 0 is out of bounds for array of dimension 0",
    );
}

#[test]
fn reductions_along_axes() {
    let r = call_kw(
        "sum",
        vec![t(Int8, &[2, 2], &[127.0, 1.0, 127.0, 1.0])],
        &[("axis", Value::Int(0))],
    );
    expect(r, Int32, &[2], &[254.0, 2.0]);
    expect(
        call("sum", vec![t(Uint8, &[2, 2], &[200.0, 100.0, 50.0, 1.0])]),
        Uint32,
        &[],
        &[351.0],
    );
    let r = call_kw(
        "all",
        vec![t(Bool, &[2, 2], &[1.0, 0.0, 1.0, 1.0])],
        &[("axis", Value::Int(1))],
    );
    expect(r, Bool, &[2], &[0.0, 1.0]);
    let r = call_kw(
        "any",
        vec![t(Int32, &[2, 2], &[0.0, 0.0, 0.0, 2.0])],
        &[("axis", Value::Int(0)), ("keepdims", Value::Bool(true))],
    );
    expect(r, Bool, &[1, 2], &[0.0, 1.0]);
    let r = call_kw(
        "amax",
        vec![t(Uint16, &[2, 2], &[1.0, 5.0, 3.0, 2.0])],
        &[("axis", Value::Int(-1))],
    );
    expect(r, Uint16, &[2], &[5.0, 3.0]);
    let r = call_kw(
        "min",
        vec![t(Int8, &[2, 2], &[1.0, 5.0, 3.0, 2.0])],
        &[("axis", Value::Int(0)), ("initial", Value::Int(2))],
    );
    expect(r, Int8, &[2], &[1.0, 2.0]);
    let r = call_kw(
        "std",
        vec![t(Int32, &[2, 2], &[1.0, 2.0, 3.0, 5.0])],
        &[("axis", Value::Int(1))],
    );
    expect(r, Float32, &[2], &[0.5, 1.0]);
    // Reducing an empty axis of max without initial raises; a kept empty axis does not.
    let e = || t(Float32, &[0, 3], &[]);
    expect(
        call_kw("max", vec![e()], &[("axis", Value::Int(1))]),
        Float32,
        &[0],
        &[],
    );
    raises(
        call_kw("max", vec![e()], &[("axis", Value::Int(0))]),
        "ValueError",
        "zero-size array",
    );
}

#[test]
fn squeeze_axes() {
    let y = || iota(Int32, &[1, 2, 3, 1]);
    let squeeze = |axis: Value| call_kw("squeeze", vec![y()], &[("axis", axis)]);
    let all6: Vec<f64> = (0..6).map(f64::from).collect();
    expect(call("squeeze", vec![y()]), Int32, &[2, 3], &all6);
    expect(squeeze(Value::Int(0)), Int32, &[2, 3, 1], &all6);
    expect(squeeze(Value::Tuple(ints(&[0, -1]))), Int32, &[2, 3], &all6);
    expect(squeeze(Value::Tuple(vec![])), Int32, &[1, 2, 3, 1], &all6);
    raises(
        squeeze(Value::Int(1)),
        "ValueError",
        "cannot select an axis to squeeze out which has size not equal to one, got shape=(1, 2, 3, 1) and dimensions=(1,)",
    );
    raises(
        squeeze(Value::Int(4)),
        "ValueError",
        "axis 4 is out of bounds for array of dimension 4",
    );
    raises(
        squeeze(Value::Tuple(ints(&[0, -4]))),
        "ValueError",
        "dimensions are not unique: (0, 0)",
    );
}

#[test]
fn flip_axes() {
    let x = || iota(Int32, &[2, 2, 2]);
    let r = call_kw("flip", vec![x()], &[("axis", Value::Tuple(ints(&[0, 2])))]);
    expect(
        r,
        Int32,
        &[2, 2, 2],
        &[5.0, 4.0, 7.0, 6.0, 1.0, 0.0, 3.0, 2.0],
    );
    let r = call("flip", vec![x()]);
    expect(
        r,
        Int32,
        &[2, 2, 2],
        &[7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0],
    );
    let r = call_kw("flip", vec![x()], &[("axis", Value::Tuple(ints(&[0, -3])))]);
    raises(r, "TypeError", "rev dimensions must be unique, got (0, 0).");
    let r = call_kw("flip", vec![x()], &[("axis", Value::Int(3))]);
    raises(
        r,
        "ValueError",
        "axis 3 is out of bounds for array of dimension 3",
    );
}

#[test]
fn jnp_functions_without_conversion_refuse_lists() {
    let list = || Value::List(vec![Value::Int(1), Value::Int(2)]);
    raises(
        call("all", vec![list()]),
        "TypeError",
        "all requires ndarray or scalar arguments, got <class 'list'> at position 0.",
    );
    raises(
        call("amax", vec![list()]),
        "TypeError",
        "max requires ndarray or scalar arguments",
    );
    raises(
        call("flip", vec![list()]),
        "TypeError",
        "flip requires ndarray or scalar arguments",
    );
    // max converts its input, so a list works: max([1, 5]) -> int32 5
    expect(call("max", vec![list()]), Int32, &[], &[2.0]);
}
