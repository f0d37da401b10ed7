//! `keras.ops.conv`, `depthwise_conv`, `separable_conv` and
//! `conv_transpose` as the JAX backend of Keras 3.15.1 runs them (eager):
//! Keras's kernel layouts and checks, then `lax.conv_general_dilated`.

use kconform_api::{OpCall, Value};

use super::conv_args::{
    channels, data_format, from_channels_first, kernel_to_oi, padding, spatial_operand, tensor_arg,
    to_channels_first, DataFormat,
};
use super::conv_core::{conv_general, dilate, ConvSpec, PadType};
use crate::args::Args;
use crate::array::{with_dtype, Array};
use crate::convert::to_array;
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{shape_repr, OpError, OpResult};

/// How a Keras kernel maps onto `(O, I, window...)`.
#[derive(Clone, Copy)]
enum KernelLayout {
    /// `(window..., in, out)`.
    Forward,
    /// `(window..., out, in)`, window flipped (`transpose_kernel=True`).
    Transposed,
}

/// Runs the convolution of `x` (in `format`) with a Keras kernel `k` of the
/// same dtype; the result is in `format`.
fn run(
    x: Array,
    k: Array,
    layout: KernelLayout,
    spec: &ConvSpec,
    format: DataFormat,
) -> OpResult<Array> {
    if x.dtype() != k.dtype() {
        return Err(OpError::Type(format!(
            "lax.conv_general_dilated requires arguments to have the same dtypes, got {}, {}.",
            x.dtype(),
            k.dtype()
        )));
    }
    if x.ndim() != k.ndim() {
        return Err(OpError::Value(format!(
            "conv_general_dilated lhs and rhs must have the same number of dimensions, but got {} \
             and {}.",
            shape_repr(x.shape()),
            shape_repr(k.shape())
        )));
    }
    let (swap, flip) = match layout {
        KernelLayout::Forward => (false, false),
        KernelLayout::Transposed => (true, true),
    };
    Ok(with_dtype!(x.dtype(), T => {
        let lhs = to_channels_first(x.into_typed::<T>(), format);
        let rhs = kernel_to_oi(k.into_typed::<T>(), swap, flip);
        T::wrap(from_channels_first(conv_general(&lhs, &rhs, spec)?, format))
    }))
}

/// The input's spatial sizes.
fn spatial(shape: &[usize], format: DataFormat) -> Vec<usize> {
    match format {
        DataFormat::ChannelsLast => shape
            .get(1..shape.len().saturating_sub(1))
            .unwrap_or_default()
            .to_vec(),
        DataFormat::ChannelsFirst => shape.get(2..).unwrap_or_default().to_vec(),
    }
}

/// The kernel's dimension `from_end` places before the last (0 = last).
fn kernel_dim(k: &Array, from_end: usize) -> OpResult<usize> {
    let s = k.shape();
    s.len()
        .checked_sub(from_end + 1)
        .map(|i| s[i])
        .ok_or_else(|| OpError::Index("tuple index out of range".into()))
}

/// `check_conv_input_channels` / `check_conv_transpose_input_channels`.
fn check_channels(x: &Array, kernel_channels: usize, format: DataFormat) -> OpResult<()> {
    let c = channels(x.shape(), format);
    if c != kernel_channels {
        let name = match format {
            DataFormat::ChannelsLast => "channels_last",
            DataFormat::ChannelsFirst => "channels_first",
        };
        return Err(OpError::Value(format!(
            "The number of input channels must match the kernel's input channels. Received: \
             input channels={c}, kernel input channels={kernel_channels}, data_format='{name}'."
        )));
    }
    Ok(())
}

/// The common arguments of the forward convolutions.
struct Forward {
    format: DataFormat,
    pad: String,
    strides: Vec<i64>,
    dilation: Vec<i64>,
}

impl Forward {
    /// The `ConvSpec` of a forward convolution of an input of `x_shape`
    /// with a Keras kernel of `k_shape` in `groups` feature groups.
    fn spec(&self, x_shape: &[usize], k_shape: &[usize], groups: usize) -> OpResult<ConvSpec> {
        let pad = PadType::parse(&self.pad)?;
        let window: Vec<usize> = k_shape[..k_shape.len().saturating_sub(2)]
            .iter()
            .enumerate()
            .map(|(d, &k)| dilate(k, self.dilation.get(d).copied().unwrap_or(1)))
            .collect();
        Ok(ConvSpec {
            padding: pad.pads(&spatial(x_shape, self.format), &window, &self.strides),
            strides: self.strides.clone(),
            lhs_dilation: vec![1; window.len()],
            rhs_dilation: self.dilation.clone(),
            groups,
        })
    }
}

