//! Two-operand rules: broadcasting arithmetic, `arctan2`, `matmul`.

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{
    bind, broadcast_shapes, operand, promote, spec, tensor_spec, tuple_repr, Dims,
};
use crate::promote::Operand;
use crate::value::Value;

/// `getattr(x, "shape", [])`: a tensor's shape, `[]` for a Python scalar.
pub fn operand_shape(v: &Value) -> Result<Dims, BackendError> {
    match v {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => Ok(Vec::new()),
        other => tensor_spec(other).map(|s| s.shape).ok_or_else(|| {
            BackendError::Unsupported(format!("a {} operand in symbolic inference", other.kind()))
        }),
    }
}

/// The two bound operands `(x1, x2)`.
fn operands(call: &OpCall) -> Result<[&Value; 2], BackendError> {
    let args = bind(call, &["x1", "x2"], 2)?;
    match (args[0], args[1]) {
        (Some(a), Some(b)) => Ok([a, b]),
        _ => Err(BackendError::Internal("unbound operand".into())),
    }
}

/// The broadcast shape of both operands and the dtype `dtype_of` gives.
fn broadcasting(
    call: &OpCall,
    dtype_of: fn(&Value, &Value) -> Result<DType, BackendError>,
) -> Result<Value, BackendError> {
    let [a, b] = operands(call)?;
    let shape = broadcast_shapes(&operand_shape(a)?, &operand_shape(b)?)?;
    Ok(spec(shape, dtype_of(a, b)?))
}

/// `add`, `subtract`, `multiply`, `power`: `result_type(x1, x2)` with Python
/// scalars weak.
pub fn promoted(call: &OpCall) -> Result<Value, BackendError> {
    broadcasting(call, |a, b| promote(&[operand(a)?, operand(b)?]))
}

/// `divide`: `result_type(x1, x2, float)`.
pub fn divide(call: &OpCall) -> Result<Value, BackendError> {
    broadcasting(call, |a, b| {
        promote(&[operand(a)?, operand(b)?, Operand::WeakFloat])
    })
}

/// `standardize_dtype(getattr(x, "dtype", default))`: a tensor's dtype, else
/// `default` (strong).
fn dtype_or(v: &Value, default: DType) -> DType {
    tensor_spec(v).map_or(default, |s| s.dtype)
}

/// `arctan2`: `result_type(x1.dtype, x2.dtype, float)` where a Python scalar
/// counts as a strong `floatx()` (so `float16` with `2.0` gives `float32`).
pub fn arctan2(call: &OpCall) -> Result<Value, BackendError> {
    broadcasting(call, |a, b| {
        promote(&[
            Operand::Strong(dtype_or(a, DType::Float32)),
            Operand::Strong(dtype_or(b, DType::Float32)),
            Operand::WeakFloat,
        ])
    })
}

/// `standardize_dtype(getattr(x, "dtype", type(x)))`: Python scalars become
/// strong `int32`/`float32`/`bool`.
fn strong_dtype(v: &Value) -> Result<DType, BackendError> {
    Ok(match operand(v)? {
        Operand::Strong(d) => d,
        Operand::WeakInt => DType::Int32,
        Operand::WeakFloat => DType::Float32,
    })
}

/// `operation_utils.compute_matmul_output_shape(shape1, shape2)`.
fn matmul_shape(shape1: &[Option<usize>], shape2: &[Option<usize>]) -> Result<Dims, BackendError> {
    let out_of_range = || BackendError::raised("IndexError", "tuple index out of range");
    let (x1_1d, x2_1d) = (shape1.len() == 1, shape2.len() == 1);
    let s1: Dims = if x1_1d {
        vec![Some(1), shape1[0]]
    } else {
        shape1.to_vec()
    };
    let s2: Dims = if x2_1d {
        vec![shape2[0], Some(1)]
    } else {
        shape2.to_vec()
    };
    let last1 = *s1.last().ok_or_else(out_of_range)?;
    if s2.len() < 2 {
        return Err(out_of_range());
    }
    let inner2 = s2[s2.len() - 2];
    if let (Some(a), Some(b)) = (last1, inner2) {
        if a != b {
            return Err(BackendError::value_error(format!(
                "Inner dimensions (`x1.shape[-1]` and `x2.shape[-2]`) must be equal, but \
                 received `x1.shape={}` and `x2.shape={}`.",
                tuple_repr(&s1),
                tuple_repr(&s2)
            )));
        }
    }
    let mut out = broadcast_shapes(&s1[..s1.len() - 2], &s2[..s2.len() - 2])?;
    out.extend([s1[s1.len() - 2], s2[s2.len() - 1]]);
    if x1_1d {
        out.remove(out.len() - 2);
    }
    if x2_1d {
        out.pop();
    }
    Ok(out)
}

/// `matmul`: `int8 @ int8` gives `int32`, anything else the strong
/// promotion of both dtypes.
pub fn matmul(call: &OpCall) -> Result<Value, BackendError> {
    let [a, b] = operands(call)?;
    let shape = matmul_shape(&operand_shape(a)?, &operand_shape(b)?)?;
    let (d1, d2) = (strong_dtype(a)?, strong_dtype(b)?);
    let dtype = if d1 == DType::Int8 && d2 == DType::Int8 {
        DType::Int32
    } else {
        promote(&[Operand::Strong(d1), Operand::Strong(d2)])?
    };
    Ok(spec(shape, dtype))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matmul_shapes() {
        let s = |d: &[Option<usize>]| d.to_vec();
        assert_eq!(
            matmul_shape(&s(&[None, Some(3)]), &s(&[Some(3), Some(4)])).unwrap(),
            s(&[None, Some(4)])
        );
        assert_eq!(
            matmul_shape(&s(&[Some(3)]), &s(&[Some(3)])).unwrap(),
            s(&[])
        );
        assert_eq!(
            matmul_shape(
                &s(&[Some(2), Some(1), Some(2), Some(3)]),
                &s(&[Some(3), Some(3), Some(2)])
            )
            .unwrap(),
            s(&[Some(2), Some(3), Some(2), Some(2)])
        );
        assert_eq!(
            matmul_shape(&s(&[None, Some(3)]), &s(&[Some(2), Some(4)]))
                .unwrap_err()
                .to_string(),
            "ValueError: Inner dimensions (`x1.shape[-1]` and `x2.shape[-2]`) must be equal, but \
             received `x1.shape=(None, 3)` and `x2.shape=(2, 4)`."
        );
        assert!(matmul_shape(&s(&[]), &s(&[Some(2)])).is_err());
    }
}
