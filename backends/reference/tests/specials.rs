//! NaN, ±inf, ±0, denormals, overflow and XLA:CPU rounding structure, with
//! values printed by Keras 3.15.1 on JAX (CPU).

mod common;

use common::*;
use kconform_api::{DType, Value};
use DType::*;

const NAN: f64 = f64::NAN;
const INF: f64 = f64::INFINITY;

#[test]
fn max_min_propagate_nan_and_order_signed_zeros() {
    let x = v(Float32, &[1.0, NAN, 3.0, -0.0]);
    expect(call("max", vec![x.clone()]), Float32, &[], &[NAN]);
    expect(call("amin", vec![x]), Float32, &[], &[NAN]);
    expect(
        call("max", vec![v(Float32, &[-0.0, 0.0])]),
        Float32,
        &[],
        &[0.0],
    );
    expect(
        call("max", vec![v(Float32, &[0.0, -0.0])]),
        Float32,
        &[],
        &[0.0],
    );
    expect(
        call("min", vec![v(Float32, &[0.0, -0.0])]),
        Float32,
        &[],
        &[-0.0],
    );
    // clip(float32 [-0.0, 0.0, -0.0], 0.0, 1.0) -> [0.0, 0.0, 0.0]
    let r = call(
        "clip",
        vec![
            v(Float32, &[-0.0, 0.0, -0.0]),
            Value::Float(0.0),
            Value::Float(1.0),
        ],
    );
    expect(r, Float32, &[3], &[0.0, 0.0, 0.0]);
}

#[test]
fn clip_with_nan_and_crossed_bounds() {
    let x = v(Float32, &[-2.0, 0.5, NAN, 3.0, -0.0]);
    let clip = |lo: f64, hi: f64| call("clip", vec![x.clone(), Value::Float(lo), Value::Float(hi)]);
    expect(clip(-1.0, 1.0), Float32, &[5], &[-1.0, 0.5, NAN, 1.0, -0.0]);
    expect(clip(NAN, 1.0), Float32, &[5], &[NAN; 5]);
    // x_min > x_max gives x_max everywhere (NaN stays NaN).
    expect(clip(2.0, 1.0), Float32, &[5], &[1.0, 1.0, NAN, 1.0, 1.0]);
}

#[test]
fn absolute_of_specials() {
    expect(
        call("absolute", vec![v(Int8, &[-128.0, 127.0, 0.0])]),
        Int8,
        &[3],
        &[-128.0, 127.0, 0.0],
    );
    let r = call("absolute", vec![v(Float32, &[-0.0, -INF, NAN, -1.5])]);
    expect(r, Float32, &[4], &[0.0, INF, NAN, 1.5]);
    expect(
        call("absolute", vec![v(Bool, &[1.0, 0.0])]),
        Bool,
        &[2],
        &[1.0, 0.0],
    );
    expect(call("absolute", vec![Value::Int(-3)]), Int32, &[], &[3.0]);
}

#[test]
fn inverse_trig_domains_and_signed_zero() {
    let r = call("arcsin", vec![v(Float32, &[-0.0, 0.5, 1.5, -1.0])]);
    expect_close(
        r,
        Float32,
        &[4],
        &[-0.0, 0.5235987901687622, NAN, -1.5707963705062866],
        1.0,
    );
    let r = call("arccos", vec![v(Float32, &[2.0, -1.0, 1.0, NAN, -0.0])]);
    let want = [NAN, 3.1415927410125732, 0.0, NAN, 1.5707963705062866];
    expect_close(r, Float32, &[5], &want, 1.0);
    let r = call("arctanh", vec![v(Float32, &[1.0, -1.0, 2.0, -0.0, 0.5])]);
    expect_close(
        r,
        Float32,
        &[5],
        &[INF, -INF, NAN, -0.0, 0.5493061542510986],
        1.0,
    );
    let r = call("arcsinh", vec![v(Float32, &[INF, -INF, -0.0, 1.0])]);
    expect_close(
        r,
        Float32,
        &[4],
        &[INF, -INF, -0.0, 0.8813736438751221],
        1.0,
    );
    // arctan keeps a denormal input (XLA does not flush it).
    let r = call("arctan", vec![v(Float32, &[INF, -INF, -0.0, 1e-40])]);
    let want = [
        1.5707963705062866,
        -1.5707963705062866,
        -0.0,
        9.99994610111476e-41,
    ];
    expect_close(r, Float32, &[4], &want, 1.0);
    expect(
        call("arccos", vec![v(Int8, &[0.0, 1.0])]),
        Float32,
        &[2],
        &[1.5707963705062866, 0.0],
    );
    expect(
        call("arcsin", vec![v(Float16, &[0.5])]),
        Float16,
        &[1],
        &[0.5234375],
    );
    expect(
        call("arcsin", vec![v(Bfloat16, &[0.5])]),
        Bfloat16,
        &[1],
        &[0.5234375],
    );
}

