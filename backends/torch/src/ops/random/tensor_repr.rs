//! PyTorch's printing of a tensor (`torch/_tensor_str.py`, default print
//! options: precision 4, threshold 1000, edgeitems 3, linewidth 80), for the
//! CPU tensors of real dtypes that torch.distributions quotes in its argument
//! validation errors.

use std::fmt::Display;

use kconform_api::python::py_float_repr;
use kconform_api::tensor::Scalar;
use kconform_api::{DType, Tensor as Host};

use crate::convert::from_tch;
use crate::keras::R;

const PRECISION: usize = 4;
const THRESHOLD: usize = 1000;
const EDGE_ITEMS: usize = 3;
const LINE_WIDTH: usize = 80;
const PREFIX: &str = "tensor(";

/// `f"{t}"`: `Tensor.__format__` prints a 0-d tensor as its Python scalar
/// (`0.0`, `-1`, `False`) and any other as `repr(t)` (`tensor([0., 1.])`).
pub fn py_format(t: &tch::Tensor) -> R<String> {
    let host = from_tch(t)?;
    Ok(if host.rank() == 0 {
        python_scalar(host.scalar(0))
    } else {
        repr(&host)
    })
}

/// A Python tuple of ints as `repr` prints it: `()`, `(4,)`, `(3, 2)`.
pub fn py_tuple<T: Display>(items: &[T]) -> String {
    match items {
        [one] => format!("({one},)"),
        _ => format!("({})", join(items)),
    }
}

/// `repr(torch.Size(dims))`: `torch.Size([3, 2])`.
pub fn torch_size(dims: &[i64]) -> String {
    format!("torch.Size([{}])", join(dims))
}

fn join<T: Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `item()` as Python prints it.
fn python_scalar(v: Scalar) -> String {
    match v {
        Scalar::Bool(b) => if b { "True" } else { "False" }.into(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => py_float_repr(f),
    }
}

/// `_str_intern` of a plain CPU tensor: the contents, then a `dtype=` suffix
/// unless the dtype is float32 (the default dtype), int64 or bool.
fn repr(host: &Host) -> String {
    let dtype = host.dtype();
    let dtype_suffix = format!("dtype=torch.{dtype}");
    let mut suffixes = Vec::new();
    let body = if host.is_empty() {
        if host.rank() != 1 {
            suffixes.push(format!("size={}", py_tuple(host.shape())));
        }
        if dtype != DType::Float32 {
            suffixes.push(dtype_suffix);
        }
        "[]".to_string()
    } else {
        if !matches!(dtype, DType::Float32 | DType::Int64 | DType::Bool) {
            suffixes.push(dtype_suffix);
        }
        Printer::new(host).contents()
    };
    add_suffixes(format!("{PREFIX}{body}"), &suffixes)
}

/// `_add_suffixes`: each suffix on the last line unless it would pass the
/// line width.
fn add_suffixes(mut out: String, suffixes: &[String]) -> String {
    let indent = PREFIX.len();
    // `len(s) - s.rfind("\n") + 1`, where a missing newline is index -1.
    let mut last_line = out.rfind('\n').map_or(out.len() + 2, |i| out.len() - i + 1);
    for suffix in suffixes {
        if last_line + suffix.len() + 2 > LINE_WIDTH {
            out.push_str(&format!(",\n{}{suffix}", " ".repeat(indent)));
            last_line = indent + suffix.len();
        } else {
            out.push_str(&format!(", {suffix}"));
            last_line += suffix.len() + 2;
        }
    }
    out.push(')');
    out
}

/// `_tensor_str` of a non-empty tensor: nested brackets, elements padded to
/// one width, `...` for the middle of a summarized dimension.
struct Printer<'a> {
    host: &'a Host,
    strides: Vec<usize>,
    summarize: bool,
    formatter: Formatter,
}

impl<'a> Printer<'a> {
    fn new(host: &'a Host) -> Self {
        let shape = host.shape();
        let mut strides = vec![1; shape.len()];
        for d in (0..shape.len().saturating_sub(1)).rev() {
            strides[d] = strides[d + 1] * shape[d + 1];
        }
        let mut printer = Printer {
            host,
            strides,
            summarize: host.len() > THRESHOLD,
            formatter: Formatter::default(),
        };
        // The formatter sees only what is printed (`get_summarized_data`).
        let mut shown = Vec::new();
        printer.collect(0, 0, &mut shown);
        printer.formatter = Formatter::new(host.dtype().is_float(), &shown);
        printer
    }