/// `backend.nn.conv` after Keras's argument handling.
fn conv_forward(x: Array, k: Array, f: &Forward) -> OpResult<Array> {
    let c = channels(x.shape(), f.format);
    let k_in = kernel_dim(&k, 1)?;
    if k_in == 0 {
        return Err(OpError::ZeroDivision("integer modulo by zero".into()));
    }
    if !c.is_multiple_of(k_in) {
        return Err(OpError::Value(format!(
            "The number of input channels must be evenly divisible by kernel's in_channels. \
             Received input channels {c} and kernel in_channels {k_in}. "
        )));
    }
    let x = x.cast(k.dtype());
    let spec = f.spec(x.shape(), k.shape(), c / k_in)?;
    let input_empty = x.is_empty();
    let out = run(x, k, KernelLayout::Forward, &spec, f.format)?;
    if out.is_empty() && !input_empty {
        return Err(OpError::Value(
            "The convolution operation resulted in an empty output. This can happen if the \
             input is too small for the given kernel size, strides, dilation rate, and padding \
             mode. Please check the input shape and convolution parameters."
                .into(),
        ));
    }
    Ok(out)
}

/// `backend.nn.depthwise_conv` after the channel check.
fn depthwise_forward(x: Array, k: Array, f: &Forward) -> OpResult<Array> {
    let c = channels(x.shape(), f.format);
    let multiplier = kernel_dim(&k, 0)?;
    let mut shape = k.shape()[..k.ndim() - 2].to_vec();
    shape.extend([1, c * multiplier]);
    let k = k.reshaped(&shape)?;
    let spec = f.spec(x.shape(), k.shape(), c)?;
    run(x, k, KernelLayout::Forward, &spec, f.format)
}

/// Binds the forward-convolution parameters after `names` (the tensors)
/// and reads them in Keras's order.
fn forward_args<'a>(call: &'a OpCall, names: &[&str]) -> OpResult<(Args<'a>, Forward)> {
    let mut params = names.to_vec();
    params.extend(["strides", "padding", "data_format", "dilation_rate"]);
    let args = Args::bind(call, &params, names.len())?;
    let t = names.len();
    let format = data_format(args.get(t + 2))?;
    let pad = padding(args.get(t + 1))?;
    let f = Forward {
        format,
        pad,
        strides: Vec::new(),
        dilation: Vec::new(),
    };
    Ok((args, f))
}

/// Reads `strides` and `dilation_rate` for an input of rank `ndim`.
fn spatial_args(args: &Args<'_>, t: usize, ndim: usize, f: &mut Forward) -> OpResult<()> {
    let n = ndim.saturating_sub(2);
    f.strides = spatial_operand(args.get(t), n, 1)?;
    f.dilation = spatial_operand(args.get(t + 3), n, 1)?;
    Ok(())
}

/// `keras.ops.conv`: the input is cast to the kernel's dtype; a kernel with
/// fewer input channels than the input makes a grouped convolution.
pub fn conv(call: &OpCall) -> OpResult<Value> {
    let (args, mut f) = forward_args(call, &["inputs", "kernel"])?;
    let x = tensor_arg(args.value(0), "ndim")?;
    spatial_args(&args, 2, x.ndim(), &mut f)?;
    let k = tensor_arg(args.value(1), "shape")?;
    tensor(conv_forward(x, k, &f)?)
}

/// `keras.ops.depthwise_conv`: kernel `(window..., C, multiplier)`.
pub fn depthwise_conv(call: &OpCall) -> OpResult<Value> {
    let (args, mut f) = forward_args(call, &["inputs", "kernel"])?;
    let x = to_array(args.value(0))?;
    let k = to_array(args.value(1))?;
    check_channels(&x, kernel_dim(&k, 1)?, f.format)?;
    spatial_args(&args, 2, x.ndim(), &mut f)?;
    tensor(depthwise_forward(x, k, &f)?)
}

