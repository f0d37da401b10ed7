//! Programs: short sequences of calls whose results can be referred to, for
//! behaviors that involve state (`keras.random.SeedGenerator`, the global
//! generator, `set_random_seed`) and tracing (the guide's compiled-graph
//! pitfall).
//!
//! A program has `setup` steps, run once, and `body` steps, run `runs` times,
//! eagerly or as one traced (compiled) function. A step may bind its result to
//! a name (`let`); later steps refer to it with [`Value::Ref`]. The program's
//! result is a tuple of the results of every unbound step, in the order they
//! ran (setup first, then each run of the body). The first step that raises
//! ends the program with its error.
//!
//! Besides `keras.ops`/`keras.random` calls, steps may call the pseudo-ops in
//! [`PSEUDO_OPS`], which stand for Python-level code: constructing a
//! `SeedGenerator` and calling its methods, reading its state variable,
//! `keras.utils.set_random_seed`, a Python `int` counter the caller increments,
//! and the guide's `RandomNoiseLayer`. [`run`] interprets them for any Rust
//! backend, calling the backend only for real ops.

mod interp;
pub mod pyrandom;
pub mod seed_state;

use crate::call::OpCall;
use crate::value::Value;

pub use interp::{run, Tracing};
pub use seed_state::SeedDtype;

/// One step: a call, optionally bound to a name.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The name later steps use to refer to this step's result.
    pub bind: Option<String>,
    /// The call (arguments may hold [`Value::Ref`]s to earlier bindings).
    pub call: OpCall,
}

/// A program (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// Steps run once, eagerly, before the body (objects are created here).
    pub setup: Vec<Step>,
    /// Steps run `runs` times.
    pub body: Vec<Step>,
    /// How many times the body runs (at least 1).
    pub runs: usize,
    /// When true the body is traced once as a function (`jax.jit` on Keras
    /// with JAX) and the compiled function runs `runs` times, its variables
    /// (seed generator states) threaded through: Python-level values are
    /// fixed at trace time, as the guide warns.
    pub traced: bool,
}

/// `random.SeedGenerator(seed=None, name=None)`: a new generator (bind it).
pub const SEED_GENERATOR: &str = "random.SeedGenerator";
/// `random.SeedGenerator.next(generator, ordered=True)`: the state before advancing.
pub const SEED_GENERATOR_NEXT: &str = "random.SeedGenerator.next";
/// `random.SeedGenerator.state(generator)`: its state variable (bind it).
pub const SEED_GENERATOR_STATE: &str = "random.SeedGenerator.state";
/// `Variable.describe(variable)`: `{name, trainable, value}` of a variable.
pub const VARIABLE_DESCRIBE: &str = "Variable.describe";
/// `utils.set_random_seed(seed)`: `keras.utils.set_random_seed`.
pub const SET_RANDOM_SEED: &str = "utils.set_random_seed";
/// `program.counter(start=0)`: a Python `int` the caller increments (bind it).
pub const COUNTER: &str = "program.counter";
/// `program.next(counter)`: the counter's value, then `counter += 1` (Python code).
pub const COUNTER_NEXT: &str = "program.next";
/// `guide.RandomNoiseLayer(noise_rate, printed=True)`: the migration guide's
/// layer, as printed (which omits `shape`) or corrected (bind it).
pub const NOISE_LAYER: &str = "guide.RandomNoiseLayer";
/// `guide.RandomNoiseLayer.call(layer, inputs)`: `layer(inputs)`.
pub const NOISE_LAYER_CALL: &str = "guide.RandomNoiseLayer.call";

/// The pseudo-ops programs may call besides real ops, sorted.
pub const PSEUDO_OPS: &[&str] = &[
    VARIABLE_DESCRIBE,
    NOISE_LAYER,
    NOISE_LAYER_CALL,
    COUNTER,
    COUNTER_NEXT,
    SEED_GENERATOR,
    SEED_GENERATOR_NEXT,
    SEED_GENERATOR_STATE,
    SET_RANDOM_SEED,
];

/// Pseudo-ops whose result is an object, which a step must bind.
pub const CONSTRUCTORS: &[&str] = &[NOISE_LAYER, COUNTER, SEED_GENERATOR, SEED_GENERATOR_STATE];

/// Pseudo-ops a traced body may call.
const TRACEABLE: &[&str] = &[COUNTER_NEXT, NOISE_LAYER_CALL, SEED_GENERATOR_NEXT];