    /// The indexes printed along a dimension of `n`; `None` is the ellipsis.
    fn indexes(&self, n: usize) -> Vec<Option<usize>> {
        if self.summarize && n > 2 * EDGE_ITEMS {
            (0..EDGE_ITEMS)
                .map(Some)
                .chain([None])
                .chain((n - EDGE_ITEMS..n).map(Some))
                .collect()
        } else {
            (0..n).map(Some).collect()
        }
    }

    fn collect(&self, dim: usize, offset: usize, out: &mut Vec<Scalar>) {
        if dim == self.host.rank() {
            out.push(self.host.scalar(offset));
            return;
        }
        for i in self.indexes(self.host.shape()[dim]).into_iter().flatten() {
            self.collect(dim + 1, offset + i * self.strides[dim], out);
        }
    }

    fn contents(&self) -> String {
        self.nested(0, 0, PREFIX.len())
    }

    /// `_tensor_str_with_formatter` of the sub-tensor at `offset` from `dim` on.
    fn nested(&self, dim: usize, offset: usize, indent: usize) -> String {
        let rank = self.host.rank();
        if dim == rank {
            return self.formatter.format(self.host.scalar(offset));
        }
        let vector = dim + 1 == rank;
        let parts: Vec<String> = self
            .indexes(self.host.shape()[dim])
            .into_iter()
            .map(|i| match i {
                Some(i) => self.nested(dim + 1, offset + i * self.strides[dim], indent + 1),
                None if vector => " ...".to_string(),
                None => "...".to_string(),
            })
            .collect();
        let newline_indent = " ".repeat(indent + 1);
        if vector {
            // `_vector_str`: as many elements per line as fit the width.
            let per_line =
                ((LINE_WIDTH.saturating_sub(indent)) / (self.formatter.width + 2)).max(1);
            let lines: Vec<String> = parts.chunks(per_line).map(|l| l.join(", ")).collect();
            format!("[{}]", lines.join(&format!(",\n{newline_indent}")))
        } else {
            let separator = format!(",{}{newline_indent}", "\n".repeat(rank - dim - 1));
            format!("[{}]", parts.join(&separator))
        }
    }
}

/// `_Formatter`: one width for every element; floats in integer mode
/// (`1.`), fixed (`1.5000`) or scientific (`1.0000e+10`) notation.
#[derive(Default)]
struct Formatter {
    floating: bool,
    int_mode: bool,
    sci_mode: bool,
    width: usize,
}

impl Formatter {
    fn new(floating: bool, values: &[Scalar]) -> Self {
        let mut f = Formatter {
            floating,
            int_mode: true,
            sci_mode: false,
            width: 1,
        };
        if !floating {
            let widest = values.iter().map(|&v| python_scalar(v).len()).max();
            f.width = widest.unwrap_or(1).max(1);
            return f;
        }
        let finite: Vec<f64> = values
            .iter()
            .map(|v| v.as_f64())
            .filter(|v| v.is_finite() && *v != 0.0)
            .collect();
        if finite.is_empty() {
            return f;
        }
        let (min, max) = finite.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
            (lo.min(v.abs()), hi.max(v.abs()))
        });
        f.int_mode = finite.iter().all(|v| *v == v.ceil());
        f.sci_mode = max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4;
        let widest = finite
            .iter()
            .map(|&v| match (f.sci_mode, f.int_mode) {
                (true, _) => scientific(v).len(),
                (false, true) => fixed(v, 0).len() + 1,
                (false, false) => fixed(v, PRECISION).len(),
            })
            .max();
        f.width = widest.unwrap_or(1).max(1);
        f
    }

    fn format(&self, v: Scalar) -> String {
        let s = match v {
            Scalar::Float(x) if self.floating => {
                if self.sci_mode {
                    scientific(x)
                } else if self.int_mode {
                    let mut s = fixed(x, 0);
                    if x.is_finite() {
                        s.push('.');
                    }
                    s
                } else {
                    fixed(x, PRECISION)
                }
            }
            other => python_scalar(other),
        };
        format!("{s:>width$}", width = self.width)
    }
}

