//! Python-like values: the arguments and results of an op call.

use std::collections::BTreeMap;

use crate::dtype::DType;
use crate::tensor::Tensor;

/// The shape and dtype of a symbolic tensor (`keras.KerasTensor`); `None` is an
/// unknown dimension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TensorSpec {
    /// Dimensions; `None` where unknown.
    pub shape: Vec<Option<usize>>,
    /// Element dtype.
    pub dtype: DType,
}

/// A value as Python would hold it when calling a `keras.ops` function or
/// receiving its result.
///
/// Python `int`, `float` and `bool` arguments are *weak* in Keras's dtype
/// promotion: they do not widen a tensor's dtype (see [`crate::promote`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `None`.
    None,
    /// A Python `bool`.
    Bool(bool),
    /// A Python `int`.
    Int(i64),
    /// A Python `float`.
    Float(f64),
    /// A Python `str` (dtype names travel as strings, as in Keras).
    Str(String),
    /// A Python `list`.
    List(Vec<Value>),
    /// A Python `tuple`.
    Tuple(Vec<Value>),
    /// A Python `dict` with string keys.
    Dict(BTreeMap<String, Value>),
    /// A concrete tensor.
    Tensor(Tensor),
    /// A symbolic tensor (shape and dtype only).
    Spec(TensorSpec),
    /// In a [`crate::program::Program`] step: the result of the earlier step
    /// bound to this name (a tensor, or an object such as a `SeedGenerator`).
    Ref(String),
    /// A seed drawn from a `SeedGenerator` by a program (the state words
    /// `[seed, counter]` that Keras's `draw_seed` returns, bit-cast to `u32`),
    /// passed to a random op's `seed` argument. Cases never write one.
    Seed([u32; 2]),
}

impl Value {
    /// A short name of the variant, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Tensor(_) => "tensor",
            Value::Spec(_) => "symbolic tensor",
            Value::Ref(_) => "reference",
            Value::Seed(_) => "drawn seed",
        }
    }

    /// The tensor inside, if this is one.
    pub fn as_tensor(&self) -> Option<&Tensor> {
        match self {
            Value::Tensor(t) => Some(t),
            _ => None,
        }
    }

    /// This value with every concrete tensor replaced by its [`TensorSpec`]
    /// (shape and dtype), as a symbolic call would return it.
    pub fn to_spec(&self) -> Value {
        match self {
            Value::Tensor(t) => Value::Spec(TensorSpec {
                shape: t.shape().iter().map(|&d| Some(d)).collect(),
                dtype: t.dtype(),
            }),
            Value::List(v) => Value::List(v.iter().map(Value::to_spec).collect()),
            Value::Tuple(v) => Value::Tuple(v.iter().map(Value::to_spec).collect()),
            Value::Dict(m) => {
                Value::Dict(m.iter().map(|(k, v)| (k.clone(), v.to_spec())).collect())
            }
            other => other.clone(),
        }
    }

    /// Every tensor in this value, depth first (for capability checks).
    pub fn tensors(&self) -> Vec<&Tensor> {
        let mut out = Vec::new();
        self.visit_tensors(&mut |t| out.push(t));
        out
    }

    fn visit_tensors<'a>(&'a self, f: &mut dyn FnMut(&'a Tensor)) {
        match self {
            Value::Tensor(t) => f(t),
            Value::List(v) | Value::Tuple(v) => v.iter().for_each(|x| x.visit_tensors(f)),
            Value::Dict(m) => m.values().for_each(|x| x.visit_tensors(f)),
            _ => {}
        }
    }
}
