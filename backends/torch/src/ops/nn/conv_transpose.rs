//! `conv_transpose`, as Keras 3.15.1's torch backend runs it: torch's
//! `F.conv_transpose{1,2,3}d` with no padding, then the window Keras-JAX
//! would compute cut out of the full output.

use kconform_api::{BackendError, OpCall, Value};

use super::conv::{check_channels, common, index_error};
use super::conv_args::{
    standardize_tuple, torch_int_list, transpose_conv_kernel, transpose_spatial_inputs,
    transpose_spatial_outputs, DataFormat,
};
use super::util::torch_size;
use crate::args::{bind, py_int};
use crate::error::TorchResult;
use crate::keras::{output, tensor, Ctx, R};

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
