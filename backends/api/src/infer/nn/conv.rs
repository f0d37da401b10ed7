//! Inference rules of the convolutions: `conv`, `depthwise_conv`,
//! `separable_conv` and `conv_transpose`, after `compute_output_spec` of
//! `keras/src/ops/nn.py` with `operation_utils.compute_conv_output_shape`
//! and `backend_utils.compute_conv_transpose_output_shape` (3.15.1).
//!
//! The symbolic result has the inputs' dtype (eager `conv` returns the
//! kernel's), and the channel check runs here even where eager `conv`
//! would run a grouped convolution.

use super::super::util::{bind, index, require_spec, spec, tuple_repr, Dims};
use super::given;
use crate::call::OpCall;
use crate::error::BackendError;
use crate::python::{py_repr, py_type_name};
use crate::value::{TensorSpec, Value};

type R<T> = Result<T, BackendError>;

/// `standardize_data_format`: true for channels-last.
fn channels_last(v: Option<&Value>) -> R<bool> {
    let text = match given(v) {
        None => return Ok(true),
        Some(Value::Str(s)) => s.to_lowercase(),
        Some(other) => py_repr(other).to_lowercase(),
    };
    match text.as_str() {
        "channels_last" => Ok(true),
        "channels_first" => Ok(false),
        _ => Err(BackendError::value_error(format!(
            "The `data_format` argument must be one of {{'channels_first', 'channels_last'}}. \
             Received: data_format={text}"
        ))),
    }
}

/// `padding.lower()` (default `"valid"`).
fn padding(v: Option<&Value>) -> R<String> {
    match given(v) {
        None => Ok("valid".into()),
        Some(Value::Str(s)) => Ok(s.to_lowercase()),
        Some(other) => Err(BackendError::raised(
            "AttributeError",
            format!("'{}' object has no attribute 'lower'", py_type_name(other)),
        )),
    }
}

/// An int-or-sequence argument: the ints and whether it was one int.
fn int_or_seq(v: Option<&Value>, default: i64) -> R<(Vec<i64>, bool)> {
    match given(v) {
        None => Ok((vec![default], true)),
        Some(Value::List(items) | Value::Tuple(items)) => {
            Ok((items.iter().map(index).collect::<R<_>>()?, false))
        }
        Some(other) => Ok((vec![index(other)?], true)),
    }
}

/// The value of `v` repeated to `n` dims when it was one int.
fn per_dim(values: &(Vec<i64>, bool), n: usize) -> Vec<i64> {
    if values.1 {
        vec![values.0[0]; n]
    } else {
        values.0.clone()
    }
}

/// A known dimension or an error naming what is unknown.
fn known(d: Option<usize>, what: &str) -> R<usize> {
    d.ok_or_else(|| BackendError::Unsupported(format!("an unknown {what} dimension")))
}

/// `shape[i]` from the end (0 = last), or Python's `IndexError`.
fn from_end(shape: &[Option<usize>], i: usize) -> R<Option<usize>> {
    shape
        .len()
        .checked_sub(i + 1)
        .map(|j| shape[j])
        .ok_or_else(|| BackendError::raised("IndexError", "tuple index out of range"))
}

/// The input's channel dimension.
fn input_channels(x: &[Option<usize>], last: bool) -> R<Option<usize>> {
    if last {
        from_end(x, 0)
    } else {
        x.get(1)
            .copied()
            .ok_or_else(|| BackendError::raised("IndexError", "tuple index out of range"))
    }
}

/// `check_conv_input_channels` (`kernel_dim` 1) or its transpose variant (0).
fn check_channels(
    x: &[Option<usize>],
    k: &[Option<usize>],
    kernel_dim: usize,
    last: bool,
) -> R<()> {
    let c = input_channels(x, last)?;
    let kc = from_end(k, kernel_dim)?;
    if let (Some(c), Some(kc)) = (c, kc) {
        if c != kc {
            let name = if last {
                "channels_last"
            } else {
                "channels_first"
            };
            return Err(BackendError::value_error(format!(
                "The number of input channels must match the kernel's input channels. Received: \
                 input channels={c}, kernel input channels={kc}, data_format='{name}'."
            )));
        }
    }
    Ok(())
}

/// The options shared by every convolution rule.
struct ConvArgs {
    last: bool,
    padding: String,
    strides: (Vec<i64>, bool),
    dilation: (Vec<i64>, bool),
    strides_repr: String,
    dilation_repr: String,
}

