//! A deliberately wrong kernel makes its trials fail with a readable diff,
//! against the real suite and its goldens recorded from Keras.

mod support;

use kconform_api::{
    Backend, BackendError, BackendInfo, Capabilities, OpCall, Tensor, TensorData, Value,
};
use kconform_harness::trial::BackendUnderTest;
use kconform_harness::{Status, Suite, SuitePaths};
use kconform_reference::ReferenceBackend;

/// The reference backend with `absolute` off by one in its last element.
struct OffByOne(ReferenceBackend);

impl Backend for OffByOne {
    fn info(&self) -> BackendInfo {
        self.0.info()
    }
    fn capabilities(&self) -> Capabilities {
        self.0.capabilities()
    }
    fn call(&self, call: &OpCall) -> Result<Value, BackendError> {
        let out = self.0.call(call)?;
        if call.op != "absolute" {
            return Ok(out);
        }
        match out {
            Value::Tensor(t) if t.dtype() == kconform_api::DType::Float32 && !t.is_empty() => {
                let shape = t.shape().to_vec();
                let TensorData::Float32(mut v) = t.into_parts().1 else {
                    unreachable!()
                };
                let last = v.len() - 1;
                v[last] += 1.0;
                Ok(Value::Tensor(
                    Tensor::new(shape, TensorData::Float32(v)).unwrap(),
                ))
            }
            other => Ok(other),
        }
    }
}

#[test]
fn wrong_absolute_fails_with_a_readable_diff() {
    let suite = Suite::load(SuitePaths::under(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.."
    ))));
    let right = BackendUnderTest::new(Box::new(ReferenceBackend::new())).unwrap();
    let wrong = BackendUnderTest::new(Box::new(OffByOne(ReferenceBackend::new()))).unwrap();
    let good = support::run(&suite, &right, "ops::absolute::");
    let bad = support::run(&suite, &wrong, "ops::absolute::");
    assert!(!good.is_empty(), "the suite has absolute cases");
    let mut failed = 0;
    for (g, b) in good.iter().zip(&bad) {
        assert_eq!(g.status, Status::Pass, "correct kernel must pass: {g:#?}");
        if b.status == Status::Fail {
            failed += 1;
            let text = b.failure_text();
            assert!(text.contains("elements differ"), "{text}");
            assert!(text.contains("worst at ["), "{text}");
            assert!(text.contains("max abs error"), "{text}");
        }
    }
    assert!(
        failed >= 2,
        "the wrong kernel must fail float32 absolute trials (failed {failed})"
    );
    // Trials of other ops are untouched by the wrong kernel.
    let others = support::run(&suite, &wrong, "ops::flip::");
    assert!(
        others.iter().all(|r| r.status != Status::Fail),
        "{others:#?}"
    );
}
