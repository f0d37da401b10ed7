//! Keras 3's dtype promotion (`keras.backend.result_type`), ported from
//! `keras/src/backend/common/dtypes.py` (3.15.1) for the non-TensorFlow backends.
//!
//! Promotion is the least upper bound on a JAX-like lattice in which Python
//! `int` and `float` are *weak* nodes: `int8 + 1` stays `int8`. After
//! promotion, the non-TF backends narrow 64-bit results: `int64 → int32`,
//! `uint64 → uint32`, `float64 → float32`.

use crate::dtype::DType;

/// One input to [`result_type`]: a tensor dtype, or a weak Python scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    /// A tensor (or explicit dtype): strong.
    Strong(DType),
    /// A Python `int`: weak.
    WeakInt,
    /// A Python `float`: weak.
    WeakFloat,
}

impl From<DType> for Operand {
    fn from(d: DType) -> Self {
        Operand::Strong(d)
    }
}

/// Lattice nodes: every dtype plus the weak `int`/`float` and complex nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Node {
    B1,
    U1,
    U2,
    U4,
    U8,
    I1,
    I2,
    I4,
    I8,
    IntW,
    FloatW,
    Bf,
    F2,
    F4,
    F8,
    C64,
    C128,
}

const NODES: [Node; 17] = [
    Node::B1,
    Node::U1,
    Node::U2,
    Node::U4,
    Node::U8,
    Node::I1,
    Node::I2,
    Node::I4,
    Node::I8,
    Node::IntW,
    Node::FloatW,
    Node::Bf,
    Node::F2,
    Node::F4,
    Node::F8,
    Node::C64,
    Node::C128,
];

/// The immediate successors of each node (`_type_promotion_lattice`).
fn successors(n: Node) -> &'static [Node] {
    use Node::*;
    match n {
        B1 => &[IntW],
        U1 => &[I2, U2],
        U2 => &[I4, U4],
        U4 => &[I8, U8],
        U8 => &[FloatW],
        IntW => &[U1, I1, C64],
        I1 => &[I2],
        I2 => &[I4],
        I4 => &[I8],
        I8 => &[FloatW],
        FloatW => &[Bf, F2],
        Bf => &[F4],
        F2 => &[F4],
        F4 => &[F8, C64],
        F8 => &[C128],
        C64 => &[C128],
        C128 => &[],
    }
}

/// Bit set of nodes, indexed by position in [`NODES`].
type Set = u32;

fn bit(n: Node) -> Set {
    1 << NODES
        .iter()
        .position(|&m| m == n)
        .expect("every node is listed")
}

/// All nodes at or above `n` (reflexive-transitive closure).
fn upper_bounds(n: Node) -> Set {
    let mut set = bit(n);
    let mut stack = vec![n];
    while let Some(m) = stack.pop() {
        for &s in successors(m) {
            if set & bit(s) == 0 {
                set |= bit(s);
                stack.push(s);
            }
        }
    }
    set
}

fn node_of(d: DType) -> Node {
    match d {
        DType::Bool => Node::B1,
        DType::Uint8 => Node::U1,
        DType::Uint16 => Node::U2,
        DType::Uint32 => Node::U4,
        DType::Uint64 => Node::U8,
        DType::Int8 => Node::I1,
        DType::Int16 => Node::I2,
        DType::Int32 => Node::I4,
        DType::Int64 => Node::I8,
        DType::Bfloat16 => Node::Bf,
        DType::Float16 => Node::F2,
        DType::Float32 => Node::F4,
        DType::Float64 => Node::F8,
    }
}

/// Why no result dtype exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromotionError {
    /// The inputs promote to a complex dtype, which kconform does not model yet.
    #[error("inputs {0:?} promote to a complex dtype")]
    Complex(Vec<Operand>),
    /// No unique least upper bound (cannot happen on Keras's lattice).
    #[error("inputs {0:?} have no unique promotion")]
    NoUniqueBound(Vec<Operand>),
}

/// The least upper bound of a set of nodes (`_least_upper_bound`).
fn least_upper_bound(nodes: Set) -> Option<Node> {
    let members: Vec<Node> = NODES
        .iter()
        .copied()
        .filter(|&n| nodes & bit(n) != 0)
        .collect();
    let common = members
        .iter()
        .fold(Set::MAX, |acc, &n| acc & upper_bounds(n));
    let lub = if common & nodes != 0 {
        common & nodes
    } else {
        NODES
            .iter()
            .filter(|&&c| common & bit(c) != 0 && common & !upper_bounds(c) == 0)
            .fold(0, |acc, &c| acc | bit(c))
    };
    if lub.count_ones() == 1 {
        NODES.iter().copied().find(|&n| lub & bit(n) != 0)
    } else {
        None
    }
}

/// Narrows 64-bit dtypes as the non-TensorFlow backends do (`BIT64_TO_BIT32_DTYPE`).
pub fn downcast_64(d: DType) -> DType {
    match d {
        DType::Int64 => DType::Int32,
        DType::Uint64 => DType::Uint32,
        DType::Float64 => DType::Float32,
        other => other,
    }
}