/// `compute_conv_output_shape(input_shape, filters, kernel_size, ...)`.
fn conv_output_shape(
    input: &[Option<usize>],
    filters: Option<usize>,
    kernel_size: &[Option<usize>],
    a: &ConvArgs,
) -> R<Dims> {
    let (spatial, c) = if a.last {
        (
            input
                .get(1..input.len().saturating_sub(1))
                .unwrap_or_default(),
            input.last().copied().flatten(),
        )
    } else {
        (
            input.get(2..).unwrap_or_default(),
            input.get(1).copied().flatten(),
        )
    };
    let mut kernel_shape = kernel_size.to_vec();
    kernel_shape.extend([c, filters]);
    if kernel_shape.len() != input.len() {
        return Err(BackendError::value_error(format!(
            "Kernel shape must have the same length as input, but received kernel of shape {} \
             and input of shape {}.",
            tuple_repr(&kernel_shape),
            tuple_repr(input)
        )));
    }
    let n = spatial.len();
    let dilation = per_dim(&a.dilation, n);
    let strides = per_dim(&a.strides, n);
    if dilation.len() != n {
        return Err(BackendError::value_error(format!(
            "Dilation must be None, scalar or tuple/list of length of inputs' spatial shape, but \
             received `dilation_rate={}` and input of shape {}.",
            a.dilation_repr,
            tuple_repr(input)
        )));
    }
    if strides.len() != n || strides.contains(&0) {
        return Err(BackendError::Unsupported(
            "strides that do not match the spatial rank".into(),
        ));
    }
    let mut out = Vec::with_capacity(n);
    for d in 0..n {
        let k = known(kernel_size[d], "kernel")? as i128;
        let Some(size) = spatial[d] else {
            out.push(None);
            continue;
        };
        let (size, stride) = (size as i128, i128::from(strides[d]));
        let o = match a.padding.as_str() {
            "valid" => {
                let o = (size - i128::from(dilation[d]) * (k - 1) - 1).div_euclid(stride) + 1;
                if o <= 0 {
                    let dil: Vec<String> = dilation.iter().map(|x| x.to_string()).collect();
                    let kernel_repr = tuple_repr(&kernel_shape);
                    return Err(BackendError::value_error(format!(
                        "Computed output size would be zero or negative. Received `inputs \
                         shape={}`, `kernel shape={kernel_repr}`, `dilation_rate=[{}]`, \
                         `strides={}`, `padding=valid`.",
                        tuple_repr(input),
                        dil.join(" "),
                        a.strides_repr
                    )));
                }
                o
            }
            "same" | "causal" => (size - 1).div_euclid(stride) + 1,
            other => {
                return Err(BackendError::value_error(format!(
                    "`padding` must be either `'valid'` or `'same'`. Received {other}."
                )))
            }
        };
        out.push(Some(usize::try_from(o).unwrap_or(0)));
    }
    Ok(assemble(input[0], out, filters, a.last))
}

/// `(batch, spatial..., filters)` or `(batch, filters, spatial...)`.
fn assemble(batch: Option<usize>, spatial: Dims, filters: Option<usize>, last: bool) -> Dims {
    let mut shape = vec![batch];
    if last {
        shape.extend(spatial);
        shape.push(filters);
    } else {
        shape.push(filters);
        shape.extend(spatial);
    }
    shape
}

/// Binds `names` then the options (`extra` before `data_format`), returning
/// the tensor specs and the options.
fn read(
    call: &OpCall,
    names: &[&str],
    transpose: bool,
) -> R<(Vec<TensorSpec>, ConvArgs, Option<Value>)> {
    let mut params = names.to_vec();
    params.extend(["strides", "padding"]);
    if transpose {
        params.push("output_padding");
    }
    params.extend(["data_format", "dilation_rate"]);
    let args = bind(call, &params, names.len())?;
    let t = names.len();
    let o = usize::from(transpose);
    let last = channels_last(args[t + 2 + o])?;
    let padding = padding(args[t + 1])?;
    let specs = names
        .iter()
        .enumerate()
        .map(|(i, n)| require_spec(args[i], n))
        .collect::<R<Vec<_>>>()?;
    let strides = int_or_seq(args[t], 1)?;
    let dilation = int_or_seq(args[t + 3 + o], 1)?;
    let n = specs[0].shape.len().saturating_sub(2);
    let strides_repr = match given(args[t]) {
        Some(v @ (Value::List(_) | Value::Tuple(_))) => py_repr(v),
        _ => tuple_repr(&vec![Some(strides.0[0] as usize); n]),
    };
    let dilation_repr = given(args[t + 3 + o]).map_or_else(|| "1".into(), py_repr);
    let output_padding = if transpose {
        given(args[t + 2]).cloned()
    } else {
        None
    };
    Ok((
        specs,
        ConvArgs {
            last,
            padding,
            strides,
            dilation,
            strides_repr,
            dilation_repr,
        },
        output_padding,
    ))
}

