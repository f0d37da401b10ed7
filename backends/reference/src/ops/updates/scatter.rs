//! `keras.ops.scatter_update` and `keras.ops.scatter`: JAX's
//! `x.at[idx].set/add/max/min/multiply(updates)`.
//!
//! JAX promotes `x` and the updates to their common dtype, scatters in that
//! dtype and converts the result back to `x`'s dtype (so an `int32` input
//! with `float32` updates passes through `float32` entirely). Negative
//! indices wrap once; an update whose index is out of range is dropped.
//! Duplicate indices are applied in order (the last `set` wins).

use kconform_api::promote::Operand;
use kconform_api::tensor::Scalar;
use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, IxDyn};

use crate::args::{py_type_name, Args};
use crate::array::{from_vec, with_array, with_dtype, Array};
use crate::binary::promote;
use crate::convert::{checked_int, convert, to_array};
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{check_size, shape_repr, OpError, OpResult};

/// How an update combines with the value it lands on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reduction {
    Set,
    Add,
    Max,
    Min,
    Mul,
}

impl Reduction {
    /// Keras's `reduction` argument: `None`, or a name read case-insensitively.
    fn parse(v: Option<&Value>) -> OpResult<Reduction> {
        let name = match v {
            None => return Ok(Reduction::Set),
            Some(Value::Str(s)) => s.to_lowercase(),
            Some(other) => {
                return Err(OpError::Attribute(format!(
                    "'{}' object has no attribute 'lower'",
                    py_type_name(other)
                )))
            }
        };
        match name.as_str() {
            "add" => Ok(Reduction::Add),
            "max" => Ok(Reduction::Max),
            "min" => Ok(Reduction::Min),
            "mul" => Ok(Reduction::Mul),
            _ => Err(OpError::Value(format!(
                "Invalid reduction: {name}. Supported values are: None, 'add', 'max', 'min', 'mul'."
            ))),
        }
    }

    /// The lax primitive that refuses `bool` operands, if this is one.
    fn numeric_primitive(self) -> Option<&'static str> {
        match self {
            Reduction::Add => Some("add"),
            Reduction::Mul => Some("mul"),
            _ => None,
        }
    }

    fn combine<T: Elem>(self, old: T, new: T) -> T {
        match self {
            Reduction::Set => new,
            Reduction::Add => old.add(new),
            Reduction::Max => old.xla_max(new),
            Reduction::Min => old.xla_min(new),
            Reduction::Mul => old.mul(new),
        }
    }
}

/// The index tuples of a scatter: `k` coordinates for each position of
/// `batch` (row-major).
struct Positions {
    k: usize,
    batch: Vec<usize>,
    coords: Vec<i64>,
}

impl Positions {
    /// Reads an index array whose last axis holds the coordinates. Keras's
    /// `scatter_update` splits it with `tuple(jnp.transpose(indices))`, which
    /// reverses the batch axes (`transpose_batch`); `scatter` uses
    /// `moveaxis(indices, -1, 0)`, which keeps them.
    fn read(idx: &Array, transpose_batch: bool) -> OpResult<Positions> {
        if idx.dtype().is_float() {
            return Err(OpError::Type(format!(
                "Indexer must have integer or boolean type, got indexer with type {}",
                idx.dtype()
            )));
        }
        if idx.dtype() == DType::Bool {
            return Err(OpError::Unsupported(
                "boolean scatter indices (a mask)".into(),
            ));
        }
        let Some((&k, lead)) = idx.shape().split_last() else {
            return Err(OpError::Type("iteration over a 0-d array".into()));
        };
        let values: Vec<i64> = idx
            .scalars()
            .into_iter()
            .map(|s| match s {
                Scalar::Int(i) => i as i64,
                other => other.as_f64() as i64,
            })
            .collect();
        if k == 0 {
            // No index arrays at all: `x.at[()]` is the whole array.
            return Ok(Positions {
                k,
                batch: Vec::new(),
                coords: Vec::new(),
            });
        }
        let n: usize = lead.iter().product();
        let lead = lead.to_vec();
        let batch: Vec<usize> = if transpose_batch {
            lead.iter().rev().copied().collect()
        } else {
            lead.clone()
        };
        let mut coords = Vec::with_capacity(n * k);
        for p in 0..n {
            // The original (row-major) batch position of output position `p`.
            let src = if transpose_batch {
                reversed_position(p, &batch)
            } else {
                p
            };
            coords.extend_from_slice(&values[src * k..(src + 1) * k]);
        }
        Ok(Positions { k, batch, coords })
    }

