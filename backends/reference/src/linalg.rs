//! `keras.ops.matmul`: NumPy matmul semantics (1-D operands are promoted and
//! the added dimension removed, batch dimensions broadcast), computed as XLA
//! does: `int8 @ int8` accumulates in `int32`, other integers wrap in the
//! result dtype, half floats accumulate in `float32`.

use kconform_api::{DType, OpCall, Value};
use ndarray::{ArrayD, Axis, Ix3, IxDyn};

use crate::array::{from_vec, with_dtype, Array, Unwrap};
use crate::binary::{binary_inputs, promote};
use crate::broadcast::broadcast_shapes;
use crate::elem::Elem;
use crate::elementwise::tensor;
use crate::error::{check_size, shape_repr, OpError, OpResult};

/// JAX's aval spelling of an array type, e.g. `float32[2,2,3]`.
fn aval(a: &Array) -> String {
    let dims: Vec<String> = a.shape().iter().map(|d| d.to_string()).collect();
    format!("{}[{}]", a.dtype(), dims.join(","))
}

/// `keras.ops.matmul`.
pub fn matmul(call: &OpCall) -> OpResult<Value> {
    let (a, b) = binary_inputs(call)?;
    for (i, x) in [&a.array, &b.array].into_iter().enumerate() {
        if x.ndim() == 0 {
            return Err(OpError::Value(format!(
                "matmul input operand {i} must have ndim at least 1, but it has ndim 0"
            )));
        }
    }
    let (x, y) = (a.array, b.array);
    let dtype = if x.dtype() == DType::Int8 && y.dtype() == DType::Int8 {
        DType::Int32
    } else {
        promote(&[a.operand, b.operand])?
    };
    // Shapes as (batch..., m, k) and (batch..., k, n).
    let mut xs = x.shape().to_vec();
    let mut ys = y.shape().to_vec();
    let (x_vec, y_vec) = (xs.len() == 1, ys.len() == 1);
    if x_vec {
        xs.insert(0, 1);
    }
    if y_vec {
        ys.push(1);
    }
    let (xb, yb) = (&xs[..xs.len() - 2], &ys[..ys.len() - 2]);
    let batch = broadcast_shapes(xb, yb).ok_or_else(|| {
        OpError::Value(format!(
            "Incompatible types for matmul arguments: {} and {}",
            aval(&x),
            aval(&y)
        ))
    })?;
    let (m, k) = (xs[xs.len() - 2], xs[xs.len() - 1]);
    let (k2, n) = (ys[ys.len() - 2], ys[ys.len() - 1]);
    if k != k2 {
        return Err(OpError::Type(format!(
            "dot_general requires contracting dimensions to have the same shape, got {} and {}.",
            shape_repr(&[k]),
            shape_repr(&[k2])
        )));
    }
    let mut out_shape = batch.clone();
    if !x_vec {
        out_shape.push(m);
    }
    if !y_vec {
        out_shape.push(n);
    }
    check_size(&out_shape)?;
    let dims = Dims {
        batch,
        m,
        k,
        n,
        xs,
        ys,
    };
    let out = with_dtype!(dtype, T => T::wrap(batched::<T>(x, y, &dims, &out_shape)?));
    tensor(out)
}

/// The operand shapes of a batched product.
pub(crate) struct Dims {
    pub(crate) batch: Vec<usize>,
    pub(crate) m: usize,
    pub(crate) k: usize,
    pub(crate) n: usize,
    pub(crate) xs: Vec<usize>,
    pub(crate) ys: Vec<usize>,
}

/// `(B, r, c)` contiguous copy of `a` (of shape `own`) broadcast to `batch + [r, c]`.
fn as_batches<T: Clone>(
    a: ArrayD<T>,
    own: &[usize],
    batch: &[usize],
    r: usize,
    c: usize,
) -> OpResult<ndarray::Array3<T>> {
    let bad = |e: String| OpError::Internal(e);
    let a = a
        .into_shape_with_order(IxDyn(own))
        .map_err(|e| bad(e.to_string()))?;
    let mut full = batch.to_vec();
    full.extend([r, c]);
    check_size(&full)?;
    let view = a
        .broadcast(IxDyn(&full))
        .ok_or_else(|| bad("matmul broadcast".into()))?;
    let count: usize = batch.iter().product();
    let owned = view.as_standard_layout().into_owned();
    owned
        .into_shape_with_order((count, r, c))
        .map(|v| v.into_dimensionality::<Ix3>())
        .map_err(|e| bad(e.to_string()))?
        .map_err(|e| bad(e.to_string()))
}

/// The batched product `x @ y` in `T`, accumulated as XLA's `dot` does.
pub(crate) fn batched<T: Unwrap>(
    x: Array,
    y: Array,
    d: &Dims,
    out_shape: &[usize],
) -> OpResult<ArrayD<T>> {
    let a = as_batches(x.into_typed::<T>(), &d.xs, &d.batch, d.m, d.k)?;
    let b = as_batches(y.into_typed::<T>(), &d.ys, &d.batch, d.k, d.n)?;
    let mut data = Vec::with_capacity(a.len_of(Axis(0)) * d.m * d.n);
    let mut acc = vec![T::acc_zero(); d.n];
    for (ab, bb) in a.outer_iter().zip(b.outer_iter()) {
        let b_rows: Vec<Vec<T>> = bb.outer_iter().map(|r| r.to_vec()).collect();
        for a_row in ab.outer_iter() {
            // Each output element accumulates over k in order (XLA's order);
            // the n accumulators of a row advance together.
            acc.fill(T::acc_zero());
            for (&x, b_row) in a_row.iter().zip(&b_rows) {
                for (s, &y) in acc.iter_mut().zip(b_row) {
                    *s = T::acc_fma(*s, x, y);
                }
            }
            data.extend(acc.iter().map(|&s| T::acc_finish(s)));
        }
    }
    from_vec(out_shape, data)
}
