//! Inference rules: FFTs and short-time Fourier transforms, as the
//! `compute_output_spec`s of `keras/src/ops/math.py` (3.15.1) compute them.

use super::util::{bind, int_arg, require_spec, spec, tuple_repr, Dims};
use super::Rule;
use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::python::py_repr;
use crate::value::{TensorSpec, Value};

/// This group's rules, sorted by op name.
pub const RULES: &[(&str, Rule)] = &[
    ("fft", fft),
    ("fft2", fft2),
    ("ifft2", fft2),
    ("irfft", irfft),
    ("istft", istft),
    ("rfft", rfft),
    ("stft", stft),
];

/// A `(real, imag)` pair with Keras's checks: two parts of equal shape, of
/// rank at least `min_rank`.
fn pair(x: Option<&Value>, min_rank: usize) -> Result<(TensorSpec, TensorSpec), BackendError> {
    let x = x.unwrap_or(&Value::None);
    let (re, im) = match x {
        Value::Tuple(items) | Value::List(items) if items.len() == 2 => (
            require_spec(Some(&items[0]), "x[0]")?,
            require_spec(Some(&items[1]), "x[1]")?,
        ),
        // `any_symbolic_tensors(x)` takes the truth value of a lone tensor.
        Value::Spec(_) => {
            return Err(BackendError::type_error(
                "A symbolic KerasTensor cannot be used as a boolean.",
            ))
        }
        other => {
            return Err(BackendError::value_error(format!(
                "Input `x` should be a tuple of two tensors - real and imaginary. Received: x={}",
                py_repr(other)
            )))
        }
    };
    if re.shape != im.shape {
        return Err(BackendError::value_error(format!(
            "Input `x` should be a tuple of two tensors - real and imaginary. Both the real and \
             imaginary parts should have the same shape. Received: x[0].shape = {}, x[1].shape \
             = {}",
            tuple_repr(&re.shape),
            tuple_repr(&im.shape)
        )));
    }
    require_rank(&re.shape, min_rank)?;
    Ok((re, im))
}

/// Keras's "Input should have rank >= N" check.
fn require_rank(shape: &[Option<usize>], min_rank: usize) -> Result<(), BackendError> {
    if shape.len() < min_rank {
        return Err(BackendError::value_error(format!(
            "Input should have rank >= {min_rank}. Received: input.shape = {}",
            tuple_repr(shape)
        )));
    }
    Ok(())
}

/// Two specs as the `(real, imag)` tuple Keras returns.
fn two(shape: Dims, re: DType, im: DType) -> Value {
    Value::Tuple(vec![spec(shape.clone(), re), spec(shape, im)])
}

/// `fft`: both parts unchanged; the last axis must be known.
fn fft(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x"], 1)?;
    let (re, im) = pair(args[0], 1)?;
    if re.shape.last().copied().flatten().is_none() {
        return Err(BackendError::value_error(format!(
            "Input should have its last dimension fully-defined. Received: input.shape = {}",
            tuple_repr(&re.shape)
        )));
    }
    Ok(two(re.shape, re.dtype, im.dtype))
}

/// `fft2` and `ifft2`: both parts unchanged; the last two axes must be known.
fn fft2(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x"], 1)?;
    let (re, im) = pair(args[0], 2)?;
    let n = re.shape.len();
    if re.shape[n - 2].is_none() || re.shape[n - 1].is_none() {
        return Err(BackendError::value_error(format!(
            "Input should have its (-2, -1) axes fully-defined. Received: input.shape = {}",
            tuple_repr(&re.shape)
        )));
    }
    Ok(two(re.shape, re.dtype, im.dtype))
}

/// `shape` with its last dimension replaced.
fn with_last(shape: &[Option<usize>], last: Option<usize>) -> Dims {
    let mut out = shape[..shape.len() - 1].to_vec();
    out.push(last);
    out
}

/// `rfft`: `fft_length // 2 + 1` bins, in the input's dtype (eager gives
/// `float32` for integer inputs; the symbolic spec keeps the declared dtype).
fn rfft(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "fft_length"], 1)?;
    let x = require_spec(args[0], "x")?;
    require_rank(&x.shape, 1)?;
    let n = int_arg(args[1])?;
    let last = match n {
        Some(n) => Some(n.div_euclid(2) + 1),
        None => x.shape.last().copied().flatten().map(|m| m as i64 / 2 + 1),
    };
    let last = last.map(|l| l.max(0) as usize);
    Ok(two(with_last(&x.shape, last), x.dtype, x.dtype))
}

