//! The nn group's kernels never panic or fail internally on odd but
//! well-formed calls: odd shapes (empty, rank 0..4), odd option values
//! (zero, negative, huge strides and dilations, padding strings) in every
//! option slot.

mod common;

use common::*;
use kconform_api::{Backend, BackendError, DType, OpCall, TensorSpec, Value};
use kconform_reference::ReferenceBackend;

fn tensors() -> Vec<Value> {
    let mut out = Vec::new();
    for shape in [
        vec![],
        vec![0],
        vec![3],
        vec![2, 3],
        vec![1, 0, 2],
        vec![1, 4, 2],
        vec![2, 3, 3, 2],
        vec![3, 2, 2],
        vec![1, 1, 2, 2],
    ] {
        let dims: Vec<Option<usize>> = shape.iter().map(|&d| Some(d)).collect();
        out.push(Value::Spec(TensorSpec {
            shape: dims.clone(),
            dtype: DType::Float32,
        }));
        if !dims.is_empty() {
            let mut unknown = dims.clone();
            unknown[0] = None;
            out.push(Value::Spec(TensorSpec {
                shape: unknown,
                dtype: DType::Int32,
            }));
        }
        let n: usize = shape.iter().product();
        let data: Vec<f64> = (0..n).map(|i| i as f64 - 1.0).collect();
        for d in [DType::Float32, DType::Int8, DType::Bool, DType::Float16] {
            out.push(t(d, &shape, &data));
        }
    }
    out
}

fn options() -> Vec<Value> {
    vec![
        Value::None,
        Value::Int(0),
        Value::Int(-1),
        Value::Int(2),
        Value::Int(i64::MAX),
        Value::Int(i64::MIN),
        Value::Float(0.5),
        Value::Bool(true),
        Value::Str("same".into()),
        Value::Str("valid".into()),
        Value::Str("channels_first".into()),
        Value::Tuple(vec![Value::Int(i64::MAX), Value::Int(-3)]),
        Value::List(vec![Value::Int(1)]),
    ]
}

fn check(call: &OpCall) {
    let backend = ReferenceBackend::new();
    for result in [backend.call(call), backend.call_symbolic(call)] {
        match result {
            Ok(_) | Err(BackendError::Raised { .. }) | Err(BackendError::Unsupported(_)) => {}
            Err(other) => panic!("{call:?} failed internally: {other:?}"),
        }
    }
}

const OPS: [(&str, usize, &[&str]); 12] = [
    ("batch_normalization", 4, &["offset", "scale", "epsilon"]),
    ("binary_crossentropy", 2, &["from_logits"]),
    ("categorical_crossentropy", 2, &["from_logits", "axis"]),
    (
        "conv",
        2,
        &["strides", "padding", "data_format", "dilation_rate"],
    ),
    (
        "conv_transpose",
        2,
        &[
            "strides",
            "padding",
            "output_padding",
            "data_format",
            "dilation_rate",
        ],
    ),
    (
        "depthwise_conv",
        2,
        &["strides", "padding", "data_format", "dilation_rate"],
    ),
    ("moments", 2, &["keepdims", "synchronized"]),
    ("normalize", 1, &["axis", "order", "epsilon"]),
    ("one_hot", 2, &["axis", "dtype"]),
    (
        "separable_conv",
        3,
        &["strides", "padding", "data_format", "dilation_rate"],
    ),
    (
        "sparse_categorical_crossentropy",
        2,
        &["from_logits", "axis"],
    ),
    ("utils.normalize", 1, &["axis", "order"]),
];

#[test]
fn nn_ops_never_fail_internally() {
    let ts = tensors();
    let opts = options();
    for (op, required, keys) in OPS {
        // Tensors in every required slot (pairs over a sample), options as given.
        for (i, a) in ts.iter().enumerate() {
            for b in ts.iter().skip(i % 4).step_by(3) {
                let mut args = vec![a.clone(), b.clone()];
                while args.len() < required {
                    args.push(b.clone());
                }
                args.truncate(required.max(1));
                if op == "batch_normalization" {
                    args[3] = Value::Int(-1);
                }
                if op == "one_hot" || op == "moments" {
                    args[1] = Value::Int(1);
                }
                check(&OpCall::new(op, args.clone()));
                for key in keys {
                    for o in &opts {
                        check(&OpCall::new(op, args.clone()).kwarg(*key, o.clone()));
                    }
                }
            }
        }
        // Odd values in the non-tensor required slots.
        for o in &opts {
            let base = t(DType::Float32, &[1, 4, 2], &[1.0; 8]);
            let mut args = vec![base.clone(); required];
            args[required - 1] = o.clone();
            check(&OpCall::new(op, args));
        }
    }
}
