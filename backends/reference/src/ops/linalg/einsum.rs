//! `keras.ops.einsum`: `jnp.einsum` evaluated term by term (integers wrap,
//! floats accumulate in `f32` with fused multiply-adds, half floats round
//! once; `int8` operands alone accumulate in `int32`).

use std::collections::BTreeMap;

use kconform_api::promote::Operand;
use kconform_api::{DType, OpCall, Value};

use crate::array::{from_vec, with_dtype, Array, Unwrap};
use crate::binary::promote;
use crate::convert::{convert, Converted};
use crate::elementwise::tensor;
use crate::error::{check_size, OpError, OpResult};

/// The label `jnp.einsum` gives the dimensions an ellipsis covers (any
/// character that is not a letter).
const ELLIPSIS: char = '.';

/// One operand's subscript: its labels, with the ellipsis expanded into one
/// `ELLIPSIS`-prefixed label per covered dimension.
fn operand_labels(spec: &str, ndim: usize, position: usize) -> OpResult<Vec<String>> {
    let wrong = || {
        OpError::Value(format!(
            "Einstein sum subscript '{spec}' does not contain the correct number of indices \
             for operand {position}."
        ))
    };
    let (head, tail) = match spec.split_once("...") {
        Some((h, t)) => (h, Some(t)),
        None => (spec, None),
    };
    let letters = |s: &str| -> Vec<String> { s.chars().map(|c| c.to_string()).collect() };
    match tail {
        None if head.chars().count() == ndim => Ok(letters(head)),
        None => Err(wrong()),
        Some(tail) => {
            let named = head.chars().count() + tail.chars().count();
            let covered = ndim.checked_sub(named).ok_or_else(wrong)?;
            let mut out = letters(head);
            // Ellipsis dims are right-aligned across operands: label by distance from the end.
            out.extend((0..covered).rev().map(|i| format!("{ELLIPSIS}{i}")));
            out.extend(letters(tail));
            Ok(out)
        }
    }
}

/// The parsed subscripts: each operand's labels and the output's.
struct Subscripts {
    inputs: Vec<Vec<String>>,
    output: Vec<String>,
}

fn parse(subscripts: &str, operands: &[Converted]) -> OpResult<Subscripts> {
    let cleaned: String = subscripts.chars().filter(|c| !c.is_whitespace()).collect();
    let (lhs, rhs) = match cleaned.split_once("->") {
        Some((l, r)) => (l, Some(r)),
        None => (cleaned.as_str(), None),
    };
    let specs: Vec<&str> = lhs.split(',').collect();
    if specs.len() != operands.len() {
        return Err(OpError::Value(format!(
            "Number of einsum subscripts, {}, must be equal to the number of operands, {}.",
            specs.len(),
            operands.len()
        )));
    }
    let inputs = specs
        .iter()
        .zip(operands)
        .enumerate()
        .map(|(i, (s, op))| operand_labels(s, op.array.ndim(), i))
        .collect::<OpResult<Vec<_>>>()?;
    let ellipsis_rank = inputs
        .iter()
        .flatten()
        .filter(|l| l.starts_with(ELLIPSIS))
        .map(|l| l[1..].parse::<usize>().unwrap_or(0) + 1)
        .max()
        .unwrap_or(0);
    let ellipsis: Vec<String> = (0..ellipsis_rank)
        .rev()
        .map(|i| format!("{ELLIPSIS}{i}"))
        .collect();
    let output = match rhs {
        Some(r) => {
            let (head, tail) = match r.split_once("...") {
                Some((h, t)) => (h, Some(t)),
                None => (r, None),
            };
            let named = |part: &str| -> OpResult<Vec<String>> {
                part.chars()
                    .map(|c| {
                        if lhs.contains(c) {
                            Ok(c.to_string())
                        } else {
                            Err(OpError::Value(format!(
                                "Output character '{c}' did not appear in the input"
                            )))
                        }
                    })
                    .collect()
            };
            let mut out = named(head)?;
            if let Some(tail) = tail {
                out.extend(ellipsis);
                out.extend(named(tail)?);
            }
            out
        }
        None => {
            let mut counts: BTreeMap<char, usize> = BTreeMap::new();
            for c in lhs.chars().filter(|c| c.is_alphabetic()) {
                *counts.entry(c).or_default() += 1;
            }
            let mut out = ellipsis;
            out.extend(
                counts
                    .into_iter()
                    .filter(|&(_, n)| n == 1)
                    .map(|(c, _)| c.to_string()),
            );
            out
        }
    };
    Ok(Subscripts { inputs, output })
}

/// Each label's size, with `opt_einsum`'s error for a mismatch (size-1
/// dimensions broadcast).
fn label_sizes(s: &Subscripts, operands: &[Converted]) -> OpResult<BTreeMap<String, usize>> {
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    for (i, (labels, op)) in s.inputs.iter().zip(operands).enumerate() {
        for (label, &d) in labels.iter().zip(op.array.shape()) {
            match sizes.get(label).copied() {
                None => {
                    sizes.insert(label.clone(), d);
                }
                Some(prev) if prev == d || d == 1 => {}
                Some(1) => {
                    sizes.insert(label.clone(), d);
                }
                Some(prev) => {
                    return Err(OpError::Value(format!(
                        "Size of label '{label}' for operand {i} ({prev}) does not match \
                         previous terms ({d})."
                    )))
                }
            }
        }
    }
    Ok(sizes)
}

