//! The arguments of Keras's convolution ops, read as Keras 3.15.1 and JAX
//! read them, and the layout changes between Keras's tensors and the
//! `(N, C, spatial...)` / `(O, I, window...)` layout of [`super::conv_core`].

use kconform_api::Value;
use ndarray::{ArrayD, Axis, IxDyn};

use crate::args::{index, py_repr, py_type_name};
use crate::array::Array;
use crate::convert::to_array;
use crate::error::{OpError, OpResult};

/// Where the channels of a conv input are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataFormat {
    /// `(batch, spatial..., channels)`.
    ChannelsLast,
    /// `(batch, channels, spatial...)`.
    ChannelsFirst,
}

/// `backend.standardize_data_format` (`None` is `image_data_format()`,
/// `"channels_last"`).
pub fn data_format(v: Option<&Value>) -> OpResult<DataFormat> {
    let text = match v {
        None => return Ok(DataFormat::ChannelsLast),
        Some(Value::Str(s)) => s.to_lowercase(),
        Some(other) => py_repr(other).to_lowercase(),
    };
    match text.as_str() {
        "channels_last" => Ok(DataFormat::ChannelsLast),
        "channels_first" => Ok(DataFormat::ChannelsFirst),
        _ => Err(OpError::Value(format!(
            "The `data_format` argument must be one of {{'channels_first', 'channels_last'}}. \
             Received: data_format={text}"
        ))),
    }
}

/// `padding.lower()` (default `"valid"`).
pub fn padding(v: Option<&Value>) -> OpResult<String> {
    match v {
        None => Ok("valid".into()),
        Some(Value::Str(s)) => Ok(s.to_lowercase()),
        Some(other) => Err(OpError::Attribute(format!(
            "'{}' object has no attribute 'lower'",
            py_type_name(other)
        ))),
    }
}

/// `_convert_to_spatial_operand(x, n)`: an int repeated per spatial
/// dimension, or the given sequence (default `default`).
pub fn spatial_operand(v: Option<&Value>, n: usize, default: i64) -> OpResult<Vec<i64>> {
    match v {
        None => Ok(vec![default; n]),
        Some(Value::List(items) | Value::Tuple(items)) => items.iter().map(index).collect(),
        Some(Value::Float(_)) => Err(OpError::Type("'float' object is not iterable".into())),
        Some(other) => Ok(vec![index(other)?; n]),
    }
}

/// The array of an argument the JAX backend reads `.ndim`/`.shape` from
/// before converting it: Python lists and scalars raise `AttributeError`.
pub fn tensor_arg(v: &Value, attribute: &str) -> OpResult<Array> {
    match v {
        Value::Tensor(_) => to_array(v),
        other => Err(OpError::Attribute(format!(
            "'{}' object has no attribute '{attribute}'",
            py_type_name(other)
        ))),
    }
}

/// The channel count of an input of `shape`.
pub fn channels(shape: &[usize], format: DataFormat) -> usize {
    match format {
        DataFormat::ChannelsLast => shape.last().copied().unwrap_or(0),
        DataFormat::ChannelsFirst => shape.get(1).copied().unwrap_or(0),
    }
}

/// `(N, spatial..., C)` → `(N, C, spatial...)` for channels-last inputs.
pub fn to_channels_first<T: Clone>(a: ArrayD<T>, format: DataFormat) -> ArrayD<T> {
    let n = a.ndim();
    if format == DataFormat::ChannelsFirst || n < 2 {
        return a;
    }
    let perm: Vec<usize> = [0, n - 1].into_iter().chain(1..n - 1).collect();
    a.permuted_axes(IxDyn(&perm))
        .as_standard_layout()
        .into_owned()
}

/// `(N, C, spatial...)` → the layout of `format`.
pub fn from_channels_first<T: Clone>(a: ArrayD<T>, format: DataFormat) -> ArrayD<T> {
    let n = a.ndim();
    if format == DataFormat::ChannelsFirst || n < 2 {
        return a;
    }
    let perm: Vec<usize> = [0].into_iter().chain(2..n).chain([1]).collect();
    a.permuted_axes(IxDyn(&perm))
        .as_standard_layout()
        .into_owned()
}

/// A kernel `(window..., a, b)` as `(b, a, window...)` (`swap`: `(a, b,
/// window...)`), its window optionally flipped (a transposed convolution).
pub fn kernel_to_oi<T: Clone>(k: ArrayD<T>, swap: bool, flip: bool) -> ArrayD<T> {
    let n = k.ndim();
    if n < 2 {
        return k;
    }
    let (first, second) = if swap { (n - 2, n - 1) } else { (n - 1, n - 2) };
    let perm: Vec<usize> = [first, second].into_iter().chain(0..n - 2).collect();
    let mut view = k.view().permuted_axes(IxDyn(&perm));
    if flip {
        for d in 2..n {
            view.invert_axis(Axis(d));
        }
    }
    view.as_standard_layout().into_owned()
}
