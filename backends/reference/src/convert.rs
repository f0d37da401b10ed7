//! Python values to arrays, as `keras.ops.convert_to_tensor` (`jnp.asarray`)
//! makes them, and the promotion operand each value contributes.

use kconform_api::promote::{self, Operand};
use kconform_api::tensor::Scalar;
use kconform_api::{DType, Value};
use ndarray::{ArrayD, IxDyn};

use crate::args::{py_repr, py_type_name};
use crate::array::{from_vec, with_dtype, Array};
use crate::elem::Elem;
use crate::error::{OpError, OpResult};

/// A converted argument and how it takes part in dtype promotion.
#[derive(Clone, Debug)]
pub struct Converted {
    /// The array.
    pub array: Array,
    /// Strong (a tensor, list or bool) or weak (a Python `int`/`float`).
    pub operand: Operand,
}

/// The inclusive range of `int32`, the dtype of a Python `int` in JAX.
fn check_int32(i: i64) -> OpResult<i32> {
    i32::try_from(i)
        .map_err(|_| OpError::Overflow(format!("Python int {i} too large to convert to int32")))
}

fn scalar_array<T: Elem>(v: T) -> Array {
    T::wrap(ArrayD::from_elem(IxDyn(&[]), v))
}

/// Converts a value as `convert_to_tensor` does on JAX, remembering whether it
/// is a weak Python scalar.
pub fn convert(v: &Value) -> OpResult<Converted> {
    Ok(match v {
        Value::Tensor(t) => {
            let array = Array::from_tensor(t)?;
            let operand = Operand::Strong(array.dtype());
            Converted { array, operand }
        }
        Value::Bool(b) => Converted {
            array: scalar_array(*b),
            operand: Operand::Strong(DType::Bool),
        },
        Value::Int(i) => Converted {
            array: scalar_array(check_int32(*i)?),
            operand: Operand::WeakInt,
        },
        Value::Float(f) => Converted {
            array: scalar_array(*f as f32),
            operand: Operand::WeakFloat,
        },
        Value::List(_) | Value::Tuple(_) => {
            let array = from_nested(v, None)?;
            let operand = Operand::Strong(array.dtype());
            Converted { array, operand }
        }
        Value::None => {
            return Err(OpError::Value(
                "None is not a valid value for jnp.array".into(),
            ))
        }
        Value::Str(s) => {
            return Err(OpError::Type(format!(
                "Value {} with dtype <U{} is not a valid JAX array type. Only arrays of numeric \
                 types are supported by JAX.",
                py_repr(v),
                s.chars().count()
            )))
        }
        Value::Dict(_) => {
            return Err(OpError::Type(
                "Unexpected input type for array: <class 'dict'>".into(),
            ))
        }
        Value::Spec(_) => {
            return Err(OpError::Unsupported(
                "symbolic tensors in an eager call".into(),
            ))
        }
        // A drawn seed is a uint32 `[2]` array in Keras on JAX.
        Value::Seed(words) => {
            let t = kconform_api::program::SeedDtype::Uint32.tensor(*words);
            let array = Array::from_tensor(&t)?;
            Converted {
                array,
                operand: Operand::Strong(DType::Uint32),
            }
        }
        Value::Ref(_) => return Err(OpError::Unsupported("program references in kernels".into())),
    })
}

/// [`convert`], keeping only the array.
pub fn to_array(v: &Value) -> OpResult<Array> {
    Ok(convert(v)?.array)
}

/// The array of an argument that `jnp` takes without `convert_to_tensor`
/// (`jnp.all`, `jnp.flip`, …): lists and tuples are refused.
pub fn to_array_strict(v: &Value, jnp_name: &str) -> OpResult<Array> {
    match v {
        Value::List(_) | Value::Tuple(_) => Err(OpError::Type(format!(
            "{jnp_name} requires ndarray or scalar arguments, got <class '{}'> at position 0.",
            py_type_name(v)
        ))),
        _ => to_array(v),
    }
}

/// One leaf of a nested list: a Python scalar or a tensor.
enum Leaf {
    Scalar(Scalar, Operand),
    Array(Array),
}

/// The shape of a nested list and its leaves in row-major order.
pub fn flatten<'a>(
    v: &'a Value,
    depth: usize,
    leaves: &mut Vec<&'a Value>,
) -> OpResult<Vec<usize>> {
    if depth > 64 {
        return Err(OpError::Value(
            "maximum supported dimension for an ndarray is currently 64".into(),
        ));
    }
    match v {
        Value::List(items) | Value::Tuple(items) => {
            let mut inner: Option<Vec<usize>> = None;
            for item in items {
                let s = flatten(item, depth + 1, leaves)?;
                match &inner {
                    None => inner = Some(s),
                    Some(prev) if *prev == s => {}
                    Some(_) => {
                        return Err(OpError::Value(format!(
                            "setting an array element with a sequence. The requested array has \
                             an inhomogeneous shape after {} dimensions. The detected shape was \
                             ({},) + inhomogeneous part.",
                            depth + 1,
                            items.len()
                        )))
                    }
                }
            }
            let mut shape = vec![items.len()];
            shape.extend(inner.unwrap_or_default());
            Ok(shape)
        }
        Value::Tensor(t) => {
            leaves.push(v);
            Ok(t.shape().to_vec())
        }
        _ => {
            leaves.push(v);
            Ok(vec![])
        }
    }
}

