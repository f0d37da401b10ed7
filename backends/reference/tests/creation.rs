//! `arange`, `cast` and `convert_to_tensor`, with values and messages printed
//! by Keras 3.15.1 on JAX (NumPy inputs, x86-64).

mod common;

use common::*;
use kconform_api::{DType, Value};
use DType::*;

const NAN: f64 = f64::NAN;
const INF: f64 = f64::INFINITY;

fn s(text: &str) -> Value {
    Value::Str(text.into())
}

#[test]
fn arange_forms_and_dtypes() {
    let a = |args: Vec<Value>| call("arange", args);
    let i = Value::Int;
    let f = Value::Float;
    expect(a(vec![i(5)]), Int32, &[5], &[0.0, 1.0, 2.0, 3.0, 4.0]);
    expect(a(vec![f(5.0)]), Float32, &[5], &[0.0, 1.0, 2.0, 3.0, 4.0]);
    expect(a(vec![i(5), i(1), i(-2)]), Int32, &[2], &[5.0, 3.0]);
    expect(
        a(vec![i(1), i(2), f(0.3)]),
        Float32,
        &[4],
        &[
            1.0,
            1.2999999523162842,
            1.600000023841858,
            1.9000000953674316,
        ],
    );
    expect(a(vec![i(5), i(1)]), Int32, &[0], &[]);
    expect(a(vec![Value::Bool(true), i(3)]), Int32, &[2], &[1.0, 2.0]);
    // Python ints wrap into int32 / the requested dtype.
    expect(
        a(vec![i(2147483648), i(2147483650)]),
        Int32,
        &[2],
        &[-2147483648.0, -2147483647.0],
    );
    let r = call_kw("arange", vec![i(300), i(303)], &[("dtype", s("int8"))]);
    expect(r, Int8, &[3], &[44.0, 45.0, 46.0]);
    // A float step with an integer dtype truncates start and step first.
    let r = call_kw("arange", vec![i(0), i(2), f(0.5)], &[("dtype", s("int32"))]);
    expect(r, Int32, &[4], &[0.0, 0.0, 0.0, 0.0]);
    // Half dtypes with a step are computed in float32, then rounded.
    let r = call_kw(
        "arange",
        vec![i(0), i(1), f(0.1)],
        &[("dtype", s("float16"))],
    );
    let want = [
        0.0,
        0.0999755859375,
        0.199951171875,
        0.300048828125,
        0.39990234375,
        0.5,
        0.60009765625,
        0.7001953125,
        0.7998046875,
        0.89990234375,
    ];
    expect(r, Float16, &[10], &want);
    let r = call_kw("arange", vec![i(250), i(260)], &[("dtype", s("bfloat16"))]);
    expect(
        r,
        Bfloat16,
        &[10],
        &[
            250.0, 251.0, 252.0, 253.0, 254.0, 255.0, 256.0, 256.0, 258.0, 260.0,
        ],
    );
    expect(
        call_kw("arange", vec![i(5)], &[("dtype", s("int64"))]),
        Int32,
        &[5],
        &[0.0, 1.0, 2.0, 3.0, 4.0],
    );
    expect(
        call("arange", vec![t(Uint8, &[], &[5.0]), i(7)]),
        Uint8,
        &[2],
        &[5.0, 6.0],
    );
}

#[test]
fn arange_errors() {
    let i = Value::Int;
    raises(
        call("arange", vec![i(0), i(5), i(0)]),
        "ZeroDivisionError",
        "division by zero",
    );
    raises(
        call("arange", vec![i(0), Value::Float(INF)]),
        "OverflowError",
        "cannot convert float infinity to integer",
    );
    raises(
        call("arange", vec![i(0), Value::Float(NAN)]),
        "ValueError",
        "cannot convert float NaN to integer",
    );
    raises(
        call_kw("arange", vec![i(5)], &[("dtype", s("bool"))]),
        "TypeError",
        "iota does not accept dtype bool. Accepted dtypes are subtypes of integer, floating, complexfloating.",
    );
    raises(
        call_kw("arange", vec![], &[("stop", i(4))]),
        "TypeError",
        "arange() missing 1 required positional argument: 'start'",
    );
    raises(
        call_kw("arange", vec![i(5)], &[("dtype", s("float"))]),
        "ValueError",
        "Invalid dtype: float",
    );
}

#[test]
fn cast_float_to_int_follows_numpy_on_x86() {
    let x = v(Float32, &[NAN, INF, -INF, 1e10, 127.9, -128.9, -0.5]);
    expect(
        call("cast", vec![x, s("int8")]),
        Int8,
        &[7],
        &[0.0, 0.0, 0.0, 0.0, 127.0, -128.0, 0.0],
    );
    let x = v(
        Float32,
        &[NAN, INF, -INF, 2147483648.0, -2147483648.0, 1.9, -1.9],
    );
    let m = -2147483648.0;
    expect(
        call("cast", vec![x, s("int32")]),
        Int32,
        &[7],
        &[m, m, m, m, m, 1.0, -1.0],
    );
    let x = v(
        Float32,
        &[300.7, -1.5, NAN, INF, -INF, 1e10, -1e10, 255.9, -0.0],
    );
    expect(
        call("cast", vec![x.clone(), s("uint8")]),
        Uint8,
        &[9],
        &[44.0, 255.0, 0.0, 0.0, 0.0, 0.0, 0.0, 255.0, 0.0],
    );
    let want = [
        300.0,
        4294967295.0,
        2147483648.0,
        0.0,
        2147483648.0,
        0.0,
        2147483648.0,
        255.0,
        0.0,
    ];
    expect(
        call("cast", vec![x.clone(), s("uint32")]),
        Uint32,
        &[9],
        &want,
    );
    expect(call("cast", vec![x, s("uint64")]), Uint32, &[9], &want);
    let x = v(Float16, &[NAN, INF, -INF, -1.5, 65504.0]);
    expect(
        call("cast", vec![x, s("uint32")]),
        Uint32,
        &[5],
        &[0.0, 0.0, 0.0, 4294967295.0, 65504.0],
    );
}