/// Python's `f"{x:.{digits}f}"`.
fn fixed(x: f64, digits: usize) -> String {
    match non_finite(x) {
        Some(s) => s.into(),
        None => format!("{x:.digits$}"),
    }
}

/// Python's `f"{x:.4e}"`: a signed exponent of at least two digits.
fn scientific(x: f64) -> String {
    if let Some(s) = non_finite(x) {
        return s.into();
    }
    let s = format!("{x:.PRECISION$e}");
    let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
    let (sign, digits) = exponent
        .strip_prefix('-')
        .map_or(("+", exponent), |d| ("-", d));
    format!("{mantissa}e{sign}{digits:0>2}")
}

fn non_finite(x: f64) -> Option<&'static str> {
    if x.is_nan() {
        Some("nan")
    } else if x.is_infinite() {
        Some(if x > 0.0 { "inf" } else { "-inf" })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(dtype: DType, shape: Vec<usize>, values: &[f64]) -> Host {
        let scalars: Vec<Scalar> = values
            .iter()
            .map(|&v| match dtype {
                DType::Bool => Scalar::Bool(v != 0.0),
                d if d.is_float() => Scalar::Float(v),
                _ => Scalar::Int(v as i128),
            })
            .collect();
        Host::from_scalars(dtype, shape, &scalars).expect("test tensor")
    }

    #[test]
    fn matches_pytorch_2_11() {
        // Each expected string printed by torch 2.11.
        let cases = [
            (host(DType::Float32, vec![1], &[0.0]), "tensor([0.])"),
            (host(DType::Float32, vec![3], &[1.5; 3]), "tensor([1.5000, 1.5000, 1.5000])"),
            (
                host(DType::Float32, vec![3, 2], &[-1.0, 1.0, -1.0, 1.0, -1.0, 1.0]),
                "tensor([[-1.,  1.],\n        [-1.,  1.],\n        [-1.,  1.]])",
            ),
            (
                host(DType::Float64, vec![2, 3], &[1.0, -1.0, 1.0, 2.0, 3.0, f64::NAN]),
                "tensor([[ 1., -1.,  1.],\n        [ 2.,  3., nan]], dtype=torch.float64)",
            ),
            (host(DType::Int32, vec![2], &[0.0, 0.0]), "tensor([0, 0], dtype=torch.int32)"),
            (host(DType::Bool, vec![2], &[0.0, 0.0]), "tensor([False, False])"),
            (host(DType::Float32, vec![2], &[f64::INFINITY; 2]), "tensor([inf, inf])"),
            (
                host(DType::Float64, vec![4], &[3.3567e-28, 2.2251e-308, 1.9437e-269, 2.2251e-308]),
                "tensor([ 3.3567e-28, 2.2251e-308, 1.9437e-269, 2.2251e-308],\n       dtype=torch.float64)",
            ),
        ];
        for (t, expected) in cases {
            assert_eq!(repr(&t), expected);
        }
        assert_eq!(python_scalar(Scalar::Float(-1.0)), "-1.0");
        assert_eq!(py_tuple(&[4]), "(4,)");
        assert_eq!(py_tuple::<i64>(&[]), "()");
        assert_eq!(torch_size(&[3, 2]), "torch.Size([3, 2])");
    }

    #[test]
    fn long_tensors_are_summarized() {
        let values: Vec<f64> = (0..1001).map(f64::from).collect();
        let t = host(DType::Float32, vec![1001], &values);
        assert_eq!(
            repr(&t),
            "tensor([   0.,    1.,    2.,  ...,  998.,  999., 1000.])"
        );
        let values: Vec<f64> = (0..2002).map(f64::from).collect();
        let t = host(DType::Float32, vec![2, 1001], &values);
        assert_eq!(
            repr(&t),
            "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9800e+02, 9.9900e+02,\n         \
             1.0000e+03],\n        [1.0010e+03, 1.0020e+03, 1.0030e+03,  ..., 1.9990e+03, \
             2.0000e+03,\n         2.0010e+03]])"
        );
    }

    #[test]
    fn half_precision_in_scientific_notation() {
        let t = host(DType::Float16, vec![2, 2], &[1e-5, 2.0, 3.0, 4.0]);
        assert_eq!(
            repr(&t),
            "tensor([[1.0014e-05, 2.0000e+00],\n        [3.0000e+00, 4.0000e+00]], \
             dtype=torch.float16)"
        );
    }
}
