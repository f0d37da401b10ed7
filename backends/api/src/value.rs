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
        }
    }

    /// The tensor inside, if this is one.
    pub fn as_tensor(&self) -> Option<&Tensor> {
        match self {
            Value::Tensor(t) => Some(t),
            _ => None,
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