/// `jnp.asarray(nested_list, dtype)`: the dtype is the promotion of the leaves
/// (Python scalars weak) unless given; Python ints must fit the dtype.
pub fn from_nested(v: &Value, dtype: Option<DType>) -> OpResult<Array> {
    let mut leaf_values = Vec::new();
    let shape = flatten(v, 0, &mut leaf_values)?;
    let leaves = leaf_values
        .iter()
        .map(|&leaf| {
            Ok(match leaf {
                Value::Tensor(_) => Leaf::Array(to_array(leaf)?),
                Value::Bool(b) => Leaf::Scalar(Scalar::Bool(*b), Operand::Strong(DType::Bool)),
                Value::Int(i) => Leaf::Scalar(Scalar::Int((*i).into()), Operand::WeakInt),
                Value::Float(f) => Leaf::Scalar(Scalar::Float(*f), Operand::WeakFloat),
                other => {
                    return Err(convert(other).err().unwrap_or_else(|| {
                        OpError::Type(format!("unsupported list element {}", py_repr(other)))
                    }))
                }
            })
        })
        .collect::<OpResult<Vec<Leaf>>>()?;
    let dtype = match dtype {
        Some(d) => promote::downcast_64(d),
        None if leaves.is_empty() => DType::Float32,
        None => {
            let ops: Vec<Operand> = leaves
                .iter()
                .map(|l| match l {
                    Leaf::Scalar(_, o) => *o,
                    Leaf::Array(a) => Operand::Strong(a.dtype()),
                })
                .collect();
            crate::binary::promote(&ops)?
        }
    };
    let mut scalars = Vec::with_capacity(shape.iter().product());
    for leaf in leaves {
        match leaf {
            Leaf::Scalar(Scalar::Int(i), _) if dtype.is_integer() => {
                scalars.push(Scalar::Int(checked_int(i, dtype)?))
            }
            Leaf::Scalar(Scalar::Float(f), _) if dtype.is_integer() => {
                scalars.push(Scalar::Int(checked_int(float_to_int(f)?, dtype)?))
            }
            Leaf::Scalar(s, _) => scalars.push(s),
            Leaf::Array(a) => scalars.extend(a.scalars()),
        }
    }
    with_dtype!(dtype, T => Ok(T::wrap(from_vec(
        &shape,
        scalars.into_iter().map(T::from_scalar).collect(),
    )?)))
}

/// Python's `int(f)`: truncation, with Python's errors for NaN and infinity.
pub fn float_to_int(f: f64) -> OpResult<i128> {
    if f.is_nan() {
        Err(OpError::Value("cannot convert float NaN to integer".into()))
    } else if f.is_infinite() {
        Err(OpError::Overflow(
            "cannot convert float infinity to integer".into(),
        ))
    } else if f.abs() >= 9_223_372_036_854_775_808.0 {
        Err(OpError::Overflow(
            "Python int too large to convert to C long".into(),
        ))
    } else {
        Ok(f.trunc() as i128)
    }
}

/// NumPy's check that a Python int fits an integer dtype.
pub fn checked_int(i: i128, dtype: DType) -> OpResult<i128> {
    let (lo, hi): (i128, i128) = match dtype {
        DType::Int8 => (i8::MIN.into(), i8::MAX.into()),
        DType::Int16 => (i16::MIN.into(), i16::MAX.into()),
        DType::Int32 | DType::Int64 => (i32::MIN.into(), i32::MAX.into()),
        DType::Uint8 => (0, u8::MAX.into()),
        DType::Uint16 => (0, u16::MAX.into()),
        DType::Uint32 | DType::Uint64 => (0, u32::MAX.into()),
        _ => return Ok(i),
    };
    if (lo..=hi).contains(&i) {
        Ok(i)
    } else {
        Err(OpError::Overflow(format!(
            "Python integer {i} out of bounds for {}",
            promote::downcast_64(dtype)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_scalars_are_weak_and_32_bit() {
        let c = convert(&Value::Int(3)).unwrap();
        assert_eq!(
            (c.array.dtype(), c.operand),
            (DType::Int32, Operand::WeakInt)
        );
        let e = convert(&Value::Int(1 << 40)).unwrap_err();
        assert_eq!(
            e,
            OpError::Overflow("Python int 1099511627776 too large to convert to int32".into())
        );
        assert_eq!(
            to_array(&Value::Float(1e300)).unwrap().dtype(),
            DType::Float32
        );
    }

    #[test]
    fn nested_lists_promote_their_leaves() {
        let l = Value::List(vec![Value::Int(1), Value::Float(2.5)]);
        assert_eq!(to_array(&l).unwrap().dtype(), DType::Float32);
        let l = Value::List(vec![Value::Bool(true), Value::Int(2)]);
        assert_eq!(to_array(&l).unwrap().dtype(), DType::Int32);
        let l = Value::List(vec![]);
        assert_eq!(to_array(&l).unwrap().shape(), &[0]);
        let ragged = Value::List(vec![
            Value::List(vec![Value::Int(1)]),
            Value::List(vec![Value::Int(1), Value::Int(2)]),
        ]);
        assert!(matches!(to_array(&ragged), Err(OpError::Value(_))));
    }
}