#[test]
fn arctan2_quadrants() {
    let y = v(Float32, &[0.0, -0.0, 0.0, -0.0, 1.0, INF, INF, -INF, NAN]);
    let x = v(Float32, &[0.0, 0.0, -0.0, -0.0, 0.0, INF, -INF, 1.0, 1.0]);
    let want = [
        0.0,
        -0.0,
        3.1415927410125732,
        -3.1415927410125732,
        1.5707963705062866,
        0.7853981852531433,
        2.356194496154785,
        -1.5707963705062866,
        NAN,
    ];
    expect(call("arctan2", vec![y, x]), Float32, &[9], &want);
}

#[test]
fn arctan2_with_denormals_follows_glibc_under_flushing() {
    let y = v(
        Float32,
        &[
            1e-40, 1e-40, 1e-40, 1e-38, -1e-40, 1e-40, 0.0, 1e-40, 2e-40, 1.0, 1e-40, 3e-39,
        ],
    );
    let x = v(
        Float32,
        &[
            1.0, 2.0, 0.5, 1e3, 1.0, -1.0, 1e-40, 1e-40, 1e-40, 3e38, 1e-30, 1e-3,
        ],
    );
    let d = 9.99994610111476e-41;
    let want = [
        d,
        0.0,
        0.0,
        0.0,
        -d,
        3.1415927410125732,
        0.0,
        NAN,
        NAN,
        0.0,
        0.0,
        0.0,
    ];
    expect(call("arctan2", vec![y, x]), Float32, &[12], &want);
}

#[test]
fn division_by_zero_and_broadcast_reciprocal() {
    let r = call(
        "divide",
        vec![v(Int32, &[1.0, -1.0, 0.0]), v(Int32, &[0.0, 0.0, 0.0])],
    );
    expect(r, Float32, &[3], &[INF, -INF, NAN]);
    let r = call(
        "divide",
        vec![
            v(Float32, &[1.0, -1.0, 0.0, 1.0]),
            v(Float32, &[0.0, 0.0, 0.0, -0.0]),
        ],
    );
    expect(r, Float32, &[4], &[INF, -INF, NAN, -INF]);
    // A broadcast divisor becomes x * (1 / y): 7 / 3.0 -> 2.3333334922790527,
    // while an elementwise divisor rounds once: 2.3333332538604736.
    let x = v(Float32, &[7.0, 1.0, 10.0]);
    let r = call("divide", vec![x.clone(), Value::Float(3.0)]);
    expect(
        r,
        Float32,
        &[3],
        &[2.3333334922790527, 0.3333333432674408, 3.3333334922790527],
    );
    let r = call("divide", vec![x, v(Float32, &[3.0, 3.0, 3.0])]);
    expect(
        r,
        Float32,
        &[3],
        &[2.3333332538604736, 0.3333333432674408, 3.3333332538604736],
    );
    // A bool dividend with a broadcast divisor is select(x, 1 / y, 0).
    let x = t(Bool, &[2, 2], &[1.0, 0.0, 1.0, 0.0]);
    let r = call("divide", vec![x, v(Float32, &[2.0, NAN])]);
    expect(r, Float32, &[2, 2], &[0.5, 0.0, 0.5, 0.0]);
}

#[test]
fn mean_multiplies_by_the_reciprocal_count() {
    expect(
        call("mean", vec![v(Int32, &[1.0, 2.0, 4.0])]),
        Float32,
        &[],
        &[2.3333334922790527],
    );
    let x = t(Float32, &[2, 3], &[1.0, 2.0, 4.0, 0.1, 0.2, 0.4]);
    let r = call_kw("mean", vec![x], &[("axis", Value::Int(1))]);
    expect(r, Float32, &[2], &[2.3333334922790527, 0.23333334922790527]);
    expect(
        call("var", vec![v(Int8, &[1.0, 2.0, 4.0])]),
        Float32,
        &[],
        &[1.5555554628372192],
    );
}

