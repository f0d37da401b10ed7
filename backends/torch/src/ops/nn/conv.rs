//! `conv`, `depthwise_conv`, `separable_conv` and `conv_transpose`, as
//! Keras 3.15.1's torch backend runs them (`keras/src/backend/torch/nn.py`):
//! Keras's layouts moved to torch's, then `F.conv{1,2,3}d` /
//! `F.conv_transpose{1,2,3}d`, so torch's dtype checks and numerics apply.

use kconform_api::{BackendError, OpCall, Value};

use super::conv_args::{
    padding, standardize_tuple, to_channels_last_memory, torch_int_list, transpose_conv_kernel,
    transpose_spatial_inputs, transpose_spatial_outputs, DataFormat,
};
use super::util::torch_size;
use crate::args::{bind, py_int};
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};

fn index_error() -> BackendError {
    BackendError::raised("IndexError", "tuple index out of range")
}

/// `shape[i]` of a `torch.Size` (Python indexing).
fn dim_at(shape: &[i64], i: i64) -> R<i64> {
    let n = shape.len() as i64;
    let j = if i < 0 { i + n } else { i };
    usize::try_from(j)
        .ok()
        .and_then(|j| shape.get(j).copied())
        .ok_or_else(index_error)
}

/// `_compute_padding_length`: the (left, right) "same" padding of one axis.
fn same_padding_length(input: i64, kernel: i64, stride: i64, dilation: i64) -> (i64, i64) {
    let effective = (kernel - 1) * dilation + 1;
    let total = if stride == 1 {
        effective - 1
    } else {
        let out = (input + stride - 1).div_euclid(stride);
        ((out - 1) * stride + effective - input).max(0)
    };
    let left = total.div_euclid(2);
    (left, total - left)
}

/// `_apply_same_padding(..., "conv", dilation_rate)`: symmetric paddings are
/// returned for torch to apply; otherwise the input is zero-padded here and
/// torch gets 0.
fn apply_same_padding(
    x: &tch::Tensor,
    kernel_size: &[i64],
    strides: &[i64],
    dilation: &Value,
) -> R<(tch::Tensor, Vec<i64>)> {
    let spatial = x.size()[2..].to_vec();
    let dilation = standardize_tuple(dilation, spatial.len() as i64, "dilation_rate")?;
    let mut pads = Vec::with_capacity(spatial.len());
    for (i, &input) in spatial.iter().enumerate() {
        let kernel = *kernel_size.get(i).ok_or_else(index_error)?;
        let stride = *strides.get(i).ok_or_else(index_error)?;
        pads.push(same_padding_length(input, kernel, stride, dilation[i]));
    }
    if pads.iter().all(|(l, r)| l == r) {
        return Ok((x.shallow_clone(), pads.iter().map(|p| p.0).collect()));
    }
    let flat: Vec<i64> = pads.iter().rev().flat_map(|&(l, r)| [l, r]).collect();
    Ok((
        x.f_constant_pad_nd(flat.as_slice()).py()?,
        vec![0; spatial.len()],
    ))
}

