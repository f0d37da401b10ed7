//! `conv`, `depthwise_conv` and `separable_conv`, as
//! Keras 3.15.1's torch backend runs them (`keras/src/backend/torch/nn.py`):
//! Keras's layouts moved to torch's, then `F.conv{1,2,3}d`, so torch's
//! dtype checks and numerics apply.

use kconform_api::{BackendError, OpCall, Value};

use super::conv_args::{
    padding, standardize_tuple, to_channels_last_memory, torch_int_list, transpose_conv_kernel,
    transpose_spatial_inputs, transpose_spatial_outputs, DataFormat,
};
use super::util::torch_size;
use crate::args::bind;
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};

pub(super) fn index_error() -> BackendError {
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
pub(super) fn check_channels(
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
pub(super) struct Common<'a> {
    /// `strides`, as given.
    pub strides: &'a Value,
    /// `padding.lower()`.
    pub padding: String,
    /// The standardized `data_format`.
    pub format: DataFormat,
    /// `dilation_rate`, as given.
    pub dilation: &'a Value,
}

/// The default of `strides` and `dilation_rate`.
pub(super) const ONE: &Value = &Value::Int(1);

/// `conv(inputs, kernel, strides=1, padding="valid", data_format=None,
/// dilation_rate=1)`: kernel `(spatial..., in / groups, out)`; the group
/// count is inferred from the channels; inputs and kernel must share a dtype
/// (torch raises otherwise), integer convolutions run.
pub fn conv(ctx: Ctx, call: &OpCall) -> R<Value> {
    with_conv_args(ctx, call, |x, kernel, c| {
        conv_tensors(x, kernel, c.strides, &c.padding, c.format, c.dilation)
    })
}

/// Binds `(inputs, kernel, strides=1, padding="valid", data_format=None,
/// dilation_rate=1)` (the signature `conv` and `depthwise_conv` share), reads
/// the options and converts both tensors, then runs `f` on them.
fn with_conv_args(
    ctx: Ctx,
    call: &OpCall,
    f: impl FnOnce(&tch::Tensor, &tch::Tensor, &Common) -> R<tch::Tensor>,
) -> R<Value> {
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
    output(&f(&x, &kernel, &c)?)
}

/// Reads `data_format`, `padding`, `strides` and `dilation_rate` at the
/// given parameter positions, in the order Keras's op function reads them.
pub(super) fn common<'a>(
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
    with_conv_args(ctx, call, depthwise_tensors)
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
