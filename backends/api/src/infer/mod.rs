//! Symbolic shape and dtype inference: what `keras.ops.<op>` returns when its
//! tensor inputs are `KerasTensor`s (shape and dtype only, `None` for unknown
//! dimensions), as each op's `compute_output_spec` computes it in Keras 3.15.1.
//!
//! It lives in the API crate so every Rust backend answers
//! [`crate::Backend::call_symbolic`] with the same rules: a backend calls
//! [`output_spec`]. Rules are grouped by family, one module each; every group
//! exports a sorted `RULES` table.
//!
//! Symbolic dtypes are those of the declared `KerasTensor`s: nothing is
//! narrowed on input the way JAX narrows eager `float64` arrays, but
//! [`crate::promote::result_type`] narrows its result as Keras's does.

mod activations;
mod binary;
mod core;
mod linalg;
mod nn;
pub mod shape;
mod spectral;
mod unary;
mod updates;
pub mod util;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::call::OpCall;
use crate::error::BackendError;
use crate::value::Value;

/// One op's inference rule: symbolic call in, [`Value::Spec`] leaves out (or
/// the error Keras raises while building the graph).
pub type Rule = fn(&OpCall) -> Result<Value, BackendError>;

/// Every group's rule table.
const GROUPS: &[&[(&str, Rule)]] = &[
    core::RULES,
    activations::RULES,
    unary::RULES,
    binary::RULES,
    shape::RULES,
    linalg::RULES,
    nn::RULES,
    spectral::RULES,
    updates::RULES,
];

fn table() -> &'static BTreeMap<&'static str, Rule> {
    static TABLE: OnceLock<BTreeMap<&'static str, Rule>> = OnceLock::new();
    TABLE.get_or_init(|| {
        GROUPS
            .iter()
            .flat_map(|g| g.iter().copied())
            .collect::<BTreeMap<_, _>>()
    })
}

/// The ops that have an inference rule, sorted.
pub fn ops() -> impl Iterator<Item = &'static str> {
    table().keys().copied()
}

/// The inference rule of `op`, if there is one.
pub fn rule(op: &str) -> Option<Rule> {
    table().get(op).copied()
}

/// The symbolic result of `call`: [`Value::Spec`] leaves in the structure the
/// op returns. Concrete [`Value::Tensor`] arguments count as specs of their
/// shape and dtype. An op without a rule is [`BackendError::Unsupported`].
pub fn output_spec(call: &OpCall) -> Result<Value, BackendError> {
    let rule = rule(&call.op).ok_or_else(|| {
        BackendError::Unsupported(format!("symbolic inference for op `{}`", call.op))
    })?;
    rule(call)
}

/// The Keras backend a symbolic call is answered for: a few
/// `compute_output_spec`s in Keras 3.15.1 branch on `backend.backend()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KerasBackend {
    /// Keras on JAX (what [`output_spec`] answers for).
    Jax,
    /// Keras on torch: `Prod`, `Sum`, `Trace` and `Nan*` replace a `uint32`
    /// result with `int32` ("torch doesn't support uint32").
    Torch,
}

/// Ops whose `compute_output_spec` makes a `uint32` result `int32` on torch.
const TORCH_UINT32_AS_INT32: &[&str] = &[
    "nanmax", "nanmin", "nanprod", "nansum", "prod", "sum", "trace",
];

/// [`output_spec`] as Keras answers it on `backend`.
pub fn output_spec_on(call: &OpCall, backend: KerasBackend) -> Result<Value, BackendError> {
    let spec = output_spec(call)?;
    Ok(match backend {
        KerasBackend::Torch if TORCH_UINT32_AS_INT32.contains(&call.op.as_str()) => {
            uint32_as_int32(spec)
        }
        _ => spec,
    })
}

fn uint32_as_int32(v: Value) -> Value {
    match v {
        Value::Spec(mut s) if s.dtype == crate::DType::Uint32 => {
            s.dtype = crate::DType::Int32;
            Value::Spec(s)
        }
        Value::List(items) => Value::List(items.into_iter().map(uint32_as_int32).collect()),
        Value::Tuple(items) => Value::Tuple(items.into_iter().map(uint32_as_int32).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torch_turns_uint32_sums_into_int32() {
        let x = Value::Spec(crate::TensorSpec {
            shape: vec![None, Some(3)],
            dtype: crate::DType::Uint16,
        });
        let call = OpCall::new("prod", vec![x]);
        let dtype = |v: Value| match v {
            Value::Spec(s) => s.dtype,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            dtype(output_spec_on(&call, KerasBackend::Jax).unwrap()),
            crate::DType::Uint32
        );
        assert_eq!(
            dtype(output_spec_on(&call, KerasBackend::Torch).unwrap()),
            crate::DType::Int32
        );
    }

    #[test]
    fn groups_are_sorted_and_disjoint() {
        let mut total = 0;
        for g in GROUPS {
            assert!(g.windows(2).all(|w| w[0].0 < w[1].0), "unsorted group");
            total += g.len();
        }
        assert_eq!(total, table().len(), "an op has rules in two groups");
    }

    #[test]
    fn unknown_op_is_unsupported() {
        let e = output_spec(&OpCall::new("no_such_op", vec![])).unwrap_err();
        assert!(matches!(e, BackendError::Unsupported(_)));
    }
}
