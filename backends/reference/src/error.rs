//! The errors kernels raise, by Python exception type.

use kconform_api::BackendError;

/// Why an op call produced no value: a Python exception Keras would raise, or
/// something this backend does not do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OpError {
    /// `ValueError`.
    #[error("ValueError: {0}")]
    Value(String),
    /// `TypeError`.
    #[error("TypeError: {0}")]
    Type(String),
    /// `IndexError`.
    #[error("IndexError: {0}")]
    Index(String),
    /// `OverflowError`.
    #[error("OverflowError: {0}")]
    Overflow(String),
    /// `ZeroDivisionError`.
    #[error("ZeroDivisionError: {0}")]
    ZeroDivision(String),
    /// `AttributeError`.
    #[error("AttributeError: {0}")]
    Attribute(String),
    /// `AssertionError` (a failed `assert` inside JAX).
    #[error("AssertionError: {0}")]
    Assertion(String),
    /// `RuntimeError`.
    #[error("RuntimeError: {0}")]
    Runtime(String),
    /// NumPy's `AxisError`.
    #[error("AxisError: {0}")]
    Axis(String),
    /// `NotImplementedError` (e.g. a LAPACK routine JAX has no kernel for).
    #[error("NotImplementedError: {0}")]
    NotImplemented(String),
    /// JAX's `TypePromotionError` (an unsafe implicit cast).
    #[error("TypePromotionError: {0}")]
    TypePromotion(String),
    /// An op, dtype or argument form this backend does not implement.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// A broken internal invariant (never expected).
    #[error("internal: {0}")]
    Internal(String),
}

/// Result of a kernel.
pub type OpResult<T> = Result<T, OpError>;

impl From<OpError> for BackendError {
    fn from(e: OpError) -> Self {
        let raised = |kind: &str, m: String| BackendError::raised(kind, m);
        match e {
            OpError::Value(m) => raised("ValueError", m),
            OpError::Type(m) => raised("TypeError", m),
            OpError::Index(m) => raised("IndexError", m),
            OpError::Overflow(m) => raised("OverflowError", m),
            OpError::ZeroDivision(m) => raised("ZeroDivisionError", m),
            OpError::Attribute(m) => raised("AttributeError", m),
            OpError::Assertion(m) => raised("AssertionError", m),
            OpError::Runtime(m) => raised("RuntimeError", m),
            OpError::Axis(m) => raised("AxisError", m),
            OpError::NotImplemented(m) => raised("NotImplementedError", m),
            OpError::TypePromotion(m) => raised("TypePromotionError", m),
            OpError::Unsupported(m) => BackendError::Unsupported(m),
            OpError::Internal(m) => BackendError::Internal(m),
        }
    }
}

/// The most elements a result may have here (1 GiB of `float32`); larger
/// results are refused rather than risking the process on an allocation.
pub const MAX_ELEMENTS: usize = 1 << 28;

/// Checks that a result of `shape` is small enough to build.
pub fn check_size(shape: &[usize]) -> OpResult<()> {
    match shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)) {
        Some(n) if n <= MAX_ELEMENTS => Ok(()),
        _ => Err(OpError::Unsupported(format!(
            "a result of shape {} (over {MAX_ELEMENTS} elements)",
            shape_repr(shape)
        ))),
    }
}

/// Python's repr of a shape tuple: `(2, 3)`, `(2,)`, `()`.
pub fn shape_repr(shape: &[usize]) -> String {
    int_tuple_repr(shape.iter().map(|&d| d as i64))
}

/// Python's repr of a tuple of integers.
pub fn int_tuple_repr(items: impl IntoIterator<Item = i64>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    match items.len() {
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprs_follow_python() {
        assert_eq!(shape_repr(&[]), "()");
        assert_eq!(shape_repr(&[2]), "(2,)");
        assert_eq!(shape_repr(&[2, 3]), "(2, 3)");
        let b: BackendError = OpError::Index("x".into()).into();
        assert_eq!(b, BackendError::raised("IndexError", "x"));
    }
}