#[test]
fn power_specials_and_integer_paths() {
    let x = v(
        Float32,
        &[0.0, -0.0, -8.0, NAN, 1.0, INF, -INF, -1.0, 0.0, -0.0, 2.0],
    );
    let y = v(
        Float32,
        &[
            0.0,
            -1.0,
            1.0 / 3.0,
            0.0,
            NAN,
            -1.0,
            3.0,
            INF,
            -INF,
            -3.0,
            0.5,
        ],
    );
    let want = [
        1.0,
        -INF,
        NAN,
        1.0,
        1.0,
        0.0,
        -INF,
        1.0,
        INF,
        -INF,
        1.4142135381698608,
    ];
    expect(call("power", vec![x, y]), Float32, &[11], &want);
    // Integer powers: only the exponent's low six bits count; negatives wrap.
    let r = call(
        "power",
        vec![
            v(Int32, &[2.0, 3.0, 0.0, -2.0, 2.0, 0.0, -1.0, 1.0]),
            v(Int32, &[-1.0, 0.0, 0.0, 3.0, 31.0, -1.0, -3.0, -5.0]),
        ],
    );
    expect(
        r,
        Int32,
        &[8],
        &[0.0, 1.0, 1.0, -8.0, -2147483648.0, 0.0, -1.0, 1.0],
    );
    let r = call("power", vec![v(Int32, &[3.0]), v(Int32, &[-1.0])]);
    expect(r, Int32, &[1], &[2111105451.0]);
    // A Python int exponent uses repeated multiplication, rounding each step.
    let r = call("power", vec![v(Float32, &[1.1, -3.0, 0.0]), Value::Int(3)]);
    expect(r, Float32, &[3], &[1.3310000896453857, -27.0, 0.0]);
    let r = call(
        "power",
        vec![v(Float32, &[2.0, -0.0, 0.0, 4.0]), Value::Int(-1)],
    );
    expect(r, Float32, &[4], &[0.5, -INF, INF, 0.25]);
    let r = call("power", vec![v(Int8, &[2.0, 3.0]), Value::Int(-1)]);
    raises(
        r,
        "TypeError",
        "Integers cannot be raised to negative powers, got integer_pow(int8[2], -1)",
    );
    raises(
        call("power", vec![Value::Int(2), Value::Int(-1)]),
        "TypeError",
        "integer_pow(~int32[], -1)",
    );
}

#[test]
fn integer_overflow_wraps() {
    let r = call(
        "add",
        vec![v(Int8, &[127.0, -128.0]), v(Int8, &[1.0, -1.0])],
    );
    expect(r, Int8, &[2], &[-128.0, 127.0]);
    let r = call(
        "multiply",
        vec![v(Int8, &[127.0, -128.0]), v(Int8, &[2.0, -1.0])],
    );
    expect(r, Int8, &[2], &[-2.0, -128.0]);
    expect(
        call("subtract", vec![v(Uint8, &[1.0]), v(Uint8, &[2.0])]),
        Uint8,
        &[1],
        &[255.0],
    );
    expect(
        call("sum", vec![v(Int32, &[2147483647.0, 1.0])]),
        Int32,
        &[],
        &[-2147483648.0],
    );
    expect(
        call("sum", vec![v(Uint8, &[255.0, 255.0])]),
        Uint32,
        &[],
        &[510.0],
    );
    expect(
        call("prod", vec![v(Int32, &[65536.0, 65536.0])]),
        Int32,
        &[],
        &[0.0],
    );
    // matmul: uint8 wraps in uint8; int8 x int8 accumulates in int32.
    let r = call(
        "matmul",
        vec![
            t(Uint8, &[1, 2], &[200.0, 200.0]),
            t(Uint8, &[2, 1], &[2.0, 2.0]),
        ],
    );
    expect(r, Uint8, &[1, 1], &[32.0]);
    let r = call(
        "matmul",
        vec![
            t(Int8, &[1, 2], &[100.0, 100.0]),
            t(Int8, &[2, 1], &[100.0, 100.0]),
        ],
    );
    expect(r, Int32, &[1, 1], &[20000.0]);
}

