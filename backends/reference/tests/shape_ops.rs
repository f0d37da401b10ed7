//! `reshape`, `concatenate`, `diagonal`, `ndim`, with values and messages
//! printed by Keras 3.15.1 on JAX.

mod common;

use common::*;
use kconform_api::{DType, Value};
use DType::*;

fn x23() -> Value {
    t(Float32, &[2, 3], &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
}

fn tuple(items: &[i64]) -> Value {
    Value::Tuple(items.iter().map(|&i| Value::Int(i)).collect())
}

const SIX: [f64; 6] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];

#[test]
fn reshape_forms() {
    let reshape = |s: Value| call("reshape", vec![x23(), s]);
    expect(reshape(tuple(&[3, 2])), Float32, &[3, 2], &SIX);
    expect(reshape(Value::Int(-1)), Float32, &[6], &SIX);
    expect(
        reshape(Value::List(vec![Value::Int(3), Value::Int(-1)])),
        Float32,
        &[3, 2],
        &SIX,
    );
    expect(reshape(v(Int64, &[3.0, 2.0])), Float32, &[3, 2], &SIX);
    expect(
        reshape(Value::Tuple(vec![Value::Bool(true), Value::Int(6)])),
        Float32,
        &[1, 6],
        &SIX,
    );
    expect(
        call("reshape", vec![t(Int32, &[1, 1], &[7.0]), tuple(&[])]),
        Int32,
        &[],
        &[7.0],
    );
    expect(
        call("reshape", vec![t(Float32, &[0, 3], &[]), tuple(&[5, 0])]),
        Float32,
        &[5, 0],
        &[],
    );
}

#[test]
fn reshape_errors() {
    let reshape = |s: Value| call("reshape", vec![x23(), s]);
    raises(
        reshape(tuple(&[4, 2])),
        "TypeError",
        "cannot reshape array of shape (2, 3) (size 6) into shape (4, 2) (size 8)",
    );
    raises(
        reshape(tuple(&[4, -1])),
        "TypeError",
        "cannot reshape array of shape (2, 3) (size 6) into shape (4, -1) because the product of specified axis sizes (4) does not evenly divide 6",
    );
    raises(
        reshape(tuple(&[-1, -1])),
        "ValueError",
        "There must be at most one unknown dimension (-1) in `newshape`. Received: newshape=(-1, -1).",
    );
    raises(
        reshape(tuple(&[-2, 3])),
        "ValueError",
        "Each dimension in `newshape` must be a non-negative integer",
    );
    raises(
        reshape(Value::Tuple(vec![Value::Float(3.0), Value::Int(2)])),
        "TypeError",
        "Shapes must be 1D sequences of concrete values of integer type, got (3.0, 2).",
    );
    raises(
        call("reshape", vec![t(Float32, &[0, 3], &[]), tuple(&[-1, 0])]),
        "ZeroDivisionError",
        "integer modulo by zero",
    );
}

#[test]
fn concatenate_forms() {
    let cat = |xs: Vec<Value>, axis: Option<Value>| match axis {
        Some(a) => call_kw("concatenate", vec![Value::List(xs)], &[("axis", a)]),
        None => call("concatenate", vec![Value::List(xs)]),
    };
    let twice: Vec<f64> = SIX.iter().chain(&SIX).copied().collect();
    expect(cat(vec![x23(), x23()], None), Float32, &[4, 3], &twice);
    let r = cat(vec![x23(), x23()], Some(Value::Int(-1)));
    expect(
        r,
        Float32,
        &[2, 6],
        &[0.0, 1.0, 2.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 3.0, 4.0, 5.0],
    );
    // axis=None flattens every input first (and promotes int8 with uint8).
    let r = cat(
        vec![t(Int8, &[2, 2], &[0.0, 1.0, 2.0, 3.0]), v(Uint8, &[9.0])],
        Some(Value::None),
    );
    expect(r, Int16, &[5], &[0.0, 1.0, 2.0, 3.0, 9.0]);
    let lists = vec![
        Value::List(vec![Value::Int(1), Value::Int(2)]),
        Value::List(vec![Value::Int(3)]),
    ];
    expect(cat(lists, None), Int32, &[3], &[1.0, 2.0, 3.0]);
}