/// True for a pseudo-op.
pub fn is_pseudo_op(op: &str) -> bool {
    PSEUDO_OPS.contains(&op)
}

/// The positional index of the `seed` parameter of a seeded `keras.random`
/// op, or `None` for other ops.
pub fn seed_position(op: &str) -> Option<usize> {
    Some(match op {
        "random.shuffle" => 2,
        "random.categorical" | "random.dropout" | "random.gamma" => 3,
        "random.normal"
        | "random.uniform"
        | "random.truncated_normal"
        | "random.randint"
        | "random.binomial"
        | "random.beta" => 4,
        _ => return None,
    })
}

impl Program {
    /// Every step, setup first.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.setup.iter().chain(&self.body)
    }

    /// The real (non-pseudo) ops the program calls, plus those the pseudo-ops
    /// call on the backend (`guide.RandomNoiseLayer.call` adds and draws).
    pub fn backend_ops(&self) -> Vec<&str> {
        let mut ops = Vec::new();
        for s in self.steps() {
            let op = s.call.op.as_str();
            if op == NOISE_LAYER_CALL {
                ops.extend(["random.uniform", "add"]);
            } else if !is_pseudo_op(op) {
                ops.push(op);
            }
        }
        ops.sort_unstable();
        ops.dedup();
        ops
    }

    /// Static checks: every reference names an earlier binding, objects are
    /// bound, names are unique, nothing is constructed inside a traced body,
    /// and `runs` is at least 1. Each problem is one message.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.runs == 0 {
            problems.push("`runs` must be at least 1".to_string());
        }
        let mut names: Vec<&str> = Vec::new();
        for (part, steps) in [("setup", &self.setup), ("body", &self.body)] {
            for (i, s) in steps.iter().enumerate() {
                let at = format!("{part} step {} (`{}`)", i + 1, s.call.op);
                let mut refs = Vec::new();
                for v in s.call.args.iter().chain(s.call.kwargs.values()) {
                    collect_refs(v, &mut refs);
                }
                for r in refs {
                    if !names.contains(&r) {
                        problems.push(format!("{at}: `{r}` is not bound by an earlier step"));
                    }
                }
                let constructor = CONSTRUCTORS.contains(&s.call.op.as_str());
                if constructor && s.bind.is_none() {
                    problems.push(format!("{at}: its result is an object; bind it with `let`"));
                }
                if part == "body"
                    && self.traced
                    && !TRACEABLE.contains(&s.call.op.as_str())
                    && is_pseudo_op(&s.call.op)
                {
                    problems.push(format!(
                        "{at}: a traced body calls only ops, `{SEED_GENERATOR_NEXT}`, `{COUNTER_NEXT}` and `{NOISE_LAYER_CALL}` (objects are created in `setup`)"
                    ));
                }
                if let Some(name) = &s.bind {
                    if names.contains(&name.as_str()) {
                        problems.push(format!("{at}: `{name}` is bound twice"));
                    }
                    names.push(name);
                }
            }
        }
        problems
    }
}

fn collect_refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Ref(name) => out.push(name),
        Value::List(items) | Value::Tuple(items) => items.iter().for_each(|x| collect_refs(x, out)),
        Value::Dict(m) => m.values().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(bind: Option<&str>, op: &str, args: Vec<Value>) -> Step {
        Step {
            bind: bind.map(str::to_string),
            call: OpCall::new(op, args),
        }
    }

    #[test]
    fn pseudo_ops_are_sorted_and_seed_positions_known() {
        assert!(PSEUDO_OPS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(seed_position("random.normal"), Some(4));
        assert_eq!(seed_position("random.shuffle"), Some(2));
        assert_eq!(seed_position("add"), None);
    }

    #[test]
    fn problems_are_found() {
        let p = Program {
            setup: vec![step(None, SEED_GENERATOR, vec![Value::Int(1)])],
            body: vec![
                step(Some("g"), SEED_GENERATOR, vec![]),
                step(None, "random.normal", vec![Value::Ref("h".into())]),
            ],
            runs: 0,
            traced: true,
        };
        let text = p.problems().join("\n");
        assert!(text.contains("`runs` must be at least 1"), "{text}");
        assert!(text.contains("setup step 1 (`random.SeedGenerator`): its result is an object"));
        assert!(text.contains("body step 1 (`random.SeedGenerator`): a traced body calls only ops"));
        assert!(text.contains("body step 2 (`random.normal`): `h` is not bound"));
        assert_eq!(p.backend_ops(), vec!["random.normal"]);
    }
}