/// The backend's `conv(inputs, kernel, strides, padding, data_format,
/// dilation_rate)` on converted tensors: groups are `in_channels //
/// kernel_in_channels`, any padding but `"same"` is valid, and
/// `dilation_rate` goes to torch as given.
fn conv_tensors(
    x: &tch::Tensor,
    kernel: &tch::Tensor,
    strides: &Value,
    pad: &str,
    format: DataFormat,
    dilation: &Value,
) -> R<tch::Tensor> {
    let spatial = x.dim() as i64 - 2;
    let strides = standardize_tuple(strides, spatial, "strides")?;
    let mut x = x.shallow_clone();
    if format == DataFormat::ChannelsLast {
        x = transpose_spatial_inputs(&x)?;
    }
    let mut kernel = transpose_conv_kernel(kernel)?;
    if format == DataFormat::ChannelsLast {
        x = to_channels_last_memory(&x)?;
        kernel = to_channels_last_memory(&kernel)?;
    }
    let in_channels = dim_at(&x.size(), 1)?;
    let kernel_in_channels = dim_at(&kernel.size(), 1)?;
    if kernel_in_channels == 0 {
        return Err(BackendError::raised(
            "ZeroDivisionError",
            "integer modulo by zero",
        ));
    }
    if in_channels % kernel_in_channels != 0 {
        return Err(BackendError::value_error(format!(
            "Input channels ({in_channels}) must be divisible by kernel input channels ({kernel_in_channels})"
        )));
    }
    let groups = in_channels / kernel_in_channels;
    let n = usize::try_from(spatial).unwrap_or(0);
    let (x, padding) = if pad == "same" {
        apply_same_padding(
            &x,
            kernel.size().get(2..).unwrap_or_default(),
            &strides,
            dilation,
        )?
    } else {
        (x, vec![0; n])
    };
    let dilation = torch_int_list(dilation, n, "dilation_rate")?;
    let none = None::<tch::Tensor>;
    let out = match spatial {
        1 => x.f_conv1d(&kernel, none, strides.as_slice(), padding.as_slice(), dilation.as_slice(), groups),
        2 => x.f_conv2d(&kernel, none, strides.as_slice(), padding.as_slice(), dilation.as_slice(), groups),
        3 => x.f_conv3d(&kernel, none, strides.as_slice(), padding.as_slice(), dilation.as_slice(), groups),
        _ => {
            return Err(BackendError::value_error(format!(
                "Inputs to conv operation should have ndim=3, 4, or 5,corresponding to 1D, 2D and 3D inputs. \
                 Received input shape: {}.",
                torch_size(&x.size())
            )))
        }
    }
    .py()?;
    if format == DataFormat::ChannelsLast {
        return transpose_spatial_outputs(&out);
    }
    Ok(out)
}

/// `check_conv_input_channels` (`kernel_axis` -2) and
/// `check_conv_transpose_input_channels` (`kernel_axis` -1).
fn check_channels(
    x: &tch::Tensor,
    kernel: &tch::Tensor,
    kernel_axis: i64,
    format: DataFormat,
) -> R<()> {
    let input_channels = match format {
        DataFormat::ChannelsLast => dim_at(&x.size(), -1)?,
        DataFormat::ChannelsFirst => dim_at(&x.size(), 1)?,
    };
    let kernel_channels = dim_at(&kernel.size(), kernel_axis)?;
    if input_channels != kernel_channels {
        return Err(BackendError::value_error(format!(
            "The number of input channels must match the kernel's input channels. Received: \
             input channels={input_channels}, kernel input channels={kernel_channels}, data_format='{}'.",
            format.name()
        )));
    }
    Ok(())
}

/// The arguments every convolution reads after its tensors.
struct Common<'a> {
    strides: &'a Value,
    padding: String,
    format: DataFormat,
    dilation: &'a Value,
}

const ONE: &Value = &Value::Int(1);

/// `conv(inputs, kernel, strides=1, padding="valid", data_format=None,
/// dilation_rate=1)`: kernel `(spatial..., in / groups, out)`; the group
/// count is inferred from the channels; inputs and kernel must share a dtype
/// (torch raises otherwise), integer convolutions run.
pub fn conv(ctx: Ctx, call: &OpCall) -> R<Value> {
    let names = [
        "inputs",
        "kernel",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
    ];
    let a = bind(call, &names, 2)?;
    let c = common(&a, 2, 3, 4, 5)?;
    let x = tensor(ctx, a.req(0))?;
    let kernel = tensor(ctx, a.req(1))?;
    output(&conv_tensors(
        &x, &kernel, c.strides, &c.padding, c.format, c.dilation,
    )?)
}

fn common<'a>(
    a: &crate::args::Bound<'a>,
    strides: usize,
    pad: usize,
    format: usize,
    dilation: usize,
) -> R<Common<'a>> {
    let format = DataFormat::parse(a.get(format))?;
    let padding = padding(a.get(pad))?;
    Ok(Common {
        strides: a.get(strides).unwrap_or(ONE),
        padding,
        format,
        dilation: a.get(dilation).unwrap_or(ONE),
    })
}