/// `keras.ops.separable_conv`: a depthwise convolution, then `conv` with the
/// pointwise kernel (stride 1, `"valid"`, the same `dilation_rate`).
pub fn separable_conv(call: &OpCall) -> OpResult<Value> {
    let (args, mut f) = forward_args(call, &["inputs", "depthwise_kernel", "pointwise_kernel"])?;
    let x = to_array(args.value(0))?;
    let dk = to_array(args.value(1))?;
    let pk = to_array(args.value(2))?;
    check_channels(&x, kernel_dim(&dk, 1)?, f.format)?;
    spatial_args(&args, 3, x.ndim(), &mut f)?;
    let depthwise = depthwise_forward(x, dk, &f)?;
    let pointwise = Forward {
        format: f.format,
        pad: "valid".into(),
        strides: vec![1; f.strides.len()],
        dilation: f.dilation.clone(),
    };
    tensor(conv_forward(depthwise, pk, &pointwise)?)
}

/// `_convert_conv_transpose_padding_args_from_keras_to_jax` for one
/// dimension: the `(low, high)` padding of the dilated input (computed in
/// `i128`, as Python's unbounded ints, then clamped).
fn transpose_pads(
    kernel: usize,
    stride: i64,
    dilation: i64,
    same: bool,
    output_padding: Option<i64>,
) -> (i64, i64) {
    let clamp = |v: i128| v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
    let (stride, output_padding) = (i128::from(stride), output_padding.map(i128::from));
    let k = (kernel as i128 - 1) * i128::from(dilation) + 1;
    if !same {
        let op = output_padding.unwrap_or_else(|| k.max(stride) - k);
        return (clamp(k - 1), clamp(k - 1 + op));
    }
    let pad_len = match output_padding {
        None => stride + k - 2,
        Some(op) => k + k.rem_euclid(2) - 2 + op,
    };
    let left = (pad_len.div_euclid(2) + pad_len.rem_euclid(2)).min(k - 1);
    (clamp(left), clamp(pad_len - left))
}

/// Element `i` of an int-or-sequence argument as Keras's padding helper
/// reads it (`x if isinstance(x, int) else x[i]`).
fn per_dim(v: Option<&Value>, i: usize, default: Option<i64>) -> OpResult<Option<i64>> {
    match v {
        None => Ok(default),
        Some(Value::List(items) | Value::Tuple(items)) => items
            .get(i)
            .map(|x| crate::args::index(x).map(Some))
            .unwrap_or_else(|| Err(OpError::Index("tuple index out of range".into()))),
        Some(other) => crate::args::index(other).map(Some),
    }
}

/// `keras.ops.conv_transpose`: kernel `(window..., out, in)`; Keras computes
/// the padding of the dilated input from `padding` and `output_padding`.
pub fn conv_transpose(call: &OpCall) -> OpResult<Value> {
    let params = [
        "inputs",
        "kernel",
        "strides",
        "padding",
        "output_padding",
        "data_format",
        "dilation_rate",
    ];
    let args = Args::bind(call, &params, 2)?;
    let format = data_format(args.get(5))?;
    let pad = padding(args.get(3))?;
    let x = to_array(args.value(0))?;
    let k = to_array(args.value(1))?;
    check_channels(&x, kernel_dim(&k, 0)?, format)?;
    let same = match pad.as_str() {
        "valid" => false,
        "same" => true,
        _ => {
            return Err(OpError::Value(format!(
                "The `padding` argument must be one of 'valid', 'same'. Received: padding={pad}"
            )))
        }
    };
    let n = x.ndim().saturating_sub(2);
    let window = &k.shape()[..k.ndim().saturating_sub(2)];
    let mut pads = Vec::with_capacity(n);
    for (i, &kernel) in window.iter().enumerate().take(n) {
        let stride = per_dim(args.get(2), i, Some(1))?.unwrap_or(1);
        let dilation = per_dim(args.get(6), i, Some(1))?.unwrap_or(1);
        let output_padding = per_dim(args.get(4), i, None)?;
        pads.push(transpose_pads(
            kernel,
            stride,
            dilation,
            same,
            output_padding,
        ));
    }
    let spec = ConvSpec {
        strides: vec![1; n],
        padding: pads,
        lhs_dilation: spatial_operand(args.get(2), n, 1)?,
        rhs_dilation: spatial_operand(args.get(6), n, 1)?,
        groups: 1,
    };
    tensor(run(x, k, KernelLayout::Transposed, &spec, format)?)
}