    /// Number of index tuples.
    fn count(&self) -> usize {
        self.batch.iter().product()
    }

    /// The tuple at position `p`.
    fn tuple(&self, p: usize) -> &[i64] {
        &self.coords[p * self.k..(p + 1) * self.k]
    }
}

/// The row-major offset, in an array of the reversed shape, of the element
/// whose multi-index is the reverse of position `p` in `shape`.
fn reversed_position(mut p: usize, shape: &[usize]) -> usize {
    // Digits of `p` in `shape` (last axis fastest) are, read in reverse, the
    // multi-index in the reversed shape, whose last axis is `shape[0]`.
    let mut digits = vec![0; shape.len()];
    for (d, &n) in shape.iter().enumerate().rev() {
        digits[d] = p % n.max(1);
        p /= n.max(1);
    }
    let mut offset = 0;
    for (d, &n) in shape.iter().enumerate().rev() {
        offset = offset * n + digits[d];
    }
    offset
}

/// JAX's `str_short` of an array type: `float32[2,3]`.
fn aval(dtype: DType, shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("{dtype}[{}]", dims.join(","))
}

/// `jnp.broadcast_to(y, shape)` with its errors (`y` already promoted).
fn broadcast_updates(y: &Array, shape: &[usize]) -> OpResult<()> {
    let ys = y.shape();
    if ys.len() > shape.len() {
        return Err(OpError::Value(format!(
            "Cannot broadcast to shape with fewer dimensions: arr_shape={} shape={}",
            shape_repr(ys),
            shape_repr(shape)
        )));
    }
    let tail = &shape[shape.len() - ys.len()..];
    if ys.iter().zip(tail).any(|(&a, &s)| a != 1 && a != s) {
        return Err(OpError::Value(format!(
            "Incompatible types for broadcasting: input type={} and requested type={}",
            aval(y.dtype(), ys),
            aval(y.dtype(), shape)
        )));
    }
    Ok(())
}

/// The updates as JAX's scatter reads them: a Python `int` that fits an
/// integer `x` takes `x`'s dtype; anything else goes through `jnp.asarray`.
fn read_updates(v: &Value, x_dtype: DType) -> OpResult<(Array, Operand)> {
    if let Value::Int(i) = v {
        if x_dtype.is_integer() && checked_int((*i).into(), x_dtype).is_ok() {
            let s = Scalar::Int((*i).into());
            let a = with_dtype!(x_dtype, T => T::wrap(ArrayD::from_elem(IxDyn(&[]), T::from_scalar(s))));
            return Ok((a, Operand::Strong(x_dtype)));
        }
    }
    let c = convert(v)?;
    Ok((c.array, c.operand))
}

/// `x.at[positions].<reduction>(updates)` with JAX's promotion round trip.
fn scatter_into(
    x: Array,
    pos: &Positions,
    updates: &Value,
    reduction: Reduction,
) -> OpResult<Array> {
    let x_shape = x.shape().to_vec();
    if pos.k > x_shape.len() {
        return Err(OpError::Index(format!(
            "Too many indices: array is {}-dimensional, but {} were indexed",
            x_shape.len(),
            pos.k
        )));
    }
    let window = &x_shape[pos.k..];
    let mut slice_shape = pos.batch.clone();
    slice_shape.extend_from_slice(window);
    if slice_shape.contains(&0) {
        return Ok(x);
    }
    let x_dtype = x.dtype();
    let (y, y_op) = read_updates(updates, x_dtype)?;
    let common = promote(&[Operand::Strong(x_dtype), y_op])?;
    let y = y.cast(common);
    broadcast_updates(&y, &slice_shape)?;
    check_size(&slice_shape)?;
    if let Some(prim) = reduction
        .numeric_primitive()
        .filter(|_| common == DType::Bool)
    {
        return Err(OpError::Type(format!(
            "{prim} does not accept dtype bool at position 0. Accepted dtypes at position 0 \
             are subtypes of integer, floating, complexfloating."
        )));
    }
    // Row-major strides of the leading `k` axes, in elements.
    let window_len: usize = window.iter().product();
    let mut strides = vec![window_len; pos.k];
    for d in (0..pos.k.saturating_sub(1)).rev() {
        strides[d] = strides[d + 1] * x_shape[d + 1];
    }
    let targets: Vec<Option<usize>> = (0..pos.count())
        .map(|p| {
            pos.tuple(p).iter().zip(&x_shape).zip(&strides).try_fold(
                0usize,
                |acc, ((&i, &n), &s)| {
                    let i = if i < 0 { i + n as i64 } else { i };
                    (0..n as i64).contains(&i).then(|| acc + i as usize * s)
                },
            )
        })
        .collect();
    let out = with_array!(x.cast(common), a => {
        let yb = y.into_typed();
        let yv = yb.broadcast(IxDyn(&slice_shape)).ok_or_else(|| OpError::Internal("broadcast".into()))?;
        let ys: Vec<_> = yv.iter().copied().collect();
        let mut data: Vec<_> = a.iter().copied().collect();
        for (p, target) in targets.iter().enumerate() {
            let Some(base) = target else { continue };
            for j in 0..window_len {
                let old = data[base + j];
                data[base + j] = reduction.combine(old, ys[p * window_len + j]);
            }
        }
        Elem::wrap(from_vec(&x_shape, data)?)
    });
    Ok(out.cast(x_dtype))
}

