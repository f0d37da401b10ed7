//! A call of one `keras.ops` function.

use std::collections::BTreeMap;

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

    /// Every argument value, positional then keyword (in key order).
    pub fn all_args(&self) -> impl Iterator<Item = &Value> {
        self.args.iter().chain(self.kwargs.values())
    }
}
