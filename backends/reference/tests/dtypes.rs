//! Result dtypes, as printed by Keras 3.15.1 on JAX.

mod common;

use common::*;
use kconform_api::{DType, Value};
use DType::*;

const DTYPES: [DType; 13] = DType::ALL;

fn short(d: DType) -> &'static str {
    match d {
        Bool => "b",
        Int8 => "i1",
        Int16 => "i2",
        Int32 => "i4",
        Int64 => "i8",
        Uint8 => "u1",
        Uint16 => "u2",
        Uint32 => "u4",
        Uint64 => "u8",
        Float16 => "f2",
        Bfloat16 => "bf",
        Float32 => "f4",
        Float64 => "f8",
    }
}

/// One row per unary op: the result dtype for each input dtype in
/// `DType::ALL` order (bool, i1, i2, i4, i8, u1, u2, u4, u8, f2, bf, f4, f8).
const UNARY: &[(&str, &str)] = &[
    ("absolute", "b i1 i2 i4 i4 u1 u2 u4 u4 f2 bf f4 f4"),
    ("conjugate", "b i1 i2 i4 i4 u1 u2 u4 u4 f2 bf f4 f4"),
    ("convert_to_tensor", "b i1 i2 i4 i4 u1 u2 u4 u4 f2 bf f4 f4"),
    ("flip", "b i1 i2 i4 i4 u1 u2 u4 u4 f2 bf f4 f4"),
    ("arccos", "f4 f4 f4 f4 f4 f4 f4 f4 f4 f2 bf f4 f4"),
    ("arcsin", "f4 f4 f4 f4 f4 f4 f4 f4 f4 f2 bf f4 f4"),
    ("arcsinh", "f4 f4 f4 f4 f4 f4 f4 f4 f4 f2 bf f4 f4"),
    ("arctan", "f4 f4 f4 f4 f4 f4 f4 f4 f4 f2 bf f4 f4"),
    ("arctanh", "f4 f4 f4 f4 f4 f4 f4 f4 f4 f2 bf f4 f4"),
    ("isfinite", "b b b b b b b b b b b b b"),
    ("isinf", "b b b b b b b b b b b b b"),
    ("isnan", "b b b b b b b b b b b b b"),
    ("all", "b b b b b b b b b b b b b"),
    ("any", "b b b b b b b b b b b b b"),
    ("amax", "b i1 i2 i4 i4 u1 u2 u4 u4 f2 bf f4 f4"),
    ("min", "b i1 i2 i4 i4 u1 u2 u4 u4 f2 bf f4 f4"),
    ("sum", "i4 i4 i4 i4 i4 u4 u4 u4 u4 f2 bf f4 f4"),
    ("prod", "i4 i4 i4 i4 i4 u4 u4 u4 u4 f2 bf f4 f4"),
    ("mean", "f4 f4 f4 f4 f4 f4 f4 f4 f4 f2 bf f4 f4"),
    ("std", "f4 f4 f4 f4 f4 f4 f4 f4 f4 f2 bf f4 f4"),
    ("var", "f4 f4 f4 f4 f4 f4 f4 f4 f4 f2 bf f4 f4"),
];

#[test]
fn unary_and_reduction_result_dtypes() {
    for (op, row) in UNARY {
        for (d, want) in DTYPES.iter().zip(row.split_whitespace()) {
            let got = dtype_of(call(op, vec![v(*d, &[1.0, 0.0])]));
            assert_eq!(short(got), want, "{op}({d})");
        }
    }
}

const TEN: [DType; 10] = [
    Bool, Int8, Int16, Int32, Uint8, Uint16, Uint32, Float16, Bfloat16, Float32,
];

