//! The `keras.random` ops that draw from a seeded `torch.Generator`
//! (`keras/src/backend/torch/random.py`, 3.15.1): normal, uniform, randint,
//! truncated_normal and categorical. Each follows its Keras function's order
//! of steps, so that the first failing step raises its error.

use kconform_api::python::py_repr;
use kconform_api::{BackendError, DType, OpCall, Value};
use tch::{Kind, Tensor};

use super::params::{float_dtype, number, py_scalar, shape_arg, torch_arg_type};
use super::seed::{seed_of, seeded};
use crate::args::{bind, py_int};
use crate::error::TorchResult;
use crate::keras::{cast, dtype_arg, output, tensor, to_torch_dtype, Ctx, R};
use crate::shim::{wrapped_number, PyScalar};

/// `keras.random.normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None)`:
/// `torch.normal(mean, stddev, size=shape, generator=g, dtype=dtype)`.
pub fn normal(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "mean", "stddev", "dtype", "seed"], 1)?;
    let kind = to_torch_dtype(float_dtype(a.opt(3))?)?;
    let seed = seed_of(a.get(4))?;
    let shape = shape_arg(
        a.req(0),
        "normal(): argument 'size' must be tuple of ints, not int",
    )?;
    let mean = a
        .opt(1)
        .map(|v| number(v, "mean"))
        .transpose()?
        .unwrap_or(0.0);
    let std = a
        .opt(2)
        .map(|v| number(v, "stddev"))
        .transpose()?
        .unwrap_or(1.0);
    let x = seeded(seed, || draw_normal(ctx, &shape, mean, std, kind))?;
    output(&x)
}

fn draw_normal(ctx: Ctx, shape: &[i64], mean: f64, std: f64, kind: Kind) -> R<Tensor> {
    let mut x = Tensor::f_empty(shape, (kind, ctx.device)).py()?;
    x.f_normal_(mean, std).py()
}

/// `keras.random.uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None)`:
/// `(maxval - minval) * torch.rand(shape, generator=g) + minval`, a `()` shape
/// drawn as `(1,)` and indexed.
pub fn uniform(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "minval", "maxval", "dtype", "seed"], 1)?;
    let dtype = float_dtype(a.opt(3))?;
    if !dtype.is_float() {
        return Err(BackendError::value_error(format!(
            "`keras.random.uniform` requires a floating point `dtype`. Received: dtype={dtype} "
        )));
    }
    let kind = to_torch_dtype(dtype)?;
    // `len(shape)` comes first.
    let requested = shape_arg(a.req(0), "object of type 'int' has no len()")?;
    let shape = if requested.is_empty() {
        vec![1]
    } else {
        requested.clone()
    };
    let min = a.opt(1).cloned().unwrap_or(Value::Float(0.0));
    let max = a.opt(2).cloned().unwrap_or(Value::Float(1.0));
    let seed = seed_of(a.get(4))?;
    let r = seeded(seed, || Tensor::f_rand(&shape[..], (kind, ctx.device)).py())?;
    // Python computes `maxval - minval` first: int - int stays an int.
    let span = match (&min, &max) {
        (Value::Int(lo), Value::Int(hi)) => PyScalar::Int(hi - lo),
        _ => PyScalar::Float(number(&max, "maxval")? - number(&min, "minval")?),
    };
    let scaled = r.f_mul(&wrapped_number(span)?).py()?;
    let out = scaled
        .f_add(&wrapped_number(py_scalar(&min, "minval")?)?)
        .py()?;
    let out = if requested.is_empty() {
        out.f_get(0).py()?
    } else {
        out
    };
    output(&out)
}

