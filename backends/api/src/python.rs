//! How Python prints values, for error messages that match Keras word for word:
//! `repr(x)`, `repr(float)` and `type(x).__name__`.

use crate::tensor::Scalar;
use crate::value::Value;

/// Python's `repr` of a value, for error messages.
pub fn py_repr(v: &Value) -> String {
    let seq = |items: &[Value]| items.iter().map(py_repr).collect::<Vec<_>>();
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => py_float_repr(*f),
        Value::Str(s) => format!("'{s}'"),
        Value::List(items) => format!("[{}]", seq(items).join(", ")),
        Value::Tuple(items) if items.len() == 1 => format!("({},)", py_repr(&items[0])),
        Value::Tuple(items) => format!("({})", seq(items).join(", ")),
        Value::Dict(m) => {
            let kv: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("'{k}': {}", py_repr(v)))
                .collect();
            format!("{{{}}}", kv.join(", "))
        }
        Value::Tensor(t) if t.rank() <= 1 => {
            // NumPy's `str` of a small array: `[1 2 3]`.
            let items: Vec<String> = (0..t.len())
                .map(|i| match t.scalar(i) {
                    Scalar::Bool(b) => if b { "True" } else { "False" }.to_string(),
                    Scalar::Int(v) => v.to_string(),
                    Scalar::Float(f) => py_float_repr(f),
                })
                .collect();
            if t.rank() == 0 {
                items.concat()
            } else {
                format!("[{}]", items.join(" "))
            }
        }
        Value::Tensor(t) => format!("Array(shape={:?}, dtype={})", t.shape(), t.dtype()),
        Value::Spec(s) => format!("KerasTensor(shape={:?}, dtype={})", s.shape, s.dtype),
        Value::Ref(name) => format!("<{name}>"),
        Value::Seed(w) => format!("[{} {}]", w[0], w[1]),
    }
}

/// Python's `str` of a value, as an f-string prints it (`{seed}`): a string
/// bare, anything else as its `repr`.
pub fn py_str(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        other => py_repr(other),
    }
}

/// Python's `repr` of a float: shortest round-trip digits, `1e-05`, `inf`, `nan`.
pub fn py_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let s = format!("{f:?}");
    match s.split_once('e') {
        Some((m, e)) => {
            let (sign, digits) = e.strip_prefix('-').map_or(("+", e), |d| ("-", d));
            format!("{m}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

/// Python's class name of a value, as `type(x).__name__` prints it.
pub fn py_type_name(v: &Value) -> &'static str {
    match v {
        Value::None => "NoneType",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::Str(_) => "str",
        Value::List(_) => "list",
        Value::Tuple(_) => "tuple",
        Value::Dict(_) => "dict",
        Value::Tensor(_) => "ndarray",
        Value::Spec(_) => "KerasTensor",
        Value::Ref(_) => "object",
        Value::Seed(_) => "Array",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprs_follow_python() {
        assert_eq!(py_float_repr(1e300), "1e+300");
        assert_eq!(py_float_repr(1.0), "1.0");
        assert_eq!(py_float_repr(1e-5), "1e-05");
        assert_eq!(py_float_repr(f64::NEG_INFINITY), "-inf");
        assert_eq!(py_repr(&Value::Tuple(vec![Value::Int(0)])), "(0,)");
        assert_eq!(
            py_repr(&Value::List(vec![Value::Bool(true), Value::None])),
            "[True, None]"
        );
        assert_eq!(py_type_name(&Value::None), "NoneType");
    }
}