#[test]
fn half_precision_accumulates_in_float32() {
    expect(
        call("sum", vec![v(Float16, &[60000.0, 60000.0, -60000.0])]),
        Float16,
        &[],
        &[60000.0],
    );
    expect(
        call("mean", vec![v(Float16, &[60000.0, 60000.0])]),
        Float16,
        &[],
        &[60000.0],
    );
    // var is computed in float32 then cast back (overflowing); std is sqrt of that.
    expect(
        call("var", vec![v(Float16, &[60000.0, -60000.0])]),
        Float16,
        &[],
        &[INF],
    );
    expect(
        call("std", vec![v(Float16, &[1.0, 2.0, 3.0, 4.0])]),
        Float16,
        &[],
        &[1.1181640625],
    );
    let r = call(
        "matmul",
        vec![
            t(Float16, &[1, 3], &[60000.0, 60000.0, -60000.0]),
            t(Float16, &[3, 1], &[1.0; 3]),
        ],
    );
    expect(r, Float16, &[1, 1], &[60000.0]);
    expect(
        call("prod", vec![v(Float16, &[300.0, 300.0, 1.0 / 300.0])]),
        Float16,
        &[],
        &[300.0],
    );
}

#[test]
fn empty_reductions() {
    let e = || v(Float32, &[]);
    expect(call("sum", vec![e()]), Float32, &[], &[0.0]);
    expect(call("prod", vec![v(Uint8, &[])]), Uint32, &[], &[1.0]);
    expect(call("mean", vec![e()]), Float32, &[], &[NAN]);
    expect(call("var", vec![e()]), Float32, &[], &[NAN]);
    expect(call("all", vec![e()]), Bool, &[], &[1.0]);
    expect(call("any", vec![e()]), Bool, &[], &[0.0]);
    raises(
        call("max", vec![e()]),
        "ValueError",
        "zero-size array to reduction operation max which has no identity",
    );
    raises(
        call("amin", vec![e()]),
        "ValueError",
        "reduction operation min which has no identity",
    );
    expect(
        call_kw("max", vec![e()], &[("initial", Value::Int(5))]),
        Float32,
        &[],
        &[5.0],
    );
}

#[test]
fn max_initial_is_converted_to_the_input_dtype() {
    let x = || v(Int8, &[1.0, 2.0]);
    let max = |init: Value| call_kw("max", vec![x()], &[("initial", init)]);
    expect(max(Value::Int(5)), Int8, &[], &[5.0]);
    expect(max(Value::Float(2.7)), Int8, &[], &[2.0]);
    expect(max(Value::Int(300)), Int8, &[], &[44.0]);
    let r = call_kw(
        "min",
        vec![v(Float16, &[1.0, 2.0])],
        &[("initial", Value::Float(-1e6))],
    );
    expect(r, Float16, &[], &[-INF]);
    let r = call_kw(
        "max",
        vec![v(Float32, &[1.0, 2.0])],
        &[("initial", Value::Float(NAN))],
    );
    expect(r, Float32, &[], &[NAN]);
}

#[test]
fn float32_denormals_flush_in_arithmetic_only() {
    let d = || v(Float32, &[1e-40, -1e-40, 1e-45]);
    expect(
        call("add", vec![d(), v(Float32, &[0.0, 0.0, 0.0])]),
        Float32,
        &[3],
        &[0.0, 0.0, 0.0],
    );
    expect(call("sum", vec![d()]), Float32, &[], &[0.0]);
    expect(call("max", vec![d()]), Float32, &[], &[0.0]);
    expect(call("min", vec![d()]), Float32, &[], &[-0.0]);
    expect(call("all", vec![v(Float32, &[1e-40])]), Bool, &[], &[0.0]);
    // Moving data keeps denormals; so do one-element reductions.
    let r = call("absolute", vec![d()]);
    expect(
        r,
        Float32,
        &[3],
        &[
            9.99994610111476e-41,
            9.99994610111476e-41,
            1.401298464324817e-45,
        ],
    );
    expect(
        call("sum", vec![v(Float32, &[1e-40])]),
        Float32,
        &[],
        &[9.99994610111476e-41],
    );
    expect(
        call("mean", vec![v(Float32, &[1e-40])]),
        Float32,
        &[],
        &[9.99994610111476e-41],
    );
}
