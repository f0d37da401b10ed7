//! `gcd` and `lcm` as `jnp` computes them: Euclid's algorithm run as one
//! `while_loop` over the whole (broadcast) array, on wrapped absolute values
//! (so `abs(MIN)` stays negative in signed dtypes).

use kconform_api::{OpCall, Value};
use ndarray::IxDyn;

use super::lanes::{wrap_int, xla_div, xla_rem, IntInfo};
use crate::array::{from_vec, with_int_dtype, Array};
use crate::binary::{binary_inputs, promote};
use crate::broadcast::broadcast_shapes;
use crate::elem::{Elem, IntElem};
use crate::elementwise::tensor;
use crate::error::{shape_repr, OpError, OpResult};

/// The most loop iterations run before giving up: JAX itself never stops on
/// some inputs (`gcd(int8 0, int8 -128)` swaps forever).
const MAX_STEPS: usize = 10_000;

/// Both operands promoted to one integer dtype and broadcast, as `i64` lanes
/// (`ValueError`s as `jnp.gcd`/`jnp.lcm` raise them).
struct Operands {
    x: Vec<i64>,
    y: Vec<i64>,
    shape: Vec<usize>,
    dtype: kconform_api::DType,
}

fn operands(call: &OpCall, name: &str) -> OpResult<Operands> {
    let (a, b) = binary_inputs(call)?;
    let dtype = promote(&[a.operand, b.operand])?;
    if !dtype.is_integer() {
        return Err(OpError::Value(format!(
            "Arguments to jax.numpy.{name} must be integers."
        )));
    }
    let (sa, sb) = (a.array.shape().to_vec(), b.array.shape().to_vec());
    let shape = broadcast_shapes(&sa, &sb).ok_or_else(|| {
        OpError::Value(format!(
            "Incompatible shapes for broadcasting: shapes=[{}, {}]",
            shape_repr(&sa),
            shape_repr(&sb)
        ))
    })?;
    crate::error::check_size(&shape)?;
    let lanes = |arr: Array| -> OpResult<Vec<i64>> {
        with_int_dtype!(dtype, T => {
            let v = arr.into_typed::<T>();
            let v = v
                .broadcast(IxDyn(&shape))
                .ok_or_else(|| OpError::Internal("bad broadcast".into()))?;
            Ok(v.iter().map(|e| e.to_i64()).collect())
        }, _ => Err(OpError::Internal(format!("{name} on {dtype}"))))
    };
    Ok(Operands {
        x: lanes(a.array.cast(dtype))?,
        y: lanes(b.array.cast(dtype))?,
        shape,
        dtype,
    })
}

/// Runs `f` with the integer info of `dtype` and the wrap into it.
fn finish(ops: &Operands, values: Vec<i64>) -> OpResult<Value> {
    let dtype = ops.dtype;
    with_int_dtype!(dtype, T => {
        let data = values.into_iter().map(wrap_int::<T>).collect();
        tensor(T::wrap(from_vec(&ops.shape, data)?))
    }, _ => Err(OpError::Internal(format!("integer result of {dtype}"))))
}

fn info_of(dtype: kconform_api::DType) -> IntInfo {
    use kconform_api::DType as D;
    let bits = match dtype {
        D::Int8 | D::Uint8 => 8,
        D::Int16 | D::Uint16 => 16,
        _ => 32,
    };
    let signed = matches!(dtype, D::Int8 | D::Int16 | D::Int32 | D::Int64);
    IntInfo { bits, signed }
}

/// `v` wrapped into the dtype of `info`.
fn wrap(v: i64, info: IntInfo) -> i64 {
    let shift = 64 - info.bits;
    if info.signed {
        (v << shift) >> shift
    } else {
        ((v as u64) << shift >> shift) as i64
    }
}

/// `jnp.gcd`'s loop over all lanes at once.
fn gcd_lanes(x: &[i64], y: &[i64], info: IntInfo) -> OpResult<Vec<i64>> {
    let mut state: Vec<(i64, i64)> = x
        .iter()
        .zip(y)
        .map(|(&p, &q)| (wrap(p.abs(), info), wrap(q.abs(), info)))
        .collect();
    let mut steps = 0;
    while state.iter().any(|&(_, q)| q != 0) {
        steps += 1;
        if steps > MAX_STEPS {
            return Err(OpError::Unsupported(
                "gcd inputs on which JAX's loop never terminates".into(),
            ));
        }
        for s in &mut state {
            let (p, q) = *s;
            let (p, q) = if q != 0 {
                (q, wrap(xla_rem(p, q), info))
            } else {
                (p, 0)
            };
            *s = if p < q { (q, p) } else { (p, q) };
        }
    }
    Ok(state.into_iter().map(|(p, _)| p).collect())
}

/// `keras.ops.gcd`.
pub fn gcd(call: &OpCall) -> OpResult<Value> {
    let ops = operands(call, "gcd")?;
    let values = gcd_lanes(&ops.x, &ops.y, info_of(ops.dtype))?;
    finish(&ops, values)
}

/// `keras.ops.lcm`: `0` where the gcd is 0, else `|x1| * (|x2| // gcd)`
/// (wrapping).
pub fn lcm(call: &OpCall) -> OpResult<Value> {
    let ops = operands(call, "lcm")?;
    let info = info_of(ops.dtype);
    let abs = |v: &[i64]| -> Vec<i64> { v.iter().map(|&p| wrap(p.abs(), info)).collect() };
    let (x, y) = (abs(&ops.x), abs(&ops.y));
    let d = gcd_lanes(&x, &y, info)?;
    let values = x
        .iter()
        .zip(&y)
        .zip(&d)
        .map(|((&p, &q), &g)| {
            if g == 0 {
                return 0;
            }
            let mut quotient = wrap(xla_div(q, g), info);
            if info.signed && q.signum() != g.signum() && xla_rem(q, g) != 0 {
                quotient -= 1;
            }
            wrap(p.wrapping_mul(quotient), info)
        })
        .collect();
    finish(&ops, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euclid_with_wrapping() {
        let i8 = IntInfo {
            bits: 8,
            signed: true,
        };
        assert_eq!(
            gcd_lanes(&[12, 0, -7], &[18, 5, 0], i8).unwrap(),
            vec![6, 5, 7]
        );
        assert_eq!(gcd_lanes(&[-128], &[0], i8).unwrap(), vec![-128]);
        // JAX's loop never ends here: -128 keeps swapping with 0.
        assert!(gcd_lanes(&[-128, 64], &[0, 6], i8).is_err());
        assert_eq!(wrap(128, i8), -128);
    }
}