/// `add(row, column)`: the ten JAX dtypes, then Python `int`, `float`, `bool`.
const ADD: [&str; 10] = [
    "b  i1 i2 i4 u1 u2 u4 f2 bf f4 i4 f4 b",
    "i1 i1 i2 i4 i2 i4 i4 f2 bf f4 i1 f4 i1",
    "i2 i2 i2 i4 i2 i4 i4 f2 bf f4 i2 f4 i2",
    "i4 i4 i4 i4 i4 i4 i4 f2 bf f4 i4 f4 i4",
    "u1 i2 i2 i4 u1 u2 u4 f2 bf f4 u1 f4 u1",
    "u2 i4 i4 i4 u2 u2 u4 f2 bf f4 u2 f4 u2",
    "u4 i4 i4 i4 u4 u4 u4 f2 bf f4 u4 f4 u4",
    "f2 f2 f2 f2 f2 f2 f2 f2 f4 f4 f2 f2 f2",
    "bf bf bf bf bf bf bf f4 bf f4 bf bf bf",
    "f4 f4 f4 f4 f4 f4 f4 f4 f4 f4 f4 f4 f4",
];

fn column(i: usize) -> Value {
    match i {
        0..=9 => v(TEN[i], &[1.0, 1.0]),
        10 => Value::Int(1),
        11 => Value::Float(1.0),
        _ => Value::Bool(true),
    }
}

#[test]
fn binary_promotion_table() {
    for (r, row) in ADD.iter().enumerate() {
        for (c, want) in row.split_whitespace().enumerate() {
            for op in ["add", "multiply"] {
                let got = dtype_of(call(op, vec![v(TEN[r], &[1.0, 1.0]), column(c)]));
                assert_eq!(short(got), want, "{op}({}, column {c})", TEN[r]);
            }
        }
    }
    // 64-bit inputs arrive narrowed: int64 + uint64 -> float32 is not reached.
    assert_eq!(
        dtype_of(call("add", vec![v(Int64, &[1.0]), v(Uint64, &[1.0])])),
        Int32
    );
    assert_eq!(
        dtype_of(call("add", vec![v(Float64, &[1.0]), v(Int64, &[1.0])])),
        Float32
    );
}

#[test]
fn divide_arctan2_power_dtypes() {
    let (i8t, f16t, bt) = (v(Int8, &[1.0]), v(Float16, &[1.0]), v(Bool, &[1.0]));
    // divide: integer and bool results become float32.
    assert_eq!(
        dtype_of(call("divide", vec![i8t.clone(), i8t.clone()])),
        Float32
    );
    assert_eq!(
        dtype_of(call("divide", vec![bt.clone(), bt.clone()])),
        Float32
    );
    assert_eq!(
        dtype_of(call("divide", vec![f16t.clone(), Value::Float(2.0)])),
        Float16
    );
    // arctan2: Keras promotes the *converted* scalar: 1.0 is a strong float32.
    assert_eq!(
        dtype_of(call("arctan2", vec![f16t.clone(), Value::Float(1.0)])),
        Float32
    );
    assert_eq!(
        dtype_of(call("arctan2", vec![f16t.clone(), Value::Int(1)])),
        Float16
    );
    assert_eq!(
        dtype_of(call("arctan2", vec![i8t.clone(), Value::Int(1)])),
        Float32
    );
    // power: bool ** bool is int32; a 0-d integer exponent keeps the base dtype.
    assert_eq!(dtype_of(call("power", vec![bt.clone(), bt.clone()])), Int32);
    assert_eq!(dtype_of(call("power", vec![bt, Value::Int(2)])), Int32);
    let i32_0d = t(Int32, &[], &[2.0]);
    assert_eq!(dtype_of(call("power", vec![i8t.clone(), i32_0d])), Int8);
    assert_eq!(dtype_of(call("power", vec![i8t, v(Int32, &[2.0])])), Int32);
}

