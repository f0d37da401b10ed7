//! Diagonals: `trace` (`jnp.trace`: the masked matrix summed) and `diag`.

use kconform_api::{DType, OpCall, Value};
use ndarray::IxDyn;

use crate::args::{index, Args};
use crate::array::{from_vec, with_array, with_dtype};
use crate::axes::canonical_axis;
use crate::convert::to_array;
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{check_size, OpError, OpResult};

/// Whether `(i, j)` lies on diagonal `k` (`jnp.eye(n, m, k)`).
fn on_diagonal(i: usize, j: usize, k: i64) -> bool {
    j as i64 - i as i64 == k
}

/// `keras.ops.trace(x, offset=0, axis1=0, axis2=1)`: each matrix over
/// `(axis1, axis2)` has everything off diagonal `offset` zeroed and is summed
/// in row-major order, in `sum`'s dtype (narrow integers and bool widen).
pub fn trace(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "offset", "axis1", "axis2"], 1)?;
    let x = to_array(args.value(0))?;
    let int_or = |i: usize, default: i64| args.get(i).map_or(Ok(default), index);
    let (offset, axis1, axis2) = (int_or(1, 0)?, int_or(2, 0)?, int_or(3, 1)?);
    let n = x.ndim();
    let (a1, a2) = (canonical_axis(axis1, n)?, canonical_axis(axis2, n)?);
    if a1 == a2 {
        return Err(OpError::Value(format!(
            "axis1 and axis2 can not be same. axis1={axis1} and axis2={axis2}"
        )));
    }
    let dtype = match x.dtype() {
        DType::Bool | DType::Int8 | DType::Int16 => DType::Int32,
        DType::Uint8 | DType::Uint16 => DType::Uint32,
        d => d,
    };
    let shape = x.shape().to_vec();
    let (rows, cols) = (shape[a1], shape[a2]);
    let kept: Vec<usize> = (0..n).filter(|&i| i != a1 && i != a2).collect();
    let out_shape: Vec<usize> = kept.iter().map(|&i| shape[i]).collect();
    let perm: Vec<usize> = kept.iter().copied().chain([a1, a2]).collect();
    let count: usize = out_shape.iter().product();
    let x = super::products::permuted(x.cast(dtype), &perm).reshaped(&[count, rows * cols])?;
    let out = with_dtype!(dtype, T => {
        let m = x.into_typed::<T>();
        let mut data = Vec::with_capacity(count);
        for row in m.outer_iter() {
            let masked = row.iter().enumerate().map(|(p, &v)| {
                if on_diagonal(p / cols.max(1), p % cols.max(1), offset) { v } else { T::zero() }
            });
            data.push(T::sum_of(masked.collect::<Vec<T>>().into_iter()));
        }
        T::wrap(from_vec(&out_shape, data)?)
    });
    tensor(out)
}

/// `keras.ops.diag(x, k=0)`: a 1-D input becomes a square matrix with `x` on
/// diagonal `k`; a 2-D input gives its diagonal `k`.
pub fn diag(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "k"], 1)?;
    let x = to_array(args.value(0))?;
    let k = args.get(1).map_or(Ok(0), index)?;
    match x.ndim() {
        1 => {
            let len = x.shape()[0];
            let size = len + k.unsigned_abs() as usize;
            check_size(&[size, size])?;
            let out = with_array!(x, v => {
                let mut m = ndarray::ArrayD::from_elem(IxDyn(&[size, size]), Elem::zero());
                for (i, &e) in v.iter().enumerate() {
                    let (r, c) = if k >= 0 { (i, i + k as usize) } else { (i + k.unsigned_abs() as usize, i) };
                    m[[r, c]] = e;
                }
                Elem::wrap(m)
            });
            tensor(out)
        }
        2 => crate::shape_ops::diagonal(&OpCall::new(
            "diagonal",
            vec![Value::Tensor(x.into_tensor()?), Value::Int(k)],
        )),
        _ => Err(OpError::Value("diag input must be 1d or 2d".into())),
    }
}