/// `irfft`: `fft_length` (default `2 * (bins - 1)`) samples of the real part's dtype.
fn irfft(call: &OpCall) -> Result<Value, BackendError> {
    let args = bind(call, &["x", "fft_length"], 1)?;
    let (re, _) = pair(args[0], 1)?;
    let last = match int_arg(args[1])? {
        Some(n) => Some(n.max(0) as usize),
        None => re
            .shape
            .last()
            .copied()
            .flatten()
            .map(|m| 2 * m.saturating_sub(1)),
    };
    Ok(spec(with_last(&re.shape, last), re.dtype))
}

/// Keras's check of `sequence_stride`, made before any symbolic dispatch.
fn stride(v: Option<&Value>) -> Result<i64, BackendError> {
    match v {
        Some(Value::Int(i)) if *i > 0 => Ok(*i),
        Some(Value::Bool(true)) => Ok(1),
        other => Err(BackendError::value_error(format!(
            "`sequence_stride` must be a positive integer. Received: sequence_stride={}",
            py_repr(other.unwrap_or(&Value::None))
        ))),
    }
}

/// A required int argument.
fn required_int(v: Option<&Value>, name: &str) -> Result<i64, BackendError> {
    int_arg(v)?.ok_or_else(|| BackendError::Unsupported(format!("`{name}` given as None")))
}

/// A non-negative dimension from a computed size.
fn dim(v: i64) -> Result<usize, BackendError> {
    usize::try_from(v).map_err(|_| BackendError::Unsupported(format!("a negative size {v}")))
}

/// `stft`: `(..., 1 + (n + pad - fft_length) // stride, fft_length // 2 + 1)`,
/// where `pad` is `2 * (fft_length // 2)` unless `center is False`.
fn stft(call: &OpCall) -> Result<Value, BackendError> {
    let params = [
        "x",
        "sequence_length",
        "sequence_stride",
        "fft_length",
        "window",
        "center",
    ];
    let args = bind(call, &params, 4)?;
    let hop = stride(args[2])?;
    let x = require_spec(args[0], "x")?;
    let fft = required_int(args[3], "fft_length")?;
    let center_is_false = matches!(args[5], Some(Value::Bool(false)));
    let padded = if center_is_false { 0 } else { fft / 2 * 2 };
    let frames = match x.shape.last().copied().flatten() {
        Some(n) => Some(dim(1 + (n as i64 + padded - fft).div_euclid(hop))?),
        None => None,
    };
    let mut shape = x.shape[..x.shape.len().saturating_sub(1)].to_vec();
    shape.push(frames);
    shape.push(Some(dim(fft / 2 + 1)?));
    Ok(two(shape, x.dtype, x.dtype))
}

/// `istft`: `(..., (frames - 1) * stride + fft_length)`, minus
/// `2 * (fft_length // 2)` when centered, or `length` when given.
fn istft(call: &OpCall) -> Result<Value, BackendError> {
    let params = [
        "x",
        "sequence_length",
        "sequence_stride",
        "fft_length",
        "length",
        "window",
        "center",
    ];
    let args = bind(call, &params, 4)?;
    let hop = stride(args[2])?;
    let (re, _) = pair(args[0], 2)?;
    let fft = required_int(args[3], "fft_length")?;
    let length = int_arg(args[4])?;
    let center = match args[6] {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(Value::Int(i)) => *i != 0,
        Some(Value::None) => false,
        Some(other) => {
            return Err(BackendError::Unsupported(format!(
                "center given as a {}",
                other.kind()
            )))
        }
    };
    let n = re.shape.len();
    let size = match (re.shape[n - 2], length) {
        (_, Some(l)) => Some(l),
        (Some(frames), None) => {
            let out = (frames as i64 - 1) * hop + fft;
            Some(if center { out - fft / 2 * 2 } else { out })
        }
        (None, None) => None,
    };
    let mut shape = re.shape[..n - 2].to_vec();
    shape.push(size.map(dim).transpose()?);
    Ok(spec(shape, re.dtype))
}
