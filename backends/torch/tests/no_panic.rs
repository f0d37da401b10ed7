//! Every op on a grid of odd arguments: each call returns a value or an error,
//! and never panics (tch's panicking paths are avoided, see `raw.rs`).

use std::panic::{catch_unwind, AssertUnwindSafe};

use half::{bf16, f16};
use kconform_api::{Backend, OpCall, Tensor, TensorData, Value};
use kconform_torch::{TorchBackend, TorchDevice};

fn t(shape: Vec<usize>, data: TensorData) -> Value {
    Value::Tensor(Tensor::new(shape, data).unwrap())
}

fn grid() -> Vec<Value> {
    vec![
        Value::None,
        Value::Bool(true),
        Value::Int(0),
        Value::Int(-1),
        Value::Int(2),
        Value::Float(1.5),
        Value::Float(f64::NAN),
        Value::Str("float32".into()),
        Value::Str("bogus".into()),
        Value::List(vec![]),
        Value::List(vec![Value::Int(0), Value::Int(1)]),
        Value::Tuple(vec![Value::Int(0)]),
        Value::List(vec![
            Value::List(vec![Value::Int(1), Value::Int(2)]),
            Value::List(vec![Value::Int(3)]),
        ]),
        Value::Dict(Default::default()),
        t(
            vec![2, 3],
            TensorData::Float32(vec![1.0, -2.0, 0.5, f32::NAN, f32::INFINITY, 0.0]),
        ),
        t(vec![3], TensorData::Int8(vec![-128, 0, 127])),
        t(vec![], TensorData::Bool(vec![true])),
        t(vec![0, 2], TensorData::Float16(vec![])),
        t(
            vec![2],
            TensorData::Bfloat16(vec![bf16::from_f32(1.5), bf16::from_f32(-2.0)]),
        ),
        t(vec![2], TensorData::Uint16(vec![0, 65535])),
        t(vec![2], TensorData::Uint64(vec![1, u64::MAX])),
        t(vec![1, 1], TensorData::Float16(vec![f16::from_f32(3.0)])),
        t(vec![2], TensorData::Int64(vec![i64::MIN, 5])),
    ]
}

#[test]
fn no_op_panics_on_odd_arguments() {
    let b = TorchBackend::new(TorchDevice::Cpu).unwrap();
    let ops: Vec<String> = b.capabilities().ops.into_iter().collect();
    let values = grid();
    let small: Vec<Value> = values.iter().step_by(3).cloned().collect();
    let mut calls = 0;
    for op in &ops {
        let mut run = |call: OpCall| {
            calls += 1;
            let r = catch_unwind(AssertUnwindSafe(|| b.call(&call)));
            assert!(r.is_ok(), "{} panicked on {:?}", call.op, call);
        };
        for x in &values {
            run(OpCall::new(op.clone(), vec![x.clone()]));
            for y in &values {
                run(OpCall::new(op.clone(), vec![x.clone(), y.clone()]));
            }
            for y in &small {
                for key in ["axis", "keepdims", "dtype", "initial", "offset", "axis1"] {
                    run(OpCall::new(op.clone(), vec![x.clone()]).kwarg(key, y.clone()));
                }
                run(OpCall::new(
                    op.clone(),
                    vec![x.clone(), y.clone(), Value::Int(1)],
                ));
            }
        }
        run(OpCall::new(op.clone(), vec![]));
    }
    assert!(calls > 10_000, "{calls}");
}
