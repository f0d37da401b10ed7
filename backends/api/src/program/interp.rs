//! Runs a [`Program`] for a Rust backend: pseudo-ops here, real ops through
//! the backend's `call`, seeds drawn from generators as Keras's `draw_seed`
//! draws them.

use std::collections::BTreeMap;

use super::pyrandom::PyRandom;
use super::seed_state::SeedDtype;
use super::*;
use crate::error::BackendError;
use crate::python::py_str;
use crate::value::Value;

/// How a backend runs a traced body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tracing {
    /// Like `jax.jit` with Keras's stateless scope: Python-level code (a
    /// counter's `next`) runs once, at trace time, and its values are baked
    /// into the compiled function; seed generator states are threaded through
    /// every run; unseeded random ops raise Keras's `[JAX RNG]` error.
    Jit,
    /// The backend has no tracing: traced programs are unsupported.
    None,
}

/// What a name is bound to.
#[derive(Clone, Debug)]
enum Slot {
    Value(Value),
    Generator(usize),
    StateVariable(usize),
    Counter(i64),
    Layer {
        noise_rate: Value,
        printed: bool,
        generator: usize,
    },
}

/// The program's state: bindings, generators, Python's `random`, Keras's
/// global generator.
struct Env<'c> {
    seed: SeedDtype,
    names: BTreeMap<String, Slot>,
    generators: Vec<[u32; 2]>,
    global: Option<usize>,
    python: Option<PyRandom>,
    call: &'c mut dyn FnMut(&OpCall) -> Result<Value, BackendError>,
}

const JAX_RNG_ERROR: &str = "[JAX RNG] When tracing a JAX function, you should only use seeded random ops, \
     e.g. you should create a `SeedGenerator` instance, attach it to your layer/model, and pass the instance \
     as the `seed` argument when calling random ops. Unseeded random ops would get incorrectly traced by JAX \
     and would become constant after tracing.";

/// Runs `program` with seed state in `seed`'s dtype, calling `call` for real
/// ops. Each program starts as a fresh Keras process does: no global seed
/// generator yet, Python's `random` unseeded.
pub fn run(
    program: &Program,
    seed: SeedDtype,
    tracing: Tracing,
    call: &mut dyn FnMut(&OpCall) -> Result<Value, BackendError>,
) -> Result<Value, BackendError> {
    if let Some(p) = program.problems().first() {
        return Err(BackendError::Internal(format!("invalid program: {p}")));
    }
    if program.traced && tracing == Tracing::None {
        return Err(BackendError::Unsupported("traced programs".into()));
    }
    let mut env = Env {
        seed,
        names: BTreeMap::new(),
        generators: Vec::new(),
        global: None,
        python: None,
        call,
    };
    let mut outputs = Vec::new();
    for s in &program.setup {
        env.step(s, false, &mut outputs)?;
    }
    // Python-level results of the traced body, fixed at trace time (run 0).
    let mut baked: BTreeMap<usize, Slot> = BTreeMap::new();
    for run in 0..program.runs {
        for (i, s) in program.body.iter().enumerate() {
            if program.traced && s.call.op == COUNTER_NEXT {
                if run == 0 {
                    let v = env.eval(s, true)?;
                    baked.insert(i, v);
                }
                let v = baked[&i].clone();
                env.finish(s, v, &mut outputs);
                continue;
            }
            env.step(s, program.traced, &mut outputs)?;
        }
    }
    Ok(Value::Tuple(outputs))
}