/// `keras.random.randint(shape, minval, maxval, dtype="int32", seed=None)`:
/// `torch.randint(low, high, size, generator=g, dtype=dtype)`.
pub fn randint(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "minval", "maxval", "dtype", "seed"], 3)?;
    let dtype = match a.opt(3) {
        None => DType::Int32,
        Some(v) => dtype_arg(v)?,
    };
    if !dtype.is_integer() {
        return Err(BackendError::value_error(format!(
            "`keras.random.randint` requires an integer `dtype`. Received: dtype={dtype} "
        )));
    }
    let kind = to_torch_dtype(dtype)?;
    let seed = seed_of(a.get(4))?;
    let shape = shape_arg(
        a.req(0),
        &randint_overloads_error(torch_arg_type(a.req(1)), torch_arg_type(a.req(2))),
    )?;
    let bound = |i: usize, what: &str| {
        py_int(a.req(i)).ok_or_else(|| {
            BackendError::Unsupported(format!("`{what}` given as a {}", a.req(i).kind()))
        })
    };
    let (low, high) = (bound(1, "minval")?, bound(2, "maxval")?);
    let x = seeded(seed, || {
        Tensor::f_randint_low(low, high, &shape[..], (kind, ctx.device)).py()
    })?;
    output(&x)
}

/// PyTorch's argument-parser `TypeError` for Keras's `torch.randint(low=,
/// high=, size=<int>, generator=, dtype=, device=)` call: no overload takes an
/// int `size`.
fn randint_overloads_error(low: &str, high: &str) -> String {
    const TAIL: &str = "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, \
                        torch.device device = None, bool pin_memory = False, \
                        bool requires_grad = False)";
    const GENERATOR: &str = "torch.Generator generator, ";
    format!(
        "randint() received an invalid combination of arguments - got (device=str, \
         dtype=torch.dtype, generator=torch._C.Generator, size=int, high={high}, low={low}, ), \
         but expected one of:\n \
         * (int high, tuple of ints size, *, {GENERATOR}{TAIL}\n \
         * (int high, tuple of ints size, *, {TAIL}\n \
         * (int low, int high, tuple of ints size, *, {GENERATOR}{TAIL}\n \
         * (int low, int high, tuple of ints size, *, {TAIL}\n"
    )
}

/// `keras.random.truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None)`:
/// four normals per element, the first inside (-2, 2) picked (the first
/// maximum of the validity mask, as `valid.max(-1)` returns), then scaled in place.
pub fn truncated_normal(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["shape", "mean", "stddev", "dtype", "seed"], 1)?;
    let kind = to_torch_dtype(float_dtype(a.opt(3))?)?;
    // `tuple(shape) + (4,)` comes first.
    let shape = shape_arg(a.req(0), "'int' object is not iterable")?;
    let mean = a.opt(1).cloned().unwrap_or(Value::Float(0.0));
    let std = a.opt(2).cloned().unwrap_or(Value::Float(1.0));
    let seed = seed_of(a.get(4))?;
    let mut wide = shape.clone();
    wide.push(4);
    let x = seeded(seed, || draw_normal(ctx, &wide, 0.0, 1.0, kind))?;
    let valid = x.f_gt(-2.0).py()?.f_logical_and(&x.f_lt(2.0).py()?).py()?;
    let (_, indexes) = valid.f_max_dim(-1, true).py()?;
    let picked = x
        .f_gather(-1, &indexes, false)
        .py()?
        .f_squeeze_dim(-1)
        .py()?;
    let out = picked
        .f_mul(&wrapped_number(py_scalar(&std, "stddev")?)?)
        .py()?
        .f_add(&wrapped_number(py_scalar(&mean, "mean")?)?)
        .py()?;
    output(&out)
}

/// `keras.random.categorical(logits, num_samples, dtype="int32", seed=None)`:
/// `torch.multinomial(softmax(logits), num_samples, replacement=True)`.
pub fn categorical(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(call, &["logits", "num_samples", "dtype", "seed"], 2)?;
    let logits = tensor(ctx, a.req(0))?;
    if logits.dim() != 2 {
        return Err(BackendError::value_error(format!(
            "`logits` should be a 2-D tensor with shape [batch_size, num_classes]. \
             Received: logits={}",
            py_repr(a.req(0))
        )));
    }
    let dtype = match a.opt(2) {
        None => DType::Int32,
        Some(v) => dtype_arg(v)?,
    };
    to_torch_dtype(dtype)?;
    let probs = logits.f_softmax(-1, None::<Kind>).py()?;
    let seed = seed_of(a.get(3))?;
    let n = py_int(a.req(1)).ok_or_else(|| {
        BackendError::Unsupported(format!("`num_samples` given as a {}", a.req(1).kind()))
    })?;
    let x = seeded(seed, || probs.f_multinomial(n, true).py())?;
    output(&cast(x, dtype)?)
}