#[test]
fn cast_reads_the_original_64_bit_data() {
    expect(
        call("cast", vec![v(Int64, &[1099511627777.0]), s("float32")]),
        Float32,
        &[1],
        &[1099511627776.0],
    );
    expect(
        call("cast", vec![v(Int64, &[1099511627781.0]), s("int32")]),
        Int32,
        &[1],
        &[5.0],
    );
    // float64 -> float16 rounds once; float64 -> bfloat16 goes through float32.
    let x = 1.0 + 2f64.powi(-11) + 2f64.powi(-40);
    expect(
        call("cast", vec![v(Float64, &[x]), s("float16")]),
        Float16,
        &[1],
        &[1.0009765625],
    );
    let x = 1.0 + 2f64.powi(-8) + 2f64.powi(-40);
    expect(
        call("cast", vec![v(Float64, &[x]), s("bfloat16")]),
        Bfloat16,
        &[1],
        &[1.0],
    );
    expect(
        call("cast", vec![v(Int32, &[16842753.0]), s("bfloat16")]),
        Bfloat16,
        &[1],
        &[16777216.0],
    );
    // NumPy's cast does not flush: a float32 denormal is true.
    expect(
        call(
            "cast",
            vec![v(Float32, &[1e-40, 0.0, -0.0, NAN]), s("bool")],
        ),
        Bool,
        &[4],
        &[1.0, 0.0, 0.0, 1.0],
    );
}

#[test]
fn cast_python_values() {
    let cast = |x: Value, d: &str| call("cast", vec![x, s(d)]);
    expect(cast(Value::Float(3.7), "int32"), Int32, &[], &[3.0]);
    expect(cast(Value::Bool(true), "float32"), Float32, &[], &[1.0]);
    expect(
        cast(
            Value::List(vec![Value::Float(1.5), Value::Float(2.5)]),
            "int32",
        ),
        Int32,
        &[2],
        &[1.0, 2.0],
    );
    expect(cast(Value::Float(255.5), "uint8"), Uint8, &[], &[255.0]);
    expect(
        cast(Value::Int(2147483648), "float16"),
        Float16,
        &[],
        &[INF],
    );
    raises(
        cast(Value::Float(-3.7), "uint8"),
        "OverflowError",
        "Python integer -3 out of bounds for uint8",
    );
    raises(
        cast(Value::Int(300), "int8"),
        "OverflowError",
        "Python integer 300 out of bounds for int8",
    );
    raises(
        cast(Value::Float(NAN), "int32"),
        "ValueError",
        "cannot convert float NaN to integer",
    );
    raises(
        cast(Value::Float(INF), "int32"),
        "OverflowError",
        "cannot convert float infinity to integer",
    );
    raises(
        cast(Value::Float(1e300), "int32"),
        "OverflowError",
        "Python int too large to convert to C long",
    );
    raises(
        cast(Value::Int(1), "float128"),
        "ValueError",
        "Invalid dtype: float128",
    );
    raises(
        cast(Value::Int(1), "string"),
        "TypeError",
        "data type 'string' not understood",
    );
    expect(
        call("cast", vec![v(Int32, &[1.0]), Value::None]),
        Float32,
        &[1],
        &[1.0],
    );
    expect(
        call("cast", vec![v(Float32, &[1.5]), s("int")]),
        Int32,
        &[1],
        &[1.0],
    );
}

#[test]
fn convert_to_tensor_narrows_and_validates() {
    let ctt = |x: Value| call("convert_to_tensor", vec![x]);
    expect(
        ctt(v(Int64, &[1099511627781.0, -1.0])),
        Int32,
        &[2],
        &[5.0, -1.0],
    );
    expect(ctt(v(Uint64, &[4294967299.0])), Uint32, &[1], &[3.0]);
    expect(
        ctt(v(Float64, &[0.1, 1e300, 1e-300])),
        Float32,
        &[3],
        &[0.10000000149011612, INF, 0.0],
    );
    raises(
        ctt(Value::Int(1 << 40)),
        "OverflowError",
        "Python int 1099511627776 too large to convert to int32",
    );
    raises(
        ctt(Value::List(vec![Value::Int(1 << 40)])),
        "OverflowError",
        "Python integer 1099511627776 out of bounds for int32",
    );
    raises(
        ctt(Value::None),
        "ValueError",
        "None is not a valid value for jnp.array",
    );
    let ragged = Value::List(vec![
        Value::List(vec![Value::Int(1)]),
        Value::List(vec![Value::Int(2), Value::Int(3)]),
    ]);
    raises(
        ctt(ragged),
        "ValueError",
        "inhomogeneous shape after 1 dimensions",
    );
    let r = call_kw(
        "convert_to_tensor",
        vec![v(Int32, &[1.0])],
        &[("ragged", Value::Bool(true))],
    );
    raises(
        r,
        "ValueError",
        "`ragged=True` is not supported with jax backend",
    );
    let r = call_kw(
        "convert_to_tensor",
        vec![v(Float32, &[1.7, NAN])],
        &[("dtype", s("int32"))],
    );
    expect(r, Int32, &[2], &[1.0, -2147483648.0]);
}
