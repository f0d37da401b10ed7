//! Runs planned trials on worker threads, stopping early on request.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::expectations::Expectations;
use crate::outcome::{Status, TrialRecord};
use crate::suite::{PlannedTrial, Suite};
use crate::trial::{execute, record_of, BackendUnderTest, Recorder};

/// How to run a batch of trials.
pub struct RunOptions<'a> {
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Known issues.
    pub expectations: &'a Expectations,
    /// Records goldens instead of comparing with them.
    pub recorder: Option<&'a Recorder>,
    /// Set to stop: trials not started yet are reported as skipped.
    pub stop: &'a AtomicBool,
    /// Called after each trial (progress).
    pub on_done: &'a (dyn Fn(&TrialRecord) + Sync),
}

/// Runs `plans` on `but`; returns one record per plan, in plan order.
pub fn run_trials(
    suite: &Suite,
    but: &BackendUnderTest,
    plans: &[PlannedTrial],
    opts: &RunOptions<'_>,
) -> Vec<TrialRecord> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<TrialRecord>>> = plans.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..opts.jobs.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(plan) = plans.get(i) else { break };
                let mut rec = if opts.stop.load(Ordering::SeqCst) {
                    let mut r = execute_skipped(plan, but);
                    r.message = Some("interrupted before it ran".into());
                    r
                } else {
                    execute(suite, plan, but, opts.recorder)
                };
                rec.known = opts.expectations.lookup(&rec.id);
                (opts.on_done)(&rec);
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(rec);
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(plans)
        .map(|(slot, plan)| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| {
                let mut r = execute_skipped(plan, but);
                r.status = Status::Error;
                r.message = Some("worker thread died before reporting this trial".into());
                r
            })
        })
        .collect()
}

fn execute_skipped(plan: &PlannedTrial, but: &BackendUnderTest) -> TrialRecord {
    let mut r = record_of(&plan.id, &but.info.id, "", "", "");
    r.status = Status::Skipped;
    r
}