/// `keras.ops.conv`.
pub fn conv(call: &OpCall) -> R<Value> {
    let (s, a, _) = read(call, &["inputs", "kernel"], false)?;
    let (x, k) = (&s[0], &s[1]);
    check_channels(&x.shape, &k.shape, 1, a.last)?;
    let filters = from_end(&k.shape, 0)?;
    let window = &k.shape[..k.shape.len() - 2];
    Ok(spec(
        conv_output_shape(&x.shape, filters, window, &a)?,
        x.dtype,
    ))
}

/// The output shape of `depthwise_conv` (filters `in * multiplier`).
fn depthwise_shape(x: &TensorSpec, k: &TensorSpec, a: &ConvArgs) -> R<Dims> {
    check_channels(&x.shape, &k.shape, 1, a.last)?;
    let filters = match (from_end(&k.shape, 0)?, from_end(&k.shape, 1)?) {
        (Some(m), Some(c)) => Some(m * c),
        _ => None,
    };
    let window = &k.shape[..k.shape.len() - 2];
    conv_output_shape(&x.shape, filters, window, a)
}

/// `keras.ops.depthwise_conv`.
pub fn depthwise_conv(call: &OpCall) -> R<Value> {
    let (s, a, _) = read(call, &["inputs", "kernel"], false)?;
    Ok(spec(depthwise_shape(&s[0], &s[1], &a)?, s[0].dtype))
}

/// `keras.ops.separable_conv`: the depthwise shape with the pointwise
/// kernel's filters as channels.
pub fn separable_conv(call: &OpCall) -> R<Value> {
    let names = ["inputs", "depthwise_kernel", "pointwise_kernel"];
    let (s, a, _) = read(call, &names, false)?;
    check_channels(&s[0].shape, &s[1].shape, 1, a.last)?;
    let mut shape = depthwise_shape(&s[0], &s[1], &a)?;
    let filters = from_end(&s[2].shape, 0)?;
    let i = if a.last { shape.len() - 1 } else { 1 };
    shape[i] = filters;
    Ok(spec(shape, s[0].dtype))
}

/// `_get_output_shape_given_tf_padding` for one dimension.
fn transpose_size(
    input: Option<usize>,
    kernel: usize,
    stride: i64,
    padding: &str,
    output_padding: Option<i64>,
    dilation: i64,
) -> R<Option<usize>> {
    let Some(input) = input else { return Ok(None) };
    let (i, k) = (
        input as i128,
        (kernel as i128 - 1) * i128::from(dilation) + 1,
    );
    let (stride, output_padding) = (i128::from(stride), output_padding.map(i128::from));
    let size = match (padding, output_padding) {
        ("valid", op) => (i - 1) * stride + k + op.unwrap_or_else(|| k.max(stride) - k),
        ("same", None) => i * stride,
        ("same", Some(op)) => (i - 1) * stride + k.rem_euclid(2) + op,
        (other, _) => {
            return Err(BackendError::value_error(format!(
                "The `padding` argument must be one of 'valid', 'same'. Received: padding={other}"
            )))
        }
    };
    Ok(Some(usize::try_from(size.max(0)).unwrap_or(usize::MAX)))
}

/// `keras.ops.conv_transpose` (kernel `(window..., out, in)`).
pub fn conv_transpose(call: &OpCall) -> R<Value> {
    let (s, a, output_padding) = read(call, &["inputs", "kernel"], true)?;
    let (x, k) = (&s[0], &s[1]);
    check_channels(&x.shape, &k.shape, 0, a.last)?;
    let filters = from_end(&k.shape, 1)?;
    let window = &k.shape[..k.shape.len() - 2];
    let n = x.shape.len().saturating_sub(2);
    let output_padding = output_padding
        .map(|v| int_or_seq(Some(&v), 0).map(|p| per_dim(&p, window.len())))
        .transpose()?;
    let strides = per_dim(&a.strides, n);
    let dilation = per_dim(&a.dilation, n);
    let spatial = if a.last {
        x.shape.get(1..x.shape.len().saturating_sub(1))
    } else {
        x.shape.get(2..)
    }
    .unwrap_or_default();
    let mut out = Vec::with_capacity(n);
    for d in 0..n {
        let kernel = known(*window.get(d).unwrap_or(&None), "kernel")?;
        let op = output_padding.as_ref().and_then(|p| p.get(d).copied());
        let stride = *strides.get(d).unwrap_or(&1);
        let dil = *dilation.get(d).unwrap_or(&1);
        let size = spatial.get(d).copied().flatten();
        out.push(transpose_size(size, kernel, stride, &a.padding, op, dil)?);
    }
    Ok(spec(assemble(x.shape[0], out, filters, a.last), x.dtype))
}
