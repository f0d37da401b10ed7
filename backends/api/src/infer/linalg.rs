//! Inference rules: linear algebra and `keras.ops.math`.

mod decomp;
mod diag;
mod einsum;
mod products;
mod ranking;
mod reductions;

use super::util::{tensor_spec, Dims};
use super::Rule;
use crate::error::BackendError;
use crate::value::Value;

/// A symbolic shape.
type Shape = Dims;

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
    ("cholesky", decomp::cholesky),
    ("cross", products::cross),
    ("det", decomp::det),
    ("diag", diag::diag),
    ("dot", products::dot),
    ("einsum", einsum::einsum),
    ("in_top_k", ranking::in_top_k),
    ("inner", products::inner),
    ("inv", decomp::inv),
    ("kron", products::kron),
    ("logdet", decomp::logdet),
    ("logsumexp", reductions::logsumexp),
    ("median", reductions::median),
    ("norm", reductions::norm),
    ("outer", products::outer),
    ("percentile", reductions::percentile),
    ("quantile", reductions::quantile),
    ("segment_max", ranking::segment_max),
    ("segment_sum", ranking::segment_sum),
    ("slogdet", decomp::slogdet),
    ("solve", decomp::solve),
    ("solve_triangular", decomp::solve_triangular),
    ("tensordot", products::tensordot),
    ("top_k", ranking::top_k),
    ("trace", diag::trace),
    ("vdot", products::vdot),
];

/// `getattr(x, "shape", None)`: a tensor's shape, `None` for Python scalars.
fn shape_of(v: &Value) -> Option<Shape> {
    tensor_spec(v).map(|s| s.shape)
}

/// Python's index `i` into a list of `len` items, or `IndexError: {message}`.
fn py_index(len: usize, i: i64, message: &str) -> Result<usize, BackendError> {
    let n = len as i64;
    let j = if i < 0 { i + n } else { i };
    if (0..n).contains(&j) {
        Ok(j as usize)
    } else {
        Err(BackendError::raised("IndexError", message))
    }
}

/// `shape[i]` with Python's negative indexing.
fn py_get(shape: &[Option<usize>], i: i64) -> Result<Option<usize>, BackendError> {
    Ok(shape[py_index(shape.len(), i, "list index out of range")?])
}

/// `del shape[i]` with Python's negative indexing.
fn py_del(shape: &mut Shape, i: i64) -> Result<(), BackendError> {
    let j = py_index(shape.len(), i, "list assignment index out of range")?;
    shape.remove(j);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::OpCall;
    use crate::dtype::DType;
    use crate::infer::util::spec;

    fn sym(shape: &[Option<usize>], dtype: DType) -> Value {
        spec(shape.to_vec(), dtype)
    }

    fn run(op: &str, args: Vec<Value>) -> Result<Value, BackendError> {
        let rule = RULES.iter().find(|(n, _)| *n == op).map(|(_, r)| *r);
        rule.expect("rule")(&OpCall::new(op, args))
    }

    #[test]
    fn table_is_sorted() {
        assert!(RULES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn einsum_port_keeps_keras_quirks() {
        let x = sym(&[None, Some(3)], DType::Int8);
        let y = sym(&[Some(4), Some(4)], DType::Int8);
        let out = run("einsum", vec![Value::Str("ij,jk->ik".into()), x, y]).unwrap();
        assert_eq!(out, sym(&[None, Some(4)], DType::Int32));
        let x = sym(&[Some(3), Some(3)], DType::Float32);
        let out = run("einsum", vec![Value::Str("ii".into()), x]).unwrap();
        assert_eq!(out, sym(&[], DType::Float32));
    }

    #[test]
    fn kron_and_dot_follow_keras() {
        let x = sym(&[None, Some(3)], DType::Float32);
        let y = sym(&[Some(4)], DType::Float32);
        assert_eq!(
            run("kron", vec![x.clone(), y.clone()]).unwrap(),
            sym(&[None], DType::Float32)
        );
        let e = run("dot", vec![x, sym(&[None], DType::Float32)]).unwrap_err();
        assert!(e.to_string().contains("x2.shape=`(None,)`"));
        let t = run("top_k", vec![y, Value::Int(2)]).unwrap();
        assert_eq!(
            t,
            Value::Tuple(vec![
                sym(&[Some(2)], DType::Float32),
                sym(&[Some(2)], DType::Int32)
            ])
        );
    }
}
