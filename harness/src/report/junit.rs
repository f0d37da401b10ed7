//! `junit.xml`: one test suite per backend, one test case per trial.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::RunReport;
use crate::outcome::Status;

/// Renders the JUnit XML report.
pub fn render(r: &RunReport) -> String {
    let mut report = Report::new("kconform");
    report.set_time(r.wall);
    for b in &r.backends {
        let mut suite = TestSuite::new(b.id.clone());
        for t in r.records.iter().filter(|t| t.backend == b.id) {
            let mut status = if t.is_unexpected() {
                let kind = if t.status == Status::Error {
                    NonSuccessKind::Error
                } else {
                    NonSuccessKind::Failure
                };
                let mut s = TestCaseStatus::non_success(kind);
                s.set_message(format!("{} [{}]", t.status.name(), t.expectation));
                s.set_description(t.failure_text());
                s
            } else if matches!(t.status, Status::Pass) {
                TestCaseStatus::success()
            } else {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!(
                    "{}: {}",
                    t.status.name(),
                    t.message.as_deref().unwrap_or("")
                ));
                s
            };
            if t.known.is_some() && !t.is_unexpected() {
                status = TestCaseStatus::skipped();
            }
            let name = t.case.rsplit("::").next().unwrap_or(&t.case).to_string();
            let class = t
                .case
                .rsplit_once("::")
                .map(|(c, _)| c)
                .unwrap_or("")
                .to_string();
            let mut tc = TestCase::new(name, status);
            tc.set_classname(class);
            tc.set_time(t.duration);
            suite.add_test_case(tc);
        }
        report.add_test_suite(suite);
    }
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- junit serialization failed: {e} -->\n"))
}
