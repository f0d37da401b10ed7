//! Evenly spaced values: `linspace`, `logspace`.
//!
//! Keras-torch computes the step (and, without the endpoint, the new stop)
//! with Python or NumPy arithmetic on the bounds as given, then takes one of
//! two paths: bounds that both have a length (arrays, lists) are converted
//! and interpolated with torch ops (`start + arange(num) / (num - 1) *
//! (stop - start)`), anything else goes to `torch.linspace`/`torch.logspace`,
//! which takes only Python numbers.

use kconform_api::promote::Operand;
use kconform_api::{BackendError, DType, OpCall, Value};

use super::py::py_is_zero;
use super::torch_args::{torch_int, torch_type_name};
use crate::args::truthy as py_truthy;
use crate::args::{bind, py_repr, py_type_name};
use crate::convert::to_tch;
use crate::error::TorchResult;
use crate::keras::{cast, convert, dtype, dtype_arg, output, result_type, to_torch_dtype, Ctx, R};
use crate::raw::{self, Number};
use crate::shim::{wrapped_number, PyScalar};

/// A Python number.
#[derive(Clone, Copy, Debug)]
enum Num {
    Bool(bool),
    Int(i64),
    Float(f64),
}

impl Num {
    fn value(self) -> Value {
        match self {
            Num::Bool(b) => Value::Bool(b),
            Num::Int(i) => Value::Int(i),
            Num::Float(f) => Value::Float(f),
        }
    }

