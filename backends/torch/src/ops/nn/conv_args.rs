//! The arguments of Keras's convolution ops as Keras 3.15.1 reads them
//! (`standardize_data_format`, `padding.lower()`, `standardize_tuple`), and
//! the torch backend's layout changes (`_transpose_spatial_inputs`,
//! `_transpose_conv_kernel`, `_maybe_convert_to_channels_last`).

use kconform_api::{BackendError, Value};

use super::util::torch_size;
use crate::args::{py_int, py_repr, py_type_name};
use crate::error::TorchResult;
use crate::keras::R;

/// Where the channels of a conv input are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataFormat {
    /// `(batch, spatial..., channels)`.
    ChannelsLast,
    /// `(batch, channels, spatial...)`.
    ChannelsFirst,
}

impl DataFormat {
    /// `backend.standardize_data_format` (`None` is `"channels_last"`).
    pub fn parse(v: Option<&Value>) -> R<DataFormat> {
        let text = match v {
            None | Some(Value::None) => return Ok(DataFormat::ChannelsLast),
            Some(Value::Str(s)) => s.to_lowercase(),
            Some(other) => py_repr(other).to_lowercase(),
        };
        match text.as_str() {
            "channels_last" => Ok(DataFormat::ChannelsLast),
            "channels_first" => Ok(DataFormat::ChannelsFirst),
            _ => Err(BackendError::value_error(format!(
                "The `data_format` argument must be one of {{'channels_first', 'channels_last'}}. \
                 Received: data_format={text}"
            ))),
        }
    }

    /// The name Keras prints.
    pub fn name(self) -> &'static str {
        match self {
            DataFormat::ChannelsLast => "channels_last",
            DataFormat::ChannelsFirst => "channels_first",
        }
    }
}

/// `padding.lower()` (default `"valid"`).
pub fn padding(v: Option<&Value>) -> R<String> {
    match v {
        None => Ok("valid".into()),
        Some(Value::Str(s)) => Ok(s.to_lowercase()),
        Some(other) => Err(BackendError::raised(
            "AttributeError",
            format!("'{}' object has no attribute 'lower'", py_type_name(other)),
        )),
    }
}

/// How Python prints a set of ints (`{0, -1}`): in hash-table slot order.
fn py_int_set(values: &[i64]) -> String {
    let mut unique: Vec<i64> = Vec::new();
    for &v in values {
        if !unique.contains(&v) {
            unique.push(v);
        }
    }
    let slot = |v: i64| (if v == -1 { -2 } else { v }) & 7;
    unique.sort_by_key(|&v| slot(v));
    let items: Vec<String> = unique.iter().map(i64::to_string).collect();
    format!("{{{}}}", items.join(", "))
}

/// `standardize_tuple(value, n, name)`: an int repeated `n` times, or a
/// sequence of `n` ints, every one `> 0`; `ValueError` otherwise.
pub fn standardize_tuple(value: &Value, n: i64, name: &str) -> R<Vec<i64>> {
    let mut msg = format!(
        "The `{name}` argument must be a tuple of {n} integers. Received {name}={}",
        py_repr(value)
    );
    let values = match value {
        Value::Int(_) | Value::Bool(_) => {
            vec![py_int(value).unwrap_or_default(); usize::try_from(n).unwrap_or(0)]
        }
        Value::List(items) | Value::Tuple(items) => {
            if items.len() as i64 != n {
                return Err(BackendError::value_error(msg));
            }
            let mut ints = Vec::with_capacity(items.len());
            for item in items {
                match (item, py_int(item)) {
                    (_, Some(i)) => ints.push(i),
                    (Value::None, _) => {
                        msg.push_str("including element None of type <class 'NoneType'>");
                        return Err(BackendError::value_error(msg));
                    }
                    (other, _) => {
                        return Err(BackendError::Unsupported(format!(
                            "`{name}` holding a {}",
                            other.kind()
                        )))
                    }
                }
            }
            ints
        }
        Value::Str(_) => {
            return Err(BackendError::Unsupported(format!(
                "`{name}` given as a string"
            )))
        }
        _ => return Err(BackendError::value_error(msg)),
    };
    let bad: Vec<i64> = values.iter().copied().filter(|&v| v <= 0).collect();
    if !bad.is_empty() {
        msg.push_str(&format!(
            ", including values {} that do not satisfy `value > 0`",
            py_int_set(&bad)
        ));
        return Err(BackendError::value_error(msg));
    }
    Ok(values)
}

/// A `dilation=` argument as torch's conv functions parse it: an int is
/// repeated per spatial dimension, a sequence is passed as is.
pub fn torch_int_list(value: &Value, n: usize, what: &str) -> R<Vec<i64>> {
    match value {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(|v| {
                py_int(v).ok_or_else(|| {
                    BackendError::Unsupported(format!("`{what}` holding a {}", v.kind()))
                })
            })
            .collect(),
        other => py_int(other).map(|d| vec![d; n]).ok_or_else(|| {
            BackendError::Unsupported(format!("`{what}` given as a {}", other.kind()))
        }),
    }
}

/// Channels-last inputs `(N, spatial..., C)` as `(N, C, spatial...)`,
/// contiguous (`_transpose_spatial_inputs`).
pub fn transpose_spatial_inputs(x: &tch::Tensor) -> R<tch::Tensor> {
    let perm: &[i64] = match x.dim() {
        3 => &[0, 2, 1],
        4 => &[0, 3, 1, 2],
        5 => &[0, 4, 1, 2, 3],
        _ => {
            return Err(BackendError::value_error(format!(
                "Inputs must have ndim=3, 4 or 5, corresponding to 1D, 2D and 3D inputs. \
                 Received input shape: {}.",
                torch_size(&x.size())
            )))
        }
    };
    x.f_permute(perm).py()?.f_contiguous().py()
}

/// `(N, C, spatial...)` back to `(N, spatial..., C)` (`_transpose_spatial_outputs`).
pub fn transpose_spatial_outputs(x: &tch::Tensor) -> R<tch::Tensor> {
    let perm: &[i64] = match x.dim() {
        3 => &[0, 2, 1],
        4 => &[0, 2, 3, 1],
        5 => &[0, 2, 3, 4, 1],
        _ => return Ok(x.shallow_clone()),
    };
    x.f_permute(perm).py()
}

/// A Keras kernel `(spatial..., a, b)` as torch's `(b, a, spatial...)`
/// (`_transpose_conv_kernel`; other ranks are left alone).
pub fn transpose_conv_kernel(k: &tch::Tensor) -> R<tch::Tensor> {
    let perm: &[i64] = match k.dim() {
        3 => &[2, 1, 0],
        4 => &[3, 2, 0, 1],
        5 => &[4, 3, 0, 1, 2],
        _ => return Ok(k.shallow_clone()),
    };
    k.f_permute(perm).py()
}

/// `_maybe_convert_to_channels_last`: a 4-D or 5-D tensor laid out in
/// memory as channels-last (what `tensor.contiguous(memory_format=
/// torch.channels_last)` gives, so that torch picks the same kernels).
pub fn to_channels_last_memory(x: &tch::Tensor) -> R<tch::Tensor> {
    let (to, back): (&[i64], &[i64]) = match x.dim() {
        4 => (&[0, 2, 3, 1], &[0, 3, 1, 2]),
        5 => (&[0, 2, 3, 4, 1], &[0, 4, 1, 2, 3]),
        _ => return Ok(x.shallow_clone()),
    };
    x.f_permute(to)
        .py()?
        .f_contiguous()
        .py()?
        .f_permute(back)
        .py()
}