/// `depthwise_conv` on converted tensors: channels checked, the kernel
/// reshaped to `(spatial..., 1, in * multiplier)`, then `conv`.
fn depthwise_tensors(x: &tch::Tensor, kernel: &tch::Tensor, c: &Common) -> R<tch::Tensor> {
    check_channels(x, kernel, -2, c.format)?;
    let ks = kernel.size();
    if ks.len() < 2 {
        return Err(index_error());
    }
    let mut shape = ks[..ks.len() - 2].to_vec();
    shape.extend([1, ks[ks.len() - 2] * ks[ks.len() - 1]]);
    let kernel = kernel.f_reshape(shape.as_slice()).py()?;
    conv_tensors(x, &kernel, c.strides, &c.padding, c.format, c.dilation)
}

/// `depthwise_conv(inputs, kernel, strides=1, padding="valid",
/// data_format=None, dilation_rate=1)`: kernel `(spatial..., in,
/// multiplier)`, run as a grouped `conv`.
pub fn depthwise_conv(ctx: Ctx, call: &OpCall) -> R<Value> {
    let names = [
        "inputs",
        "kernel",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
    ];
    let a = bind(call, &names, 2)?;
    let c = common(&a, 2, 3, 4, 5)?;
    let x = tensor(ctx, a.req(0))?;
    let kernel = tensor(ctx, a.req(1))?;
    output(&depthwise_tensors(&x, &kernel, &c)?)
}

/// `separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1,
/// padding="valid", data_format=None, dilation_rate=1)`: `depthwise_conv`,
/// then a valid stride-1 `conv` with the pointwise kernel (same dilation).
pub fn separable_conv(ctx: Ctx, call: &OpCall) -> R<Value> {
    let names = [
        "inputs",
        "depthwise_kernel",
        "pointwise_kernel",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
    ];
    let a = bind(call, &names, 3)?;
    let c = common(&a, 3, 4, 5, 6)?;
    let x = tensor(ctx, a.req(0))?;
    let depthwise = tensor(ctx, a.req(1))?;
    let pointwise = tensor(ctx, a.req(2))?;
    check_channels(&x, &depthwise, -2, c.format)?;
    let mid = depthwise_tensors(&x, &depthwise, &c)?;
    output(&conv_tensors(
        &mid, &pointwise, ONE, "valid", c.format, c.dilation,
    )?)
}

/// Python's `seq[i]` of an int-or-sequence argument read per axis.
fn per_axis(v: &Value, i: usize) -> R<i64> {
    match v {
        Value::List(items) | Value::Tuple(items) => {
            let item = items.get(i).ok_or_else(index_error)?;
            py_int(item).ok_or_else(|| {
                BackendError::Unsupported(format!("a per-axis value given as a {}", item.kind()))
            })
        }
        other => py_int(other).ok_or_else(|| {
            BackendError::Unsupported(format!("a per-axis value given as a {}", other.kind()))
        }),
    }
}

/// `_convert_conv_transpose_padding_args_from_keras_to_jax`: the (left,
/// right) padding JAX would apply to the dilated input of one axis.
fn transpose_pads(
    kernel: i64,
    stride: i64,
    dilation: i64,
    pad: &str,
    output_padding: Option<i64>,
) -> R<(i64, i64)> {
    if pad != "valid" && pad != "same" {
        return Err(BackendError::value_error(format!(
            "The `padding` argument must be one of 'valid', 'same'. Received: padding={pad}"
        )));
    }
    let kernel = (kernel - 1) * dilation + 1;
    if pad == "valid" {
        let output_padding = output_padding.unwrap_or(kernel.max(stride) - kernel);
        return Ok((kernel - 1, kernel - 1 + output_padding));
    }
    let pad_len = match output_padding {
        None => stride + kernel - 2,
        Some(p) => kernel + kernel.rem_euclid(2) - 2 + p,
    };
    let left = (pad_len.div_euclid(2) + pad_len.rem_euclid(2)).min(kernel - 1);
    Ok((left, pad_len - left))
}

