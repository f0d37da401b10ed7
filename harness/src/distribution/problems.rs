//! What `kconform check` reports about distribution checks: a planned check
//! whose critical value is missing from `spec/critical-values.yaml`.

use crate::case::Expectation;
use crate::suite::{LoadedFile, Suite};

/// One located message per distribution case whose (test, n/df, alpha) the
/// table lacks. A table that failed to load is reported by the suite itself.
pub fn problems(suite: &Suite) -> Vec<String> {
    let Ok(table) = &suite.critical else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in &suite.files {
        let LoadedFile::Ok(f) = f else { continue };
        for c in &f.cases {
            let Expectation::Distribution(check) = &c.expect else {
                continue;
            };
            if let Some(key) = check.plan.key {
                if table.get(&key).is_none() {
                    out.push(format!(
                        "{}:{}:{}: case `{}`: {}",
                        c.location.file.display(),
                        check.line,
                        check.column,
                        c.id,
                        super::missing(&key)
                    ));
                }
            }
        }
    }
    out
}