#[test]
fn matmul_clip_concatenate_dtypes() {
    let i8m = t(Int8, &[1, 1], &[1.0]);
    assert_eq!(
        dtype_of(call("matmul", vec![i8m.clone(), i8m.clone()])),
        Int32
    );
    assert_eq!(
        dtype_of(call("matmul", vec![i8m, t(Uint8, &[1, 1], &[1.0])])),
        Int16
    );
    let bm = t(Bool, &[1, 1], &[1.0]);
    assert_eq!(dtype_of(call("matmul", vec![bm.clone(), bm])), Bool);
    // clip: bool becomes int32; float bounds promote integers to float32.
    let clip = |x: Value, lo: Value, hi: Value| dtype_of(call("clip", vec![x, lo, hi]));
    assert_eq!(clip(v(Bool, &[1.0]), Value::Int(0), Value::Int(1)), Int32);
    assert_eq!(
        clip(v(Int8, &[1.0]), Value::Float(-1.5), Value::Float(1.5)),
        Float32
    );
    assert_eq!(
        clip(v(Int8, &[1.0]), v(Int32, &[0.0]), t(Int16, &[], &[2.0])),
        Int32
    );
    let cat = |a: Value, b: Value| dtype_of(call("concatenate", vec![Value::List(vec![a, b])]));
    assert_eq!(cat(v(Int8, &[1.0]), v(Uint8, &[2.0])), Int16);
    assert_eq!(cat(v(Bool, &[1.0]), v(Int8, &[2.0])), Int8);
}

#[test]
fn python_values_convert_like_jnp_asarray() {
    let ctt = |x: Value| dtype_of(call("convert_to_tensor", vec![x]));
    assert_eq!(ctt(Value::Int(3)), Int32);
    assert_eq!(ctt(Value::Float(3.0)), Float32);
    assert_eq!(ctt(Value::Bool(true)), Bool);
    assert_eq!(
        ctt(Value::List(vec![Value::Int(1), Value::Float(2.5)])),
        Float32
    );
    assert_eq!(
        ctt(Value::List(vec![Value::Bool(true), Value::Int(2)])),
        Int32
    );
    assert_eq!(ctt(Value::List(vec![])), Float32);
    let with_tensor = Value::List(vec![t(Int8, &[], &[1.0]), Value::Int(2)]);
    assert_eq!(ctt(with_tensor), Int8);
}

#[test]
fn reductions_with_dtype_arguments() {
    let x = v(Float32, &[2.5, 3.0, 200.0, 1.0]);
    let prod = |d: &str| call_kw("prod", vec![x.clone()], &[("dtype", Value::Str(d.into()))]);
    // The input is converted first: 2.5 -> 2.
    expect(prod("int32"), Int32, &[], &[1200.0]);
    expect(prod("int64"), Int32, &[], &[1200.0]);
    expect(prod("uint8"), Uint8, &[], &[176.0]);
    expect(prod("float64"), Float32, &[], &[1500.0]);
    expect(prod("bool"), Bool, &[], &[1.0]);
}

#[test]
fn weak_python_ints_wrap_into_narrow_dtypes() {
    // add(int8 [1, -1], 300) -> int8 [45, 43]; add(uint8 [1, 2], -1) -> [0, 1]
    expect(
        call("add", vec![v(Int8, &[1.0, -1.0]), Value::Int(300)]),
        Int8,
        &[2],
        &[45.0, 43.0],
    );
    expect(
        call("add", vec![v(Uint8, &[1.0, 2.0]), Value::Int(-1)]),
        Uint8,
        &[2],
        &[0.0, 1.0],
    );
    // clip(uint8 [0, 5, 200], -1, 100) -> [100, 100, 100] (-1 wraps to 255)
    let r = call(
        "clip",
        vec![
            v(Uint8, &[0.0, 5.0, 200.0]),
            Value::Int(-1),
            Value::Int(100),
        ],
    );
    expect(r, Uint8, &[3], &[100.0, 100.0, 100.0]);
    // Python floats go through float32: add(float16 [1, 2], 0.1) -> [1.099609375, 2.099609375]
    let r = call("add", vec![v(Float16, &[1.0, 2.0]), Value::Float(0.1)]);
    expect(r, Float16, &[2], &[1.099609375, 2.099609375]);
}
