//! torch.distributions' argument validation (`Distribution.__init__` with
//! `validate_args` on, its default): each parameter, in the class's
//! `arg_constraints` order, checked against its constraint
//! (`torch/distributions/constraints.py`); the first one with an invalid
//! element raises PyTorch's `ValueError`, which quotes the distribution's
//! `repr` and the offending tensor.

use kconform_api::BackendError;
use tch::Tensor;

use super::tensor_repr::{py_format, py_tuple, torch_size};
use crate::error::TorchResult;
use crate::keras::R;
use crate::shim::{wrapped_number, PyScalar};

/// A Python `float` bound of a constraint, as torch receives it.
fn float(f: f64) -> R<Tensor> {
    Ok(wrapped_number(PyScalar::Float(f))?)
}

/// A Python `int` operand of a constraint's check, as torch receives it.
fn int(i: i64) -> R<Tensor> {
    Ok(wrapped_number(PyScalar::Int(i))?)
}

/// A constraint a distribution parameter must satisfy.
#[derive(Clone, Copy, Debug)]
pub enum Constraint {
    /// `constraints.positive`, `GreaterThan(0.0)`: `0.0 < value` (NaN fails).
    Positive,
    /// `constraints.nonnegative_integer`, `IntegerGreaterThan(0)`:
    /// `(value % 1 == 0) & (value >= 0)` (±inf and NaN fail).
    NonnegativeInteger,
    /// `constraints.unit_interval`, `Interval(0.0, 1.0)`:
    /// `(0.0 <= value) & (value <= 1.0)` (NaN fails).
    UnitInterval,
    /// `constraints.independent(constraints.positive, 1)` (Dirichlet's
    /// concentration): positive, reduced over the last dimension by
    /// `reshape(shape[:-1] + (-1,)).all(-1)`, which fails for zero-size tensors.
    PositiveVectors,
}

impl Constraint {
    /// `constraint.check(value)`: a bool tensor, true where valid.
    fn check(self, value: &Tensor) -> R<Tensor> {
        match self {
            Constraint::Positive => value.f_gt_tensor(&float(0.0)?).py(),
            Constraint::NonnegativeInteger => {
                let fraction = value.f_remainder_tensor(&int(1)?).py()?;
                let integral = fraction.f_eq_tensor(&int(0)?).py()?;
                integral
                    .f_logical_and(&value.f_ge_tensor(&int(0)?).py()?)
                    .py()
            }
            Constraint::UnitInterval => {
                let above = value.f_ge_tensor(&float(0.0)?).py()?;
                above
                    .f_logical_and(&value.f_le_tensor(&float(1.0)?).py()?)
                    .py()
            }
            Constraint::PositiveVectors => {
                let positive = Constraint::Positive.check(value)?;
                let mut shape = positive.size();
                if shape.pop().is_none() {
                    return Err(BackendError::value_error(format!(
                        "Expected value.dim() >= 1 but got {}",
                        value.dim()
                    )));
                }
                shape.push(-1);
                positive
                    .f_reshape(&shape[..])
                    .py()?
                    .f_all_dim(-1, false)
                    .py()
            }
        }
    }

    /// `repr(constraint)`.
    fn repr(self) -> &'static str {
        match self {
            Constraint::Positive => "GreaterThan(lower_bound=0.0)",
            Constraint::NonnegativeInteger => "IntegerGreaterThan(lower_bound=0)",
            Constraint::UnitInterval => "Interval(lower_bound=0.0, upper_bound=1.0)",
            Constraint::PositiveVectors => "IndependentConstraint(GreaterThan(lower_bound=0.0), 1)",
        }
    }
}

/// A distribution parameter as the distribution holds it.
pub struct Parameter<'a> {
    /// Its attribute name (`concentration`, `total_count`).
    pub name: &'static str,
    /// Its value after the distribution's own broadcasting and casting.
    pub value: &'a Tensor,
    /// What it must satisfy.
    pub constraint: Constraint,
}

/// Validates the `parameters` of torch.distributions' `distribution` (its
/// class name), all of them in `arg_constraints` order.
pub fn validate(distribution: &str, parameters: &[Parameter<'_>]) -> R<()> {
    for p in parameters {
        let valid = p.constraint.check(p.value)?;
        if valid.f_all().py()?.f_int64_value(&[]).py()? == 0 {
            return Err(BackendError::value_error(format!(
                "Expected parameter {} (Tensor of shape {}) of distribution {} to satisfy \
                 the constraint {}, but found invalid values:\n{}",
                p.name,
                py_tuple(&p.value.size()),
                describe(distribution, parameters)?,
                p.constraint.repr(),
                py_format(p.value)?
            )));
        }
    }
    Ok(())
}

/// `Distribution.__repr__`: each parameter as its value when it has one
/// element, else as its `torch.Size`.
fn describe(distribution: &str, parameters: &[Parameter<'_>]) -> R<String> {
    let args = parameters
        .iter()
        .map(|p| {
            let shown = if p.value.numel() == 1 {
                py_format(p.value)?
            } else {
                torch_size(&p.value.size())
            };
            Ok(format!("{}: {shown}", p.name))
        })
        .collect::<R<Vec<_>>>()?;
    Ok(format!("{distribution}({})", args.join(", ")))
}
