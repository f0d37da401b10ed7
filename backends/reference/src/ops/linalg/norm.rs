//! `keras.ops.norm` (`jnp.linalg.norm`): vector norms over one axis, matrix
//! norms over two, computed in the float result dtype with its roundings
//! (squares, sums and roots as XLA rounds them; matrix 2-norms and nuclear
//! norms from singular values, which need LAPACK's float dtypes).

use kconform_api::tensor::Scalar;
use kconform_api::{OpCall, Value};
use ndarray::ArrayView1;

use crate::args::{axes, py_repr, truthy, Args};
use crate::array::{with_float_dtype, Array};
use crate::axes::{canonical_axis, reduce_lanes, sorted_unique};
use crate::convert::to_array;
use crate::elem::{Elem, FloatElem};
use crate::elementwise::{float_result_dtype, tensor};
use crate::error::{int_tuple_repr, OpError, OpResult};

use super::lapack::{require_lapack_dtype, singular_values};

/// The `ord` argument.
#[derive(Clone, Debug, PartialEq)]
enum Ord {
    /// `None`.
    Default,
    /// A string (`"fro"`, `"nuc"` or anything else, refused later).
    Str(String),
    /// A number (`inf` included).
    Num(f64),
}

impl Ord {
    fn read(v: Option<&Value>) -> OpResult<Ord> {
        Ok(match v {
            None => Ord::Default,
            Some(Value::Str(s)) => Ord::Str(s.clone()),
            Some(Value::Int(i)) => Ord::Num(*i as f64),
            Some(Value::Bool(b)) => Ord::Num(f64::from(u8::from(*b))),
            Some(Value::Float(f)) => Ord::Num(*f),
            Some(other) => {
                return Err(OpError::Unsupported(format!(
                    "norm ord given as a {}",
                    other.kind()
                )))
            }
        })
    }

    fn is(&self, x: f64) -> bool {
        *self == Ord::Num(x)
    }
}

/// `str(ord)` as the error messages print it.
fn ord_str(v: Option<&Value>) -> String {
    match v {
        Some(Value::Str(s)) => s.clone(),
        Some(v) => py_repr(v),
        None => "None".into(),
    }
}

/// One vector norm of a lane in `T`.
fn vector_norm<T: FloatElem>(l: &ArrayView1<'_, T>, ord: &Ord) -> T {
    let abs = l.iter().map(|v| v.abs());
    match ord {
        Ord::Num(p) if p.is_infinite() && *p > 0.0 => abs.fold(T::zero(), T::xla_max),
        Ord::Num(p) if p.is_infinite() => abs.reduce(T::xla_min).unwrap_or(T::zero()),
        Ord::Num(p) if *p == 0.0 => {
            T::sum_of(
                l.iter()
                    .map(|v| if v.load() != 0.0 { T::one() } else { T::zero() }),
            )
        }
        Ord::Num(p) if *p == 1.0 => T::sum_of(abs.collect::<Vec<T>>().into_iter()),
        Ord::Num(p) if *p != 2.0 => {
            let (e, inv) = (
                T::from_scalar(Scalar::Float(*p)),
                T::from_scalar(Scalar::Float(1.0 / p)),
            );
            let pow = |x: T, y: T| T::store64(f64::from(x.load()).powf(f64::from(y.load())));
            let s = T::sum_of(abs.map(|a| pow(a, e)).collect::<Vec<T>>().into_iter());
            pow(s, inv)
        }
        _ => frobenius(l),
    }
}

/// `sqrt(sum(x * x))` in `T`.
fn frobenius<T: FloatElem>(l: &ArrayView1<'_, T>) -> T {
    let s = T::sum_of(l.iter().map(|&v| v.mul(v)).collect::<Vec<T>>().into_iter());
    T::store(s.load().sqrt())
}

