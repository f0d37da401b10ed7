//! `Einsum.compute_output_spec`, ported literally: the output shape is built
//! by string substitution on the subscripts, then the operands' expanded
//! shapes broadcast (so label sizes are never compared).

use crate::call::OpCall;
use crate::dtype::DType;
use crate::error::BackendError;
use crate::infer::util::{broadcast_shapes, promote, spec, tensor_spec, Dims};
use crate::promote::Operand;
use crate::value::Value;

/// `standardize_dtype(getattr(x, "dtype", type(x)))`: Python scalars are
/// strong `int32`/`float32`/`bool`.
fn strong_dtype(v: &Value) -> Result<DType, BackendError> {
    match v {
        Value::Int(_) => Ok(DType::Int32),
        Value::Float(_) => Ok(DType::Float32),
        Value::Bool(_) => Ok(DType::Bool),
        other => tensor_spec(other).map(|s| s.dtype).ok_or_else(|| {
            BackendError::Unsupported(format!("an einsum operand given as a {}", other.kind()))
        }),
    }
}

/// The operand's shape with `-1` for unknown dimensions, as Keras writes it.
fn raw_shape(v: &Value) -> Vec<i64> {
    tensor_spec(v).map_or_else(Vec::new, |s| {
        s.shape.iter().map(|d| d.map_or(-1, |n| n as i64)).collect()
    })
}

fn list_repr(v: &[i64]) -> String {
    let items: Vec<String> = v.iter().map(|i| i.to_string()).collect();
    format!("[{}]", items.join(", "))
}

/// Python's `x[i]` on a list of ints (negative `i` counts from the end).
fn at(v: &[i64], i: i64) -> Result<i64, BackendError> {
    let n = v.len() as i64;
    let j = if i < 0 { i + n } else { i };
    if (0..n).contains(&j) {
        Ok(v[j as usize])
    } else {
        Err(BackendError::raised(
            "IndexError",
            "list index out of range",
        ))
    }
}

/// One operand's shape in the output's layout, before broadcasting.
fn expanded(spec_str: &str, x: &[i64], target: &str) -> Result<Dims, BackendError> {
    let mut out = target.to_string();
    let parts: Vec<&str> = spec_str.split("...").collect();
    if parts.len() == 1 {
        let letters: Vec<char> = parts[0].chars().collect();
        if x.len() != letters.len() {
            return Err(BackendError::value_error(format!(
                "Number of dimensions in the subscript does not match the number of dimensions \
                 in the operand, received subscript `{spec_str}` and operand of shape {}.",
                list_repr(x)
            )));
        }
        for (size, s) in x.iter().zip(&letters) {
            out = out.replace(*s, &format!("{size} "));
        }
        out = out.replace("...", "");
    } else {
        let head: Vec<char> = parts[0].chars().collect();
        let tail: Vec<char> = parts[1].chars().collect();
        for (i, c) in head.iter().enumerate() {
            out = out.replace(*c, &format!("{} ", at(x, i as i64)?));
        }
        for i in 0..tail.len() {
            let c = tail[tail.len() - 1 - i];
            out = out.replace(c, &format!("{} ", at(x, -(i as i64) - 1)?));
        }
        let start = head.len().min(x.len());
        let end = if tail.is_empty() {
            x.len()
        } else {
            x.len().saturating_sub(tail.len())
        };
        let wildcard: Vec<String> = x[start..end.max(start)]
            .iter()
            .map(|d| d.to_string())
            .collect();
        out = out.replace("...", &format!("{} ", wildcard.join(" ")));
    }
    let out: String = out
        .chars()
        .map(|c| if c.is_ascii_lowercase() { '#' } else { c })
        .collect::<String>()
        .replace('#', "1 ");
    out.split_whitespace()
        .map(|t| match t {
            "-1" => Ok(None),
            t => t.parse::<usize>().map(Some).map_err(|_| {
                BackendError::value_error(format!("invalid literal for int() with base 10: '{t}'"))
            }),
        })
        .collect()
}

/// `Einsum.compute_output_spec(*operands)`.
pub fn einsum(call: &OpCall) -> Result<Value, BackendError> {
    let (subscripts, operands) = match call.args.split_first() {
        Some((Value::Str(s), rest)) => (s.as_str(), rest),
        _ => {
            return Err(BackendError::Unsupported(
                "einsum without a subscripts string".into(),
            ))
        }
    };
    let split: Vec<&str> = subscripts.split("->").collect();
    if split.len() > 2 {
        return Err(BackendError::value_error(format!(
            "At most one '->' is supported in `einsum` subscripts, but received {subscripts}."
        )));
    }
    let (lhs, output_spec) = (split[0], split.get(1).copied());
    let input_specs: Vec<&str> = lhs.split(',').collect();
    if input_specs.len() != operands.len() {
        return Err(BackendError::value_error(format!(
            "Number of operands ({}) does not match the number of input specs ({}) in `einsum`, \
             received subscripts={subscripts}.",
            operands.len(),
            input_specs.len()
        )));
    }
    let mut reduced: Vec<char> = Vec::new();
    let mut kept: Vec<char> = Vec::new();
    for s in lhs.chars().filter(|c| c.is_alphabetic()) {
        if !reduced.contains(&s) && !kept.contains(&s) {
            kept.push(s);
        } else if kept.contains(&s) {
            kept.retain(|&k| k != s);
            reduced.push(s);
        }
    }
    if let Some(out) = output_spec {
        let (k0, r0) = (kept.clone(), reduced.clone());
        kept = k0
            .iter()
            .copied()
            .filter(|c| out.contains(*c))
            .chain(r0.iter().copied().filter(|c| out.contains(*c)))
            .collect();
    }
    kept.sort_unstable();
    let target = match output_spec {
        Some(out) => out.to_string(),
        None => format!("...{}", kept.iter().collect::<String>()),
    };
    let mut shape: Option<Dims> = None;
    for (x, spec_str) in operands.iter().zip(&input_specs) {
        let e = expanded(spec_str, &raw_shape(x), &target)?;
        shape = Some(match shape {
            None => e,
            Some(prev) => broadcast_shapes(&prev, &e)?,
        });
    }
    let mut dtypes: Vec<DType> = operands
        .iter()
        .map(strong_dtype)
        .collect::<Result<_, _>>()?;
    dtypes.sort_unstable_by_key(|d| d.to_string());
    dtypes.dedup();
    let dtype = if dtypes == [DType::Int8] {
        DType::Int32
    } else {
        let ops: Vec<Operand> = dtypes.into_iter().map(Operand::Strong).collect();
        promote(&ops)?
    };
    Ok(spec(shape.unwrap_or_default(), dtype))
}
