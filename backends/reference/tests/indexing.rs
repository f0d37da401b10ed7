//! `take` and `take_along_axis`, with values printed by Keras 3.15.1 on JAX.

mod common;

use common::*;
use kconform_api::{DType, Value};
use DType::*;

const NAN: f64 = f64::NAN;

fn x23() -> Value {
    t(Float32, &[2, 3], &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
}

#[test]
fn take_fills_out_of_range_and_wraps_negatives_once() {
    let r = call(
        "take",
        vec![
            v(Int32, &[10.0, 20.0, 30.0]),
            v(Int32, &[0.0, 3.0, 5.0, -1.0, -3.0, -4.0, -100.0]),
        ],
    );
    let m = -2147483648.0;
    expect(r, Int32, &[7], &[10.0, m, m, 30.0, 10.0, m, m]);
    let fill = |dtype: DType, want: f64| {
        let r = call("take", vec![v(dtype, &[1.0, 0.0]), v(Int32, &[5.0])]);
        expect(r, dtype, &[1], &[want]);
    };
    fill(Int8, -128.0);
    fill(Int16, -32768.0);
    fill(Uint8, 255.0);
    fill(Uint16, 65535.0);
    fill(Uint32, 4294967295.0);
    fill(Bool, 1.0);
    fill(Float16, NAN);
    fill(Bfloat16, NAN);
    fill(Float32, NAN);
}

#[test]
fn take_axis_forms() {
    // axis=None flattens.
    let r = call(
        "take",
        vec![x23(), t(Int32, &[2, 2], &[5.0, 0.0, 1.0, 7.0])],
    );
    expect(r, Float32, &[2, 2], &[5.0, 0.0, 1.0, NAN]);
    let r = call_kw(
        "take",
        vec![x23(), v(Int32, &[2.0, 0.0, 5.0])],
        &[("axis", Value::Int(1))],
    );
    expect(r, Float32, &[2, 3], &[2.0, 0.0, NAN, 5.0, 3.0, NAN]);
    let r = call_kw(
        "take",
        vec![x23(), t(Int32, &[1, 1], &[1.0])],
        &[("axis", Value::Int(-2))],
    );
    expect(r, Float32, &[1, 1, 3], &[3.0, 4.0, 5.0]);
    expect(
        call("take", vec![x23(), Value::Int(1)]),
        Float32,
        &[],
        &[1.0],
    );
    let r = call_kw(
        "take",
        vec![x23(), Value::Int(1)],
        &[("axis", Value::Int(1))],
    );
    expect(r, Float32, &[2], &[1.0, 4.0]);
    // Bool indices count as integers; uint8 255 is out of range, not -1.
    expect(
        call("take", vec![x23(), v(Bool, &[1.0])]),
        Float32,
        &[1],
        &[1.0],
    );
    expect(
        call("take", vec![x23(), v(Uint8, &[255.0])]),
        Float32,
        &[1],
        &[NAN],
    );
    expect(
        call("take", vec![t(Float32, &[], &[5.0]), v(Int32, &[0.0, 1.0])]),
        Float32,
        &[2],
        &[5.0, NAN],
    );
}

#[test]
fn take_errors() {
    raises(
        call("take", vec![x23(), v(Float32, &[1.7])]),
        "ValueError",
        "indices must have an integer type",
    );
    let r = call_kw(
        "take",
        vec![x23(), v(Int32, &[1.0])],
        &[("axis", Value::Int(2))],
    );
    raises(
        r,
        "ValueError",
        "axis 2 is out of bounds for array of dimension 2",
    );
    let r = call_kw(
        "take",
        vec![x23(), v(Int32, &[0.0])],
        &[("axis", Value::Tuple(vec![Value::Int(0)]))],
    );
    raises(
        r,
        "TypeError",
        "'tuple' object cannot be interpreted as an integer",
    );
    let r = call("take", vec![v(Float32, &[]), v(Int32, &[0.0])]);
    raises(
        r,
        "IndexError",
        "Cannot do a non-empty jnp.take() from an empty axis.",
    );
    expect(
        call("take", vec![v(Int32, &[]), v(Int32, &[])]),
        Int32,
        &[0],
        &[],
    );
}

#[test]
fn take_along_axis_broadcasts_and_fills() {
    let r = call_kw(
        "take_along_axis",
        vec![x23(), t(Int32, &[2, 2], &[0.0, 2.0, 1.0, 0.0])],
        &[("axis", Value::Int(1))],
    );
    expect(r, Float32, &[2, 2], &[0.0, 2.0, 4.0, 3.0]);
    let r = call_kw(
        "take_along_axis",
        vec![x23(), t(Int32, &[2, 2], &[5.0, -1.0, -4.0, 3.0])],
        &[("axis", Value::Int(1))],
    );
    expect(r, Float32, &[2, 2], &[NAN, 2.0, NAN, NAN]);
    let r = call_kw(
        "take_along_axis",
        vec![x23(), t(Int32, &[1, 3], &[0.0, 1.0, 2.0])],
        &[("axis", Value::Int(0))],
    );
    expect(r, Float32, &[1, 3], &[0.0, 4.0, NAN]);
    let r = call_kw(
        "take_along_axis",
        vec![x23(), t(Int32, &[1, 2], &[0.0, 1.0])],
        &[("axis", Value::Int(1))],
    );
    expect(r, Float32, &[2, 2], &[0.0, 1.0, 3.0, 4.0]);
    let r = call_kw(
        "take_along_axis",
        vec![
            t(Int32, &[1, 3], &[1.0, 2.0, 3.0]),
            t(Int32, &[2, 1], &[0.0, 2.0]),
        ],
        &[("axis", Value::Int(1))],
    );
    expect(r, Int32, &[2, 1], &[1.0, 3.0]);
    let z: Vec<f64> = (0..24).map(f64::from).collect();
    let idx = t(Int32, &[2, 3, 1], &[3.0, 0.0, -1.0, 4.0, -5.0, 1.0]);
    let r = call_kw(
        "take_along_axis",
        vec![t(Int32, &[2, 3, 4], &z), idx],
        &[("axis", Value::Int(2))],
    );
    let m = -2147483648.0;
    expect(r, Int32, &[2, 3, 1], &[3.0, 4.0, 11.0, m, m, 21.0]);
    // axis=None takes from the flattened input with 1-D indices.
    let r = call(
        "take_along_axis",
        vec![x23(), v(Int32, &[5.0, 0.0, 1.0, 7.0])],
    );
    expect(r, Float32, &[4], &[5.0, 0.0, 1.0, NAN]);
    // Gathering from an empty axis gives zeros, not the fill value.
    let r = call_kw(
        "take_along_axis",
        vec![t(Float32, &[2, 0], &[]), t(Int32, &[2, 1], &[0.0, 0.0])],
        &[("axis", Value::Int(1))],
    );
    expect(r, Float32, &[2, 1], &[0.0, 0.0]);
}

#[test]
fn take_along_axis_errors() {
    let tal =
        |idx: Value, axis: Value| call_kw("take_along_axis", vec![x23(), idx], &[("axis", axis)]);
    raises(
        call(
            "take_along_axis",
            vec![x23(), t(Int32, &[1, 3], &[5.0, 0.0, 1.0])],
        ),
        "ValueError",
        "take_along_axis indices must be 1D if axis=None, got shape (1, 3)",
    );
    raises(
        tal(v(Int32, &[0.0]), Value::Int(1)),
        "ValueError",
        "indices and arr must have the same number of dimensions; 1 vs. 2",
    );
    raises(
        tal(t(Int32, &[3, 1], &[0.0, 1.0, 2.0]), Value::Int(1)),
        "ValueError",
        "Incompatible shapes for broadcasting: shapes=[(3, 1), (2, 1)]",
    );
    raises(
        tal(t(Float32, &[2, 1], &[0.0, 1.0]), Value::Int(1)),
        "TypeError",
        "take_along_axis indices must be of integer type, got float32",
    );
    raises(
        tal(t(Int32, &[2, 1], &[0.0, 1.0]), Value::Int(2)),
        "ValueError",
        "axis 2 is out of bounds for array of dimension 2",
    );
}