/// `keras.backend.result_type(*operands)` on a non-TF backend with
/// `floatx() == "float32"`. With no operands the result is `float32` (floatx).
pub fn result_type(operands: &[Operand]) -> Result<DType, PromotionError> {
    // A weak Python int is `int32` and a weak float `float32` before weakness
    // is taken into account (`standardize_dtype(int)` on non-TF backends).
    let strong_of = |o: Operand| match o {
        Operand::Strong(d) => node_of(d),
        Operand::WeakInt => Node::I4,
        Operand::WeakFloat => Node::F4,
    };
    let weak_node = |o: Operand| match o {
        Operand::Strong(d) => node_of(d),
        Operand::WeakInt => Node::IntW,
        Operand::WeakFloat => Node::FloatW,
    };
    let is_weak = |o: &Operand| !matches!(o, Operand::Strong(_));
    let (out, out_weak) = match operands {
        [] => return Ok(DType::Float32),
        [one] => (strong_of(*one), is_weak(one)),
        _ => {
            let first = strong_of(operands[0]);
            let all_same = operands.iter().all(|&o| strong_of(o) == first);
            let all_weak = operands.iter().all(is_weak);
            if all_same && !all_weak {
                (first, false)
            } else if all_weak {
                let set = operands.iter().fold(0, |acc, &o| acc | bit(strong_of(o)));
                let lub = least_upper_bound(set)
                    .ok_or_else(|| PromotionError::NoUniqueBound(operands.to_vec()))?;
                (lub, true)
            } else {
                let set = operands.iter().fold(0, |acc, &o| acc | bit(weak_node(o)));
                let lub = least_upper_bound(set)
                    .ok_or_else(|| PromotionError::NoUniqueBound(operands.to_vec()))?;
                (lub, matches!(lub, Node::IntW | Node::FloatW))
            }
        }
    };
    let out_weak = out != Node::B1 && out_weak;
    let resolved = if out_weak {
        // `_resolve_weak_type` with precision "32".
        match out {
            Node::B1 => DType::Bool,
            Node::U1 | Node::U2 | Node::U4 | Node::U8 => DType::Uint32,
            Node::I1 | Node::I2 | Node::I4 | Node::I8 | Node::IntW => DType::Int32,
            Node::C64 | Node::C128 => return Err(PromotionError::Complex(operands.to_vec())),
            _ => DType::Float32,
        }
    } else {
        match out {
            Node::B1 => DType::Bool,
            Node::U1 => DType::Uint8,
            Node::U2 => DType::Uint16,
            Node::U4 => DType::Uint32,
            Node::U8 => DType::Uint64,
            Node::I1 => DType::Int8,
            Node::I2 => DType::Int16,
            Node::I4 => DType::Int32,
            Node::I8 => DType::Int64,
            Node::IntW => DType::Int32,
            Node::FloatW => DType::Float32,
            Node::Bf => DType::Bfloat16,
            Node::F2 => DType::Float16,
            Node::F4 => DType::Float32,
            Node::F8 => DType::Float64,
            Node::C64 | Node::C128 => return Err(PromotionError::Complex(operands.to_vec())),
        }
    };
    Ok(downcast_64(resolved))
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;
    use Operand::{Strong as S, WeakFloat, WeakInt};

    fn rt(ops: &[Operand]) -> DType {
        result_type(ops).unwrap()
    }

    /// The promotions measured on real Keras 3.15.1 (shared/keras-facts.md).
    #[test]
    fn measured_on_keras_3_15_1() {
        assert_eq!(rt(&[S(Int8), S(Uint8)]), Int16);
        assert_eq!(rt(&[S(Int64), S(Uint64)]), Float32);
        assert_eq!(rt(&[S(Int8), WeakInt]), Int8);
        assert_eq!(rt(&[S(Int32), WeakFloat]), Float32);
        assert_eq!(rt(&[S(Bfloat16), S(Float16)]), Float32);
        assert_eq!(rt(&[S(Bfloat16), WeakInt]), Bfloat16);
        assert_eq!(rt(&[S(Float16), WeakFloat]), Float16);
        assert_eq!(rt(&[S(Bool), WeakInt]), Int32);
        assert_eq!(rt(&[S(Int64), S(Int64)]), Int32);
        assert_eq!(rt(&[S(Float64)]), Float32);
    }

    #[test]
    fn other_lattice_corners() {
        assert_eq!(rt(&[]), Float32);
        assert_eq!(rt(&[S(Bool), S(Bool)]), Bool);
        assert_eq!(rt(&[S(Uint8), S(Uint16)]), Uint16);
        assert_eq!(rt(&[S(Uint32), S(Int32)]), Int32); // int64 narrowed
        assert_eq!(rt(&[S(Int32), S(Float16)]), Float16);
        assert_eq!(rt(&[S(Uint8), WeakFloat]), Float32);
        assert_eq!(rt(&[WeakInt, WeakFloat]), Float32);
        assert_eq!(rt(&[WeakInt]), Int32);
        assert_eq!(rt(&[S(Uint8), WeakInt]), Uint8);
    }
}
