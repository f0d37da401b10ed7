//! Errors of the torch backend, and how libtorch's errors become Keras-style ones.

use kconform_api::{BackendError, DType};
use tch::{Kind, TchError};

/// What can go wrong in the torch backend outside an op's own semantics.
#[derive(Debug, thiserror::Error)]
pub enum TorchError {
    /// A CUDA device was asked for that this libtorch or machine does not have.
    #[error("CUDA device {requested} requested, but {available} CUDA device(s) are available{}", if *.available == 0 { " (no CUDA driver or GPU, or a CPU-only libtorch)" } else { "" })]
    NoCuda {
        /// The device index asked for.
        requested: usize,
        /// How many CUDA devices libtorch sees.
        available: usize,
    },
    /// A device name that is not `cpu`, `cuda` or `cuda:N`.
    #[error("unknown torch device `{0}` (expected cpu, cuda or cuda:N)")]
    BadDevice(String),
    /// libtorch raised an error.
    #[error("libtorch: {0}")]
    Tch(#[from] TchError),
    /// A torch tensor whose element kind has no kconform dtype (complex, quantized, float8).
    #[error("torch kind {0:?} has no kconform dtype")]
    UnsupportedKind(Kind),
    /// A value that the torch tensor of its dtype cannot hold (uint64 above 2^63-1).
    #[error("{dtype} value {value} cannot be held by a torch tensor (tch has no unsigned kinds above uint8)")]
    Unrepresentable {
        /// The host dtype.
        dtype: DType,
        /// The value, printed.
        value: String,
    },
    /// A host tensor whose shape or length does not match what libtorch returned.
    #[error("tensor conversion: {0}")]
    Conversion(String),
    /// A libtorch global setting could not be changed.
    #[error("libtorch setting `{0}` could not be changed")]
    Setting(&'static str),
}

impl From<TorchError> for BackendError {
    fn from(e: TorchError) -> Self {
        match e {
            TorchError::Tch(t) => torch_raised(t),
            TorchError::UnsupportedKind(_) | TorchError::Unrepresentable { .. } => {
                BackendError::Unsupported(e.to_string())
            }
            other => BackendError::Internal(other.to_string()),
        }
    }
}

/// libtorch's message without the C++ backtrace Python does not show.
pub fn clean_message(message: &str) -> String {
    let cut = [
        "\nException raised from ",
        "\nframe #0",
        " (most recent call first)",
    ]
    .iter()
    .filter_map(|m| message.find(m))
    .min()
    .unwrap_or(message.len());
    message[..cut].trim().to_string()
}

/// The Python exception type PyTorch raises for a libtorch message.
///
/// tch hands over only `what()`, not the C++ exception class, so the class is
/// recovered from the message: `TORCH_CHECK_INDEX` failures (dimension and index
/// range checks) are `IndexError`, the `TORCH_CHECK_VALUE` ones met so far are
/// `ValueError`, dtype dispatch misses are `NotImplementedError`, the
/// `TORCH_CHECK_LINALG` failures of `_linalg_check_errors` (singular or not
/// positive-definite inputs, no convergence) are `torch._C._LinAlgError`, and
/// everything else is `RuntimeError` (checked against PyTorch 2.11 on the
/// suite's cases).
pub fn python_kind(message: &str) -> &'static str {
    const INDEX: [&str; 10] = [
        "Dimension out of range",
        "index out of range in self",
        "out of bounds for dimension",
        "Dimension specified as",
        "to have non-zero size",
        "argmax(): Expected reduction dim to be specified",
        "argmin(): Expected reduction dim to be specified",
        "too many indices for tensor of dimension",
        "tensors used as indices must be long, int, byte or bool tensors",
        " is out of bounds.",
    ];
    const VALUE: [&str; 2] = [
        "expected a non-empty list of Tensors",
        "binomial only supports floating-point dtypes for count",
    ];
    const LINALG: [&str; 4] = [
        "because the input matrix is singular.",
        "because the input is not positive-definite",
        ": The algorithm failed to converge because the input matrix",
        "is zero and using it on lu_solve would result in a division by zero.",
    ];
    if LINALG.iter().any(|m| message.contains(m)) {
        "_LinAlgError"
    } else if INDEX.iter().any(|m| message.contains(m)) {
        "IndexError"
    } else if VALUE.iter().any(|m| message.contains(m)) {
        "ValueError"
    } else if message.contains("\" not implemented for '") {
        "NotImplementedError"
    } else {
        "RuntimeError"
    }
}

/// PyTorch's `processErrorMsg`: the legacy ATen type names in a message
/// (`CPUFloatType`) as Python prints them (`torch.FloatTensor`). Its table
/// holds only the eight classic scalar types (no Bool, no BFloat16).
pub fn python_type_names(message: &str) -> String {
    const SCALARS: [&str; 8] = [
        "Byte", "Char", "Double", "Float", "Int", "Long", "Short", "Half",
    ];
    const BACKENDS: [(&str, &str); 4] = [
        ("SparseCUDA", "torch.cuda.sparse."),
        ("SparseCPU", "torch.sparse."),
        ("CUDA", "torch.cuda."),
        ("CPU", "torch."),
    ];
    let mut out = message.to_string();
    for (backend, module) in BACKENDS {
        for scalar in SCALARS {
            let aten = format!("{backend}{scalar}Type");
            let python = format!("{module}{scalar}Tensor");
            out = out
                .replace(&format!("Variable[{aten}]"), &python)
                .replace(&aten, &python);
        }
    }
    out
}

/// A libtorch error as the Python exception PyTorch raises for it.
pub fn torch_raised(e: TchError) -> BackendError {
    match e {
        TchError::Torch(message) => {
            let message = python_type_names(&clean_message(&message));
            BackendError::raised(python_kind(&message), message)
        }
        other => BackendError::Internal(other.to_string()),
    }
}

/// Shorthand: maps a tch result's error the way PyTorch raises it.
pub trait TorchResult<T> {
    /// The value, or the Python exception PyTorch would raise.
    fn py(self) -> Result<T, BackendError>;
}

impl<T> TorchResult<T> for Result<T, TchError> {
    fn py(self) -> Result<T, BackendError> {
        self.map_err(torch_raised)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backtraces_are_cut_and_kinds_recovered() {
        let m = "Dimension out of range (expected to be in range of [-1, 0], but got 3)\nException raised from wrap at x.cpp:1";
        assert_eq!(
            clean_message(m),
            "Dimension out of range (expected to be in range of [-1, 0], but got 3)"
        );
        assert_eq!(python_kind(m), "IndexError");
        assert_eq!(
            python_kind("\"pow\" not implemented for 'Bool'"),
            "NotImplementedError"
        );
        assert_eq!(python_kind("step must be nonzero"), "RuntimeError");
        assert_eq!(
            python_type_names("Input type (CPUHalfType) and weight type (CPUBFloat16Type)"),
            "Input type (torch.HalfTensor) and weight type (CPUBFloat16Type)"
        );
    }
}
