//! A call of one `keras.ops` function.

use std::collections::BTreeMap;

use crate::error::BackendError;
use crate::value::Value;

/// `keras.ops.<op>(*args, **kwargs)`, with every argument as data.
#[derive(Clone, Debug, PartialEq)]
pub struct OpCall {
    /// The public `keras.ops` name, e.g. `"absolute"` or `"take_along_axis"`.
    pub op: String,
    /// Positional arguments.
    pub args: Vec<Value>,
    /// Keyword arguments.
    pub kwargs: BTreeMap<String, Value>,
}

impl OpCall {
    /// A call with positional arguments only.
    pub fn new(op: impl Into<String>, args: Vec<Value>) -> Self {
        OpCall {
            op: op.into(),
            args,
            kwargs: BTreeMap::new(),
        }
    }

    /// Adds a keyword argument.
    pub fn kwarg(mut self, name: impl Into<String>, value: Value) -> Self {
        self.kwargs.insert(name.into(), value);
        self
    }

    /// Positional argument `i`, or the keyword `name`, whichever is given.
    pub fn arg(&self, i: usize, name: &str) -> Option<&Value> {
        self.args.get(i).or_else(|| self.kwargs.get(name))
    }

    /// Binds the arguments to the Python signature `op(params...)`, whose first
    /// `required` parameters have no default: slot `i` holds the value given
    /// for `params[i]`, by position or by name. Extra, unknown, duplicate and
    /// missing arguments raise the `TypeError` Python raises, word for word.
    pub fn bind(
        &self,
        params: &[&str],
        required: usize,
    ) -> Result<Vec<Option<&Value>>, BackendError> {
        let op = self.op.as_str();
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        if self.args.len() > params.len() {
            let takes = if required == params.len() {
                plural(params.len(), "positional argument")
            } else {
                format!("from {required} to {} positional arguments", params.len())
            };
            let given = self.args.len();
            let verb = if given == 1 { "was" } else { "were" };
            return Err(BackendError::type_error(format!(
                "{op}() takes {takes} but {given} {verb} given"
            )));
        }
        let mut values: Vec<Option<&Value>> = (0..params.len()).map(|i| self.args.get(i)).collect();
        for (name, v) in &self.kwargs {
            match params.iter().position(|p| p == name) {
                None => {
                    return Err(BackendError::type_error(format!(
                        "{op}() got an unexpected keyword argument '{name}'"
                    )))
                }
                Some(i) if values[i].is_some() => {
                    return Err(BackendError::type_error(format!(
                        "{op}() got multiple values for argument '{name}'"
                    )))
                }
                Some(i) => values[i] = Some(v),
            }
        }
        let missing: Vec<String> = params[..required.min(params.len())]
            .iter()
            .zip(&values)
            .filter(|(_, v)| v.is_none())
            .map(|(p, _)| format!("'{p}'"))
            .collect();
        if let Some((last, rest)) = missing.split_last() {
            let names = if rest.is_empty() {
                last.clone()
            } else {
                format!("{} and {last}", rest.join(", "))
            };
            let what = plural(missing.len(), "required positional argument");
            return Err(BackendError::type_error(format!(
                "{op}() missing {what}: {names}"
            )));
        }
        Ok(values)
    }

    /// Every argument value, positional then keyword (in key order).
    pub fn all_args(&self) -> impl Iterator<Item = &Value> {
        self.args.iter().chain(self.kwargs.values())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(r: Result<Vec<Option<&Value>>, BackendError>) -> String {
        match r {
            Err(BackendError::Raised { kind, message }) => format!("{kind}: {message}"),
            other => format!("{other:?}"),
        }
    }

    /// Messages as CPython 3.11 prints them for `def sum(x, axis=None, keepdims=False)`.
    #[test]
    fn binds_like_python() {
        let p = ["x", "axis", "keepdims"];
        let c = OpCall::new("sum", vec![Value::Int(1)]).kwarg("keepdims", Value::Bool(true));
        assert_eq!(
            c.bind(&p, 1).unwrap(),
            vec![Some(&Value::Int(1)), None, Some(&Value::Bool(true))]
        );
        let c = OpCall::new("sum", vec![Value::None; 4]);
        assert_eq!(
            msg(c.bind(&p, 1)),
            "TypeError: sum() takes from 1 to 3 positional arguments but 4 were given"
        );
        let c = OpCall::new("sum", vec![]).kwarg("axes", Value::None);
        assert_eq!(
            msg(c.bind(&p, 1)),
            "TypeError: sum() got an unexpected keyword argument 'axes'"
        );
        let c = OpCall::new("sum", vec![Value::None]).kwarg("x", Value::None);
        assert_eq!(
            msg(c.bind(&p, 1)),
            "TypeError: sum() got multiple values for argument 'x'"
        );
        let c = OpCall::new("arctan2", vec![]);
        assert_eq!(
            msg(c.bind(&["x1", "x2"], 2)),
            "TypeError: arctan2() missing 2 required positional arguments: 'x1' and 'x2'"
        );
        let c = OpCall::new("f", vec![Value::None, Value::None]);
        assert_eq!(
            msg(c.bind(&["x"], 1)),
            "TypeError: f() takes 1 positional argument but 2 were given"
        );
    }
}