    fn as_f64(self) -> f64 {
        match self {
            Num::Bool(b) => f64::from(u8::from(b)),
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    fn as_int(self) -> Option<i64> {
        match self {
            Num::Bool(b) => Some(i64::from(b)),
            Num::Int(i) => Some(i),
            Num::Float(_) => None,
        }
    }

    fn scalar(self) -> PyScalar {
        match self {
            Num::Bool(b) => PyScalar::Bool(b),
            Num::Int(i) => PyScalar::Int(i),
            Num::Float(f) => PyScalar::Float(f),
        }
    }
}

/// A bound as Keras-torch holds it: a Python number, a sequence or array as
/// given, or an array computed by NumPy arithmetic (held in a torch tensor).
enum Bound {
    Num(Num),
    Given(Value),
    Computed(tch::Tensor),
}

impl Bound {
    fn of(v: &Value) -> R<Bound> {
        match v {
            Value::Bool(b) => Ok(Bound::Num(Num::Bool(*b))),
            Value::Int(i) => Ok(Bound::Num(Num::Int(*i))),
            Value::Float(f) => Ok(Bound::Num(Num::Float(*f))),
            Value::Tensor(_) | Value::List(_) | Value::Tuple(_) => Ok(Bound::Given(v.clone())),
            other => Err(BackendError::Unsupported(format!(
                "a {} as a bound",
                other.kind()
            ))),
        }
    }

    /// `hasattr(b, "__len__")`.
    fn has_len(&self) -> bool {
        !matches!(self, Bound::Num(_))
    }

    /// A NumPy array (arithmetic on it is NumPy's).
    fn is_array(&self) -> bool {
        matches!(self, Bound::Given(Value::Tensor(_)) | Bound::Computed(_))
    }

    fn type_name(&self) -> &'static str {
        match self {
            Bound::Num(n) => py_type_name(&n.value()),
            Bound::Given(v) => torch_type_name(v),
            Bound::Computed(_) => "numpy.ndarray",
        }
    }

    fn is_bool(&self) -> bool {
        match self {
            Bound::Num(Num::Bool(_)) => true,
            Bound::Given(Value::Tensor(t)) => t.dtype() == DType::Bool,
            Bound::Computed(t) => t.f_kind().is_ok_and(|k| k == tch::Kind::Bool),
            _ => false,
        }
    }

    /// The bound as an operand of NumPy arithmetic.
    fn numpy_operand(&self, ctx: Ctx) -> R<tch::Tensor> {
        match self {
            Bound::Num(n) => Ok(wrapped_number(n.scalar())?),
            Bound::Given(Value::Tensor(t)) => Ok(to_tch(t, ctx.device)?),
            Bound::Given(v) => convert(ctx, v, None),
            Bound::Computed(t) => Ok(t.shallow_clone()),
        }
    }

    /// `convert_to_tensor(b, dtype=d)` (a bfloat16 array stays bfloat16).
    fn converted(&self, ctx: Ctx, d: DType) -> R<tch::Tensor> {
        match self {
            Bound::Num(n) => convert(ctx, &n.value(), Some(d)),
            Bound::Given(v) => convert(ctx, v, Some(d)),
            Bound::Computed(t) if dtype(t)? == DType::Bfloat16 => Ok(t.shallow_clone()),
            Bound::Computed(t) => cast(t.shallow_clone(), d),
        }
    }
}

fn unsupported_operands(op: char, a: &Bound, b: &str) -> BackendError {
    BackendError::type_error(format!(
        "unsupported operand type(s) for {op}: '{}' and '{b}'",
        a.type_name()
    ))
}

fn shape_repr(shape: &[i64]) -> String {
    py_repr(&Value::Tuple(
        shape.iter().map(|&d| Value::Int(d)).collect(),
    ))
}

/// Whether two shapes broadcast (NumPy's rule).
fn broadcastable(a: &[i64], b: &[i64]) -> bool {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .all(|(&x, &y)| x == y || x == 1 || y == 1)
}

/// Python's `a - b`: exact for Python numbers, NumPy's for arrays (bool
/// minus bool and unbroadcastable shapes are its errors).
fn py_sub(ctx: Ctx, a: &Bound, b: &Bound) -> R<Bound> {
    if let (Bound::Num(x), Bound::Num(y)) = (a, b) {
        let difference = match (x.as_int(), y.as_int()) {
            (Some(p), Some(q)) => p.checked_sub(q).map(Num::Int),
            _ => None,
        };
        return Ok(Bound::Num(
            difference.unwrap_or(Num::Float(x.as_f64() - y.as_f64())),
        ));
    }
    if !a.is_array() && !b.is_array() {
        return Err(unsupported_operands('-', a, b.type_name()));
    }
    if a.is_bool() && b.is_bool() {
        return Err(BackendError::type_error(
            "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, \
             the `^` operator, or the logical_xor function instead.",
        ));
    }
    let (mut x, mut y) = (a.numpy_operand(ctx)?, b.numpy_operand(ctx)?);
    // NumPy promotes a bool operand to the other's type (torch refuses bool `-`).
    if a.is_bool() {
        x = x.f_to_kind(y.f_kind().py()?).py()?;
    } else if b.is_bool() {
        y = y.f_to_kind(x.f_kind().py()?).py()?;
    }
    if !broadcastable(&x.size(), &y.size()) {
        return Err(BackendError::value_error(format!(
            "operands could not be broadcast together with shapes {} {} ",
            shape_repr(&x.size()),
            shape_repr(&y.size())
        )));
    }
    Ok(Bound::Computed(x.f_sub(&y).py()?))
}

/// Python's true division `a / n`: a float for Python numbers
/// (`ZeroDivisionError` for 0), NumPy's (integers in float64) for arrays.
fn py_div(ctx: Ctx, a: &Bound, n: i64) -> R<Bound> {
    match a {
        Bound::Num(x) if n == 0 => Err(BackendError::raised(
            "ZeroDivisionError",
            if matches!(x, Num::Float(_)) {
                "float division by zero"
            } else {
                "division by zero"
            },
        )),
        Bound::Num(x) => Ok(Bound::Num(Num::Float(x.as_f64() / n as f64))),
        _ if !a.is_array() => Err(unsupported_operands('/', a, "int")),
        _ => {
            let x = a.numpy_operand(ctx)?;
            let x = match dtype(&x)? {
                d if d.is_float() => x,
                _ => cast(x, DType::Float64)?,
            };
            Ok(Bound::Computed(
                x.f_div(&wrapped_number(PyScalar::Int(n))?).py()?,
            ))
        }
    }
}

/// `stop - ((stop - start) / num)`: the stop without the endpoint.
fn stop_before_endpoint(ctx: Ctx, start: &Bound, stop: &Bound, num: i64) -> R<Bound> {
    let step = py_div(ctx, &py_sub(ctx, stop, start)?, num)?;
    py_sub(ctx, stop, &step)
}

/// `getattr(v, "dtype", type(v))` as a `result_type` operand.
fn operand(v: &Value) -> R<Operand> {
    match v {
        Value::Bool(_) => Ok(Operand::Strong(DType::Bool)),
        Value::Int(_) => Ok(Operand::WeakInt),
        Value::Float(_) => Ok(Operand::WeakFloat),
        Value::Tensor(t) => Ok(Operand::Strong(t.dtype())),
        other => Err(BackendError::value_error(format!(
            "Invalid dtype: {}",
            py_type_name(other)
        ))),
    }
}

/// The result dtype: the one asked for, else `result_type(start, stop, float)`.
fn resolved_dtype(start: &Value, stop: &Value, asked: Option<DType>) -> R<DType> {
    match asked {
        Some(d) => Ok(d),
        None => result_type(&[operand(start)?, operand(stop)?, Operand::WeakFloat]),
    }
}

/// Keras-torch's interpolation for bounds with a length: both converted to
/// `d`, `steps = arange(num, dtype) / (num - 1)` unsqueezed once per bound
/// dimension, `start[None] + steps * (stop - start)[None]` (torch promotion:
/// integer dtypes give float32).
fn ramp(ctx: Ctx, start: &Bound, stop: &Bound, num: i64, d: DType) -> R<tch::Tensor> {
    let start = start.converted(ctx, d)?;
    let stop = stop.converted(ctx, d)?;
    let kind = to_torch_dtype(d)?;
    let mut steps = raw::arange(
        Number::Int(0),
        Number::Int(num),
        Number::Int(1),
        kind,
        ctx.device,
    )
    .py()?
    .f_div(&wrapped_number(PyScalar::Int(num - 1))?)
    .py()?;
    for _ in 0..start.dim() {
        steps = steps.f_unsqueeze(-1).py()?;
    }
    let span = stop.f_sub(&start).py()?.f_unsqueeze(0).py()?;
    start
        .f_unsqueeze(0)
        .py()?
        .f_add(&steps.f_mul(&span).py()?)
        .py()
}

/// The 0-d tensor standing for a Python number passed to `torch.linspace`
/// (whose `Tensor` overloads read it back with `.item()`).
fn number_tensor(ctx: Ctx, n: Num) -> R<tch::Tensor> {
    let d = match n {
        Num::Bool(_) => DType::Bool,
        Num::Int(_) => DType::Int64,
        Num::Float(_) => DType::Float64,
    };
    convert(ctx, &n.value(), Some(d))
}

/// The two Python-number bounds `torch.linspace/logspace(start=..., end=...)`
/// accept, or PyTorch's `TypeError`.
fn number_bounds(
    ctx: Ctx,
    func: &str,
    start: &Bound,
    stop: &Bound,
) -> R<(tch::Tensor, tch::Tensor)> {
    match (start, stop) {
        (Bound::Num(s), Bound::Num(e)) => Ok((number_tensor(ctx, *s)?, number_tensor(ctx, *e)?)),
        _ => Err(BackendError::type_error(format!(
            "{func}() received an invalid combination of arguments - got (device=str, \
             dtype=torch.dtype, steps=int, end={}, start={}, ), but expected one of:\n \
             * (Tensor start, Tensor end, int steps, ...)\n \
             * (Number start, Number end, int steps, ...)",
            stop.type_name(),
            start.type_name()
        ))),
    }
}

/// Keras-torch's `axis != 0` refusal.
fn check_axis(func: &str, axis: Option<&Value>) -> R<()> {
    match axis {
        Some(v) if !py_is_zero(v) => Err(BackendError::value_error(format!(
            "torch.{func} does not support an `axis` argument. Received axis={}",
            py_repr(v)
        ))),
        _ => Ok(()),
    }
}

/// `linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None,
/// axis=0)`: a non-zero `axis` is refused; the step is `(stop - start) / (num
/// - 1)` (or `/ num` without the endpoint, when the stop also moves back one
/// step), NaN when undefined, and is returned as computed (a Python float for
/// number bounds) with `retstep=True`; integer dtypes truncate (torch), not floor.
pub fn linspace(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(
        call,
        &[
            "start", "stop", "num", "endpoint", "retstep", "dtype", "axis",
        ],
        2,
    )?;
    check_axis("linspace", a.get(6))?;
    let asked = a.opt(5).map(dtype_arg).transpose()?;
    let d = resolved_dtype(a.req(0), a.req(1), asked)?;
    let kind = to_torch_dtype(d)?;
    let num = torch_int(
        a.get(2).unwrap_or(&Value::Int(50)),
        "linspace(): argument 'steps'",
    )?;
    let endpoint = py_truthy(a.get(3).unwrap_or(&Value::Bool(true)))?;
    let retstep = matches!(a.get(4), Some(Value::Bool(true)));
    let start = Bound::of(a.req(0))?;
    let mut stop = Bound::of(a.req(1))?;
    let mut step = None;
    if endpoint {
        if num > 1 {
            step = Some(py_div(ctx, &py_sub(ctx, &stop, &start)?, num - 1)?);
        }
    } else {
        if num > 0 {
            step = Some(py_div(ctx, &py_sub(ctx, &stop, &start)?, num)?);
        }
        if num > 1 {
            stop = stop_before_endpoint(ctx, &start, &stop, num)?;
        }
    }
    let result = if start.has_len() && stop.has_len() {
        ramp(ctx, &start, &stop, num, d)?
    } else {
        let (s, e) = number_bounds(ctx, "linspace", &start, &stop)?;
        tch::Tensor::f_linspace_tensor_tensor(&s, &e, num, (kind, ctx.device)).py()?
    };
    if !retstep {
        return output(&result);
    }
    let step = match step {
        None => output(&convert(ctx, &Value::Float(f64::NAN), None)?)?,
        Some(Bound::Num(n)) => n.value(),
        Some(Bound::Computed(t)) => output(&t)?,
        Some(Bound::Given(v)) => v,
    };
    Ok(Value::Tuple(vec![output(&result)?, step]))
}

/// `logspace(start, stop, num=50, endpoint=True, base=10, dtype=None,
/// axis=0)`: the op standardizes `dtype`; a non-zero `axis` is refused;
/// `endpoint is False` moves the stop back one step (a Python
/// `ZeroDivisionError` for `num=0`); bounds with a length give `base **`
/// [`ramp`], numbers `torch.logspace` (float16 through float32 on the CPU).
pub fn logspace(ctx: Ctx, call: &OpCall) -> R<Value> {
    let a = bind(
        call,
        &["start", "stop", "num", "endpoint", "base", "dtype", "axis"],
        2,
    )?;
    let asked = a.opt(5).map(dtype_arg).transpose()?;
    check_axis("logspace", a.get(6))?;
    let d = resolved_dtype(a.req(0), a.req(1), asked)?;
    let kind = to_torch_dtype(d)?;
    let num = torch_int(
        a.get(2).unwrap_or(&Value::Int(50)),
        "logspace(): argument 'steps'",
    )?;
    let start = Bound::of(a.req(0))?;
    let mut stop = Bound::of(a.req(1))?;
    if matches!(a.get(3), Some(Value::Bool(false))) {
        stop = stop_before_endpoint(ctx, &start, &stop, num)?;
    }
    let base = match a.get(4).unwrap_or(&Value::Int(10)) {
        Value::Bool(b) => Num::Bool(*b),
        Value::Int(i) => Num::Int(*i),
        Value::Float(f) => Num::Float(*f),
        other => {
            return Err(BackendError::Unsupported(format!(
                "`base` as a {}",
                other.kind()
            )))
        }
    };
    if start.has_len() && stop.has_len() {
        let exponents = ramp(ctx, &start, &stop, num, d)?;
        return output(&wrapped_number(base.scalar())?.f_pow(&exponents).py()?);
    }
    let (s, e) = number_bounds(ctx, "logspace", &start, &stop)?;
    let compute = if ctx.device == tch::Device::Cpu && kind == tch::Kind::Half {
        tch::Kind::Float
    } else {
        kind
    };
    let out =
        tch::Tensor::f_logspace_tensor_tensor(&s, &e, num, base.as_f64(), (compute, ctx.device))
            .py()?;
    output(&cast(out, d)?)
}