/// Visits every multi-index of `dims` in row-major order.
fn for_each_index(dims: &[usize], mut f: impl FnMut(&[usize])) {
    if dims.contains(&0) {
        return;
    }
    let mut idx = vec![0; dims.len()];
    loop {
        f(&idx);
        let mut d = dims.len();
        loop {
            if d == 0 {
                return;
            }
            d -= 1;
            idx[d] += 1;
            if idx[d] < dims[d] {
                break;
            }
            idx[d] = 0;
        }
    }
}

/// Row-major strides of `shape`, with size-1 dimensions broadcast (stride 0).
fn strides(shape: &[usize]) -> Vec<usize> {
    let mut out = vec![0; shape.len()];
    let mut acc = 1;
    for d in (0..shape.len()).rev() {
        out[d] = if shape[d] == 1 { 0 } else { acc };
        acc *= shape[d];
    }
    out
}

/// Evaluates the einsum in `T`: every output element is the sum over the
/// contracted labels (in order) of the product of the operands.
fn evaluate<T: Unwrap>(
    s: &Subscripts,
    operands: Vec<Array>,
    sizes: &BTreeMap<String, usize>,
) -> OpResult<Array> {
    let data: Vec<Vec<T>> = operands
        .into_iter()
        .map(|a| a.into_typed::<T>().iter().copied().collect())
        .collect();
    let contracted: Vec<&String> = {
        let mut seen: Vec<&String> = Vec::new();
        for l in s.inputs.iter().flatten() {
            if !s.output.contains(l) && !seen.contains(&l) {
                seen.push(l);
            }
        }
        seen
    };
    let all: Vec<&String> = s.output.iter().chain(contracted.iter().copied()).collect();
    let position = |l: &String| all.iter().position(|m| *m == l).unwrap_or(0);
    // For each operand: (position in `all`, stride) per dimension.
    let walks: Vec<Vec<(usize, usize)>> = s
        .inputs
        .iter()
        .zip(&data)
        .map(|(labels, _)| {
            let shape: Vec<usize> = labels.iter().map(|l| sizes[l]).collect();
            labels.iter().map(&position).zip(strides(&shape)).collect()
        })
        .collect();
    let out_dims: Vec<usize> = s.output.iter().map(|l| sizes[l]).collect();
    let sum_dims: Vec<usize> = contracted.iter().map(|l| sizes[*l]).collect();
    check_size(&out_dims)?;
    let n_out = s.output.len();
    // Without summation (no contracted or repeated labels) elements are copied
    // or multiplied; a diagonal is a sum (so `-0.0` becomes `0.0`).
    let plain = contracted.is_empty()
        && s.inputs.iter().all(|labels| {
            labels
                .iter()
                .enumerate()
                .all(|(i, l)| !labels[..i].contains(l))
        });
    let mut full = vec![0usize; all.len()];
    let mut out = Vec::with_capacity(out_dims.iter().product());
    let element = |k: usize, full: &[usize]| -> T {
        let offset: usize = walks[k].iter().map(|&(p, st)| full[p] * st).sum();
        data[k][offset]
    };
    for_each_index(&out_dims, |o| {
        full[..n_out].copy_from_slice(o);
        if plain {
            let mut v = element(0, &full);
            for k in 1..data.len() {
                v = v.mul(element(k, &full));
            }
            out.push(v);
            return;
        }
        let mut acc = T::acc_zero();
        for_each_index(&sum_dims, |c| {
            full[n_out..].copy_from_slice(c);
            let last = data.len() - 1;
            let mut p = element(0, &full);
            for k in 1..last {
                p = p.mul(element(k, &full));
            }
            acc = if last == 0 {
                T::acc_fma(acc, p, T::one())
            } else {
                T::acc_fma(acc, p, element(last, &full))
            };
        });
        out.push(T::acc_finish(acc));
    });
    Ok(T::wrap(from_vec(&out_dims, out)?))
}

/// `keras.ops.einsum(subscripts, *operands)`.
pub fn einsum(call: &OpCall) -> OpResult<Value> {
    if let Some(name) = call.kwargs.keys().next() {
        return Err(OpError::Unsupported(format!("einsum keyword `{name}`")));
    }
    let (subscripts, rest) = match call.args.split_first() {
        Some((Value::Str(s), rest)) => (s.as_str(), rest),
        Some(_) => {
            return Err(OpError::Unsupported(
                "einsum with operand/sublist arguments".into(),
            ))
        }
        None => {
            return Err(OpError::Type(
                "einsum() missing 1 required positional argument: 'subscripts'".into(),
            ))
        }
    };
    let operands = rest.iter().map(convert).collect::<OpResult<Vec<_>>>()?;
    if operands.is_empty() {
        return Err(OpError::Value("No input operands".into()));
    }
    let s = parse(subscripts, &operands)?;
    let sizes = label_sizes(&s, &operands)?;
    let all_int8 = operands.iter().all(|o| o.array.dtype() == DType::Int8);
    let dtype = if all_int8 {
        DType::Int32
    } else {
        let ops: Vec<Operand> = operands.iter().map(|o| o.operand).collect();
        promote(&ops)?
    };
    let arrays: Vec<Array> = operands.into_iter().map(|o| o.array.cast(dtype)).collect();
    tensor(with_dtype!(dtype, T => evaluate::<T>(&s, arrays, &sizes)?))
}