#[test]
fn concatenate_errors() {
    let cat = |xs: Vec<Value>| call("concatenate", vec![Value::List(xs)]);
    raises(
        cat(vec![x23(), v(Float32, &[1.0, 2.0])]),
        "TypeError",
        "Cannot concatenate arrays with different numbers of dimensions: got (2, 3), (2,).",
    );
    raises(
        cat(vec![x23(), t(Float32, &[2, 2], &[0.0; 4])]),
        "TypeError",
        "Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension 0 for shapes (2, 3), (2, 2).",
    );
    raises(
        cat(vec![t(Float32, &[], &[1.0]), t(Float32, &[], &[2.0])]),
        "ValueError",
        "Zero-dimensional arrays cannot be concatenated.",
    );
    raises(cat(vec![]), "IndexError", "list index out of range");
    let r = call_kw(
        "concatenate",
        vec![Value::List(vec![x23(), x23()])],
        &[("axis", Value::Int(2))],
    );
    raises(
        r,
        "ValueError",
        "axis 2 is out of bounds for array of dimension 2",
    );
}

#[test]
fn diagonal_offsets_and_axes() {
    expect(call("diagonal", vec![x23()]), Float32, &[2], &[0.0, 4.0]);
    expect(
        call("diagonal", vec![x23(), Value::Int(1)]),
        Float32,
        &[2],
        &[1.0, 5.0],
    );
    expect(
        call("diagonal", vec![x23(), Value::Int(-1)]),
        Float32,
        &[1],
        &[3.0],
    );
    expect(
        call("diagonal", vec![x23(), Value::Int(5)]),
        Float32,
        &[0],
        &[],
    );
    let z: Vec<f64> = (0..24).map(f64::from).collect();
    let z = || t(Int32, &[2, 3, 4], &z);
    let r = call("diagonal", vec![z()]);
    expect(
        r,
        Int32,
        &[4, 2],
        &[0.0, 16.0, 1.0, 17.0, 2.0, 18.0, 3.0, 19.0],
    );
    let r = call(
        "diagonal",
        vec![z(), Value::Int(0), Value::Int(1), Value::Int(2)],
    );
    expect(r, Int32, &[2, 3], &[0.0, 5.0, 10.0, 12.0, 17.0, 22.0]);
    let r = call(
        "diagonal",
        vec![z(), Value::Int(1), Value::Int(-1), Value::Int(0)],
    );
    expect(r, Int32, &[3, 1], &[12.0, 16.0, 20.0]);
}

#[test]
fn diagonal_errors() {
    let r = call_kw(
        "diagonal",
        vec![x23()],
        &[("axis1", Value::Int(0)), ("axis2", Value::Int(-2))],
    );
    raises(
        r,
        "ValueError",
        "`axis1` and `axis2` cannot be the same. Received: axis1=0, axis2=-2",
    );
    raises(
        call("diagonal", vec![v(Float32, &[1.0, 2.0])]),
        "ValueError",
        "axis 1 is out of bounds for an array with dimension 1.",
    );
    raises(
        call("diagonal", vec![Value::Int(3)]),
        "AttributeError",
        "'int' object has no attribute 'shape'",
    );
    raises(
        call("diagonal", vec![x23(), Value::Float(1.0)]),
        "TypeError",
        "'float' object cannot be interpreted as an integer",
    );
}

#[test]
fn ndim_returns_a_python_int() {
    assert_eq!(
        call("ndim", vec![t(Float32, &[2, 3], &[0.0; 6])]),
        Ok(Value::Int(2))
    );
    assert_eq!(call("ndim", vec![Value::Int(3)]), Ok(Value::Int(0)));
    let nested = Value::List(vec![Value::List(vec![Value::Int(1), Value::Int(2)])]);
    assert_eq!(call("ndim", vec![nested]), Ok(Value::Int(2)));
    assert_eq!(call("ndim", vec![Value::None]), Ok(Value::Int(0)));
}