impl Env<'_> {
    fn step(
        &mut self,
        s: &Step,
        traced: bool,
        outputs: &mut Vec<Value>,
    ) -> Result<(), BackendError> {
        let slot = self.eval(s, traced)?;
        self.finish(s, slot, outputs);
        Ok(())
    }

    fn finish(&mut self, s: &Step, slot: Slot, outputs: &mut Vec<Value>) {
        match (&s.bind, slot) {
            (Some(name), slot) => {
                self.names.insert(name.clone(), slot);
            }
            (None, Slot::Value(v)) => outputs.push(v),
            // `problems()` makes constructors bind their objects.
            (None, _) => {}
        }
    }

    fn python(&mut self) -> &mut PyRandom {
        self.python.get_or_insert_with(PyRandom::from_entropy)
    }

    fn new_generator(&mut self, seed: &Value) -> Result<usize, BackendError> {
        let seed = match seed {
            Value::None => Value::Int(self.python().make_default_seed()),
            other => other.clone(),
        };
        self.generators.push(self.seed.initial(&seed)?);
        Ok(self.generators.len() - 1)
    }

    /// `generator.next(ordered)`: the state before advancing.
    fn draw(&mut self, g: usize, ordered: bool) -> [u32; 2] {
        let state = self.generators[g];
        self.generators[g] = if ordered {
            self.seed.ordered(state)
        } else {
            self.seed.unordered(state)
        };
        state
    }

    fn slot(&self, v: Option<&Value>, what: &str) -> Result<Slot, BackendError> {
        match v {
            Some(Value::Ref(name)) => self
                .names
                .get(name)
                .cloned()
                .ok_or_else(|| BackendError::Internal(format!("`{name}` is not bound"))),
            _ => Err(BackendError::type_error(format!("expected {what}"))),
        }
    }

    fn generator(&self, v: Option<&Value>) -> Result<usize, BackendError> {
        match self.slot(v, "a SeedGenerator")? {
            Slot::Generator(g) => Ok(g),
            _ => Err(BackendError::type_error("expected a SeedGenerator")),
        }
    }

    fn eval(&mut self, s: &Step, traced: bool) -> Result<Slot, BackendError> {
        let c = &s.call;
        match c.op.as_str() {
            SEED_GENERATOR => {
                let a = c.bind(&["seed", "name"], 0)?;
                let g = self.new_generator(a[0].unwrap_or(&Value::None))?;
                Ok(Slot::Generator(g))
            }
            SEED_GENERATOR_NEXT => {
                let a = c.bind(&["self", "ordered"], 1)?;
                let g = self.generator(a[0])?;
                let ordered = !matches!(a[1], Some(Value::Bool(false)));
                let state = self.draw(g, ordered);
                Ok(Slot::Value(Value::Tensor(self.seed.tensor(state))))
            }
            SEED_GENERATOR_STATE => {
                let a = c.bind(&["self"], 1)?;
                Ok(Slot::StateVariable(self.generator(a[0])?))
            }
            VARIABLE_DESCRIBE => {
                let a = c.bind(&["variable"], 1)?;
                let Slot::StateVariable(g) = self.slot(a[0], "a Variable")? else {
                    return Err(BackendError::type_error("expected a Variable"));
                };
                let mut d = BTreeMap::new();
                d.insert("name".into(), Value::Str("seed_generator_state".into()));
                d.insert("trainable".into(), Value::Bool(false));
                d.insert(
                    "value".into(),
                    Value::Tensor(self.seed.tensor(self.generators[g])),
                );
                Ok(Slot::Value(Value::Dict(d)))
            }
            SET_RANDOM_SEED => {
                let a = c.bind(&["seed"], 1)?;
                match a[0] {
                    Some(Value::Int(i)) => {
                        // random.seed and the global reset happen before
                        // np.random.seed rejects a seed outside uint32.
                        self.python = Some(PyRandom::seeded(*i));
                        self.global = None;
                        if u32::try_from(*i).is_err() {
                            return Err(BackendError::value_error(
                                "Seed must be between 0 and 2**32 - 1",
                            ));
                        }
                        Ok(Slot::Value(Value::None))
                    }
                    Some(other) => Err(BackendError::value_error(format!(
                        "Expected `seed` argument to be an integer. Received: seed={} (of type <class '{}'>)",
                        py_str(other),
                        crate::python::py_type_name(other)
                    ))),
                    None => Err(BackendError::Internal("bind".into())),
                }
            }
            COUNTER => {
                let a = c.bind(&["start"], 0)?;
                match a[0] {
                    None => Ok(Slot::Counter(0)),
                    Some(Value::Int(i)) => Ok(Slot::Counter(*i)),
                    Some(_) => Err(BackendError::type_error("a counter starts at an int")),
                }
            }
            COUNTER_NEXT => {
                let a = c.bind(&["counter"], 1)?;
                let (Some(Value::Ref(name)), Slot::Counter(n)) =
                    (a[0], self.slot(a[0], "a counter")?)
                else {
                    return Err(BackendError::type_error("expected a counter"));
                };
                self.names.insert(name.clone(), Slot::Counter(n + 1));
                Ok(Slot::Value(Value::Int(n)))
            }
            NOISE_LAYER => {
                let a = c.bind(&["noise_rate", "printed"], 1)?;
                let noise_rate = a[0].cloned().unwrap_or(Value::None);
                let printed = !matches!(a[1], Some(Value::Bool(false)));
                let generator = self.new_generator(&Value::Int(1337))?;
                Ok(Slot::Layer {
                    noise_rate,
                    printed,
                    generator,
                })
            }
            NOISE_LAYER_CALL => self.call_noise_layer(c),
            _ => {
                let call = self.resolve(c, traced)?;
                (self.call)(&call).map(Slot::Value)
            }
        }
    }

    /// The guide's `RandomNoiseLayer.call(inputs)`: as printed, `uniform` is
    /// called without its required `shape` (a `TypeError`, which Keras's
    /// `Layer.__call__` wraps); corrected, with `shape=ops.shape(inputs)`.
    fn call_noise_layer(&mut self, c: &OpCall) -> Result<Slot, BackendError> {
        let a = c.bind(&["self", "inputs"], 2)?;
        let Slot::Layer {
            noise_rate,
            printed,
            generator,
        } = self.slot(a[0], "a RandomNoiseLayer")?
        else {
            return Err(BackendError::type_error("expected a RandomNoiseLayer"));
        };
        if printed {
            return Err(BackendError::type_error(
                "Exception encountered when calling RandomNoiseLayer.call().\n\n\
                 uniform() missing 1 required positional argument: 'shape'",
            ));
        }
        let inputs = self.substitute(a[1].unwrap_or(&Value::None))?;
        let Value::Tensor(x) = &inputs else {
            return Err(BackendError::Unsupported(
                "RandomNoiseLayer inputs that are not tensors".into(),
            ));
        };
        let shape = Value::Tuple(x.shape().iter().map(|&d| Value::Int(d as i64)).collect());
        let seed = Value::Seed(self.draw(generator, true));
        let uniform = OpCall::new("random.uniform", vec![shape])
            .kwarg("minval", Value::Int(0))
            .kwarg("maxval", noise_rate)
            .kwarg("seed", seed);
        let noise = (self.call)(&uniform)?;
        (self.call)(&OpCall::new("add", vec![inputs, noise])).map(Slot::Value)
    }

    /// Replaces references by the values bound to them.
    fn substitute(&self, v: &Value) -> Result<Value, BackendError> {
        Ok(match v {
            Value::Ref(_) => match self.slot(Some(v), "a value")? {
                Slot::Value(x) => x,
                _ => {
                    return Err(BackendError::Unsupported(format!(
                        "an object ({}) as an op argument",
                        crate::python::py_repr(v)
                    )))
                }
            },
            Value::List(items) => Value::List(
                items
                    .iter()
                    .map(|x| self.substitute(x))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Tuple(items) => Value::Tuple(
                items
                    .iter()
                    .map(|x| self.substitute(x))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Dict(m) => Value::Dict(
                m.iter()
                    .map(|(k, x)| Ok((k.clone(), self.substitute(x)?)))
                    .collect::<Result<_, BackendError>>()?,
            ),
            other => other.clone(),
        })
    }

    /// The call with references substituted and, for a seeded random op, the
    /// seed drawn as `draw_seed` draws it: a generator's `next()`, or for no
    /// seed the global generator's `next(ordered=False)`.
    fn resolve(&mut self, c: &OpCall, traced: bool) -> Result<OpCall, BackendError> {
        let mut out = c.clone();
        let seed_at = seed_position(&c.op);
        let in_kwargs = c.kwargs.contains_key("seed");
        if let Some(p) = seed_at {
            let given = if in_kwargs {
                c.kwargs.get("seed")
            } else {
                c.args.get(p)
            };
            let drawn = match given {
                Some(Value::Ref(_)) => match self.slot(given, "a seed")? {
                    Slot::Generator(g) => Some(Value::Seed(self.draw(g, true))),
                    _ => None,
                },
                None | Some(Value::None) => {
                    if traced {
                        return Err(BackendError::value_error(JAX_RNG_ERROR));
                    }
                    let g = match self.global {
                        Some(g) => g,
                        None => {
                            let g = self.new_generator(&Value::None)?;
                            self.global = Some(g);
                            g
                        }
                    };
                    Some(Value::Seed(self.draw(g, false)))
                }
                Some(_) => None,
            };
            if let Some(seed) = drawn {
                if in_kwargs || c.args.len() <= p {
                    out.kwargs.insert("seed".into(), seed);
                } else {
                    out.args[p] = seed;
                }
            }
        }
        out.args = out
            .args
            .iter()
            .map(|v| self.substitute(v))
            .collect::<Result<_, _>>()?;
        out.kwargs = out
            .kwargs
            .iter()
            .map(|(k, v)| Ok((k.clone(), self.substitute(v)?)))
            .collect::<Result<_, BackendError>>()?;
        Ok(out)
    }
}