/// `compute_conv_transpose_output_crops_for_torch`: per spatial axis, how much
/// to cut from (or, when negative, zero-pad onto) each side of torch's full
/// transposed-convolution output.
fn transpose_crops(
    spatial: usize,
    kernel_shape: &[i64],
    strides: &[i64],
    pad: &str,
    output_padding: &Value,
    dilation: &Value,
) -> R<Vec<(i64, i64)>> {
    let kernel_spatial = &kernel_shape[..kernel_shape.len().saturating_sub(2)];
    (0..spatial)
        .map(|i| {
            let op = match output_padding {
                Value::None => None,
                v => Some(per_axis(v, i)?),
            };
            let stride = *strides.get(i).ok_or_else(index_error)?;
            let dil = per_axis(dilation, i)?;
            let k = *kernel_spatial.get(i).ok_or_else(index_error)?;
            let (left, right) = transpose_pads(k, stride, dil, pad, op)?;
            let effective = (k - 1) * dil + 1;
            Ok((effective - 1 - left, effective - 1 - right))
        })
        .collect()
}

/// `conv_transpose(inputs, kernel, strides=1, padding="valid",
/// output_padding=None, data_format=None, dilation_rate=1)`: kernel
/// `(spatial..., out, in)`; torch's `conv_transpose{1,2,3}d` with no padding,
/// then the window Keras-JAX would compute cut out (zero-padded where it
/// reaches past torch's output).
pub fn conv_transpose(ctx: Ctx, call: &OpCall) -> R<Value> {
    let names = [
        "inputs",
        "kernel",
        "strides",
        "padding",
        "output_padding",
        "data_format",
        "dilation_rate",
    ];
    let a = bind(call, &names, 2)?;
    let c = common(&a, 2, 3, 5, 6)?;
    let output_padding = a.get(4).unwrap_or(&Value::None);
    let x = tensor(ctx, a.req(0))?;
    let kernel = tensor(ctx, a.req(1))?;
    let spatial = x.dim() as i64 - 2;
    let strides = standardize_tuple(c.strides, spatial, "strides")?;
    check_channels(&x, &kernel, -1, c.format)?;
    let n = usize::try_from(spatial).unwrap_or(0);
    let crops = transpose_crops(
        n,
        &kernel.size(),
        &strides,
        &c.padding,
        output_padding,
        c.dilation,
    )?;
    let x = match c.format {
        DataFormat::ChannelsLast => transpose_spatial_inputs(&x)?,
        DataFormat::ChannelsFirst => x,
    };
    let kernel = transpose_conv_kernel(&kernel)?;
    let dilation = torch_int_list(c.dilation, n, "dilation_rate")?;
    let zeros = vec![0i64; n];
    let none = None::<tch::Tensor>;
    let (s, z, d) = (strides.as_slice(), zeros.as_slice(), dilation.as_slice());
    let mut out = match spatial {
        1 => x.f_conv_transpose1d(&kernel, none, s, z, z, 1, d),
        2 => x.f_conv_transpose2d(&kernel, none, s, z, z, 1, d),
        3 => x.f_conv_transpose3d(&kernel, none, s, z, z, 1, d),
        _ => {
            return Err(BackendError::value_error(format!(
                "Inputs to conv transpose operation should have ndim=3, 4, or 5,corresponding to 1D, 2D and 3D inputs. \
                 Received input shape: {}.",
                torch_size(&x.size())
            )))
        }
    }
    .py()?;
    for (i, &(left, right)) in crops.iter().enumerate() {
        let end = (right > 0).then_some(-right);
        out = out.f_slice(i as i64 + 2, left.max(0), end, 1).py()?;
    }
    if crops.iter().any(|&(l, r)| l < 0 || r < 0) {
        let pads: Vec<i64> = crops
            .iter()
            .rev()
            .flat_map(|&(l, r)| [(-l).max(0), (-r).max(0)])
            .collect();
        out = out.f_constant_pad_nd(pads.as_slice()).py()?;
    }
    if c.format == DataFormat::ChannelsLast {
        out = transpose_spatial_outputs(&out)?;
    }
    output(&out)
}