/// `keras.ops.scatter_update(inputs, indices, updates, reduction=None)`.
pub fn scatter_update(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["inputs", "indices", "updates", "reduction"], 3)?;
    let reduction = Reduction::parse(args.get(3))?;
    let x = to_array(args.value(0))?;
    let idx = to_array(args.value(1))?;
    let pos = Positions::read(&idx, true)?;
    tensor(scatter_into(x, &pos, args.value(2), reduction)?)
}

/// `keras.ops.scatter(indices, values, shape)`: `values` added at `indices`
/// into zeros of `shape` and `values`'s dtype.
pub fn scatter(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["indices", "values", "shape"], 3)?;
    let values = args.value(1);
    let Value::Tensor(t) = values else {
        return Err(OpError::Attribute(format!(
            "'{}' object has no attribute 'dtype'",
            py_type_name(values)
        )));
    };
    let shape = output_shape(args.value(2))?;
    let zeros = Array::from_tensor(t)?;
    let dtype = zeros.dtype();
    check_size(&shape)?;
    let n: usize = shape.iter().product();
    let zeros = Array::I32(from_vec(&shape, vec![0; n])?).cast(dtype);
    let indices = args.value(0);
    if matches!(indices, Value::List(_) | Value::Tuple(_)) {
        return Err(OpError::Type(format!(
            "moveaxis requires ndarray or scalar arguments, got <class '{}'> at position 0.",
            py_type_name(indices)
        )));
    }
    let pos = Positions::read(&to_array(indices)?, false)?;
    tensor(scatter_into(zeros, &pos, values, Reduction::Add)?)
}

/// The `shape` argument of `scatter` as `jnp.zeros` reads it.
fn output_shape(v: &Value) -> OpResult<Vec<usize>> {
    let dims: Vec<&Value> = match v {
        Value::List(items) | Value::Tuple(items) => items.iter().collect(),
        other => vec![other],
    };
    let ints = dims
        .iter()
        .map(|d| match d {
            Value::Int(i) => Ok(*i),
            _ => Err(OpError::Type(format!(
                "Shapes must be 1D sequences of concrete values of integer type, got {}.",
                crate::args::py_repr(&Value::Tuple(dims.iter().map(|&d| d.clone()).collect()))
            ))),
        })
        .collect::<OpResult<Vec<i64>>>()?;
    if ints.iter().any(|&d| d < 0) {
        return Err(OpError::Type(format!(
            "broadcast_in_dim shape must have every element be nonnegative, got {}.",
            crate::error::int_tuple_repr(ints.iter().copied())
        )));
    }
    Ok(ints.into_iter().map(|d| d as usize).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reversed_positions_transpose_the_batch() {
        // Batch (2, 3) transposed is (3, 2): position p=1 of the transposed
        // batch is [0, 1], which is [1, 0] in the original: offset 3.
        assert_eq!(reversed_position(1, &[3, 2]), 3);
        assert_eq!(reversed_position(0, &[3, 2]), 0);
        assert_eq!(reversed_position(5, &[3, 2]), 5);
        assert_eq!(reversed_position(2, &[3, 2]), 1);
    }

    #[test]
    fn reduction_names() {
        assert_eq!(
            Reduction::parse(Some(&Value::Str("MAX".into()))),
            Ok(Reduction::Max)
        );
        assert!(matches!(
            Reduction::parse(Some(&Value::Int(3))),
            Err(OpError::Attribute(_))
        ));
    }
}