/// One matrix norm of a lane holding an `rows × cols` matrix (row-major
/// when `row_major`, else transposed).
fn matrix_norm<T: FloatElem>(
    l: &ArrayView1<'_, T>,
    ord: &Ord,
    dims: (usize, usize),
    row_major: bool,
) -> T {
    let (rows, cols) = dims;
    let at = |i: usize, j: usize| {
        if row_major {
            l[i * cols + j]
        } else {
            l[j * rows + i]
        }
    };
    // Column sums of |x| (over rows) or row sums (over columns), in order.
    let col_sums = || {
        (0..cols).map(|j| {
            T::sum_of(
                (0..rows)
                    .map(|i| at(i, j).abs())
                    .collect::<Vec<T>>()
                    .into_iter(),
            )
        })
    };
    let row_sums = || {
        (0..rows).map(|i| {
            T::sum_of(
                (0..cols)
                    .map(|j| at(i, j).abs())
                    .collect::<Vec<T>>()
                    .into_iter(),
            )
        })
    };
    match ord {
        Ord::Num(p) if *p == 1.0 => col_sums().fold(T::zero(), T::xla_max),
        Ord::Num(p) if *p == -1.0 => col_sums().reduce(T::xla_min).unwrap_or(T::zero()),
        Ord::Num(p) if p.is_infinite() && *p > 0.0 => row_sums().fold(T::zero(), T::xla_max),
        Ord::Num(p) if p.is_infinite() => row_sums().reduce(T::xla_min).unwrap_or(T::zero()),
        Ord::Default => frobenius(l),
        Ord::Str(s) if s != "nuc" => frobenius(l),
        Ord::Num(_) | Ord::Str(_) => {
            let m: Vec<f64> = (0..rows)
                .flat_map(|i| (0..cols).map(move |j| (i, j)))
                .map(|(i, j)| f64::from(at(i, j).load()))
                .collect();
            let s: Vec<T> = singular_values(&m, rows, cols)
                .into_iter()
                .map(T::store64)
                .collect();
            match ord {
                Ord::Num(p) if *p == 2.0 => s.into_iter().fold(T::zero(), T::xla_max),
                Ord::Num(_) => s.into_iter().reduce(T::xla_min).unwrap_or(T::zero()),
                _ => T::sum_of(s.into_iter()),
            }
        }
    }
}

/// `keras.ops.norm(x, ord=None, axis=None, keepdims=False)`.
pub fn norm(call: &OpCall) -> OpResult<Value> {
    let args = Args::bind(call, &["x", "ord", "axis", "keepdims"], 1)?;
    let x = to_array(args.value(0))?;
    let ord = Ord::read(args.get(1))?;
    let keepdims = truthy(args.value(3))?;
    let dtype = float_result_dtype(x.dtype())?;
    let ndim = x.ndim();
    super::refuse_list_axis(args.get(2))?;
    let given = axes(args.get(2))?;
    let all: Vec<i64> = (0..ndim as i64).collect();
    let list = given.clone().unwrap_or(all);
    let canon = list
        .iter()
        .map(|&a| canonical_axis(a, ndim))
        .collect::<OpResult<Vec<_>>>()?;
    let whole_frobenius = given.is_none() && ord == Ord::Default;
    let kind = if whole_frobenius { 0 } else { canon.len() };
    match kind {
        0 | 1 => {
            if let Ord::Str(s) = &ord {
                let mut msg = format!("Invalid order '{s}' for vector norm.");
                if s == "inf" {
                    msg.push_str("Use 'jax.numpy.inf' instead.");
                } else if s == "-inf" {
                    msg.push_str("Use '-jax.numpy.inf' instead.");
                }
                return Err(OpError::Value(msg));
            }
        }
        2 => {
            let valid = match &ord {
                Ord::Default => true,
                Ord::Str(s) => matches!(s.as_str(), "f" | "fro" | "nuc"),
                Ord::Num(_) => [1.0, -1.0, 2.0, -2.0, f64::INFINITY, f64::NEG_INFINITY]
                    .iter()
                    .any(|&p| ord.is(p)),
            };
            if !valid {
                return Err(OpError::Value(format!(
                    "Invalid order '{}' for matrix norm.",
                    ord_str(args.get(1))
                )));
            }
            let svd = match &ord {
                Ord::Str(s) => s == "nuc",
                Ord::Num(p) => p.abs() == 2.0,
                Ord::Default => false,
            };
            if svd {
                require_lapack_dtype(dtype)?;
            }
        }
        _ => {
            return Err(OpError::Value(format!(
                "Improper number of axes for norm: axis={}. Pass one axis to compute a \
                 vector-norm, or two axes to compute a matrix-norm.",
                int_tuple_repr(canon.iter().map(|&a| a as i64))
            )))
        }
    }
    let reduced = sorted_unique(canon.clone(), || {
        int_tuple_repr(canon.iter().map(|&a| a as i64))
    })?;
    let shape = x.shape().to_vec();
    let x: Array = x.cast(dtype);
    let out = with_float_dtype!(dtype, T => {
        let a = x.into_typed::<T>();
        T::wrap(reduce_lanes(&a, &reduced, keepdims, |l| match kind {
            0 => frobenius(&l),
            1 => vector_norm(&l, &ord),
            _ => {
                let (r, c) = (canon[0], canon[1]);
                matrix_norm(&l, &ord, (shape[r], shape[c]), r < c)
            }
        })?)
    }, _ => return Err(OpError::Internal(format!("non-float norm dtype {dtype}"))));
    tensor(out)
}
