//! The last few runs' reports, kept in memory for the operator console: every run of a
//! [`StatusSync`](super::StatusSync) that has a history (the schedule inside `gateway serve`,
//! or a run in the same process) adds its report. Reports name partners and counts only.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::SyncReport;

/// How many reports are kept.
pub const KEPT_REPORTS: usize = 5;

/// The last [`KEPT_REPORTS`] reports; clones share them.
#[derive(Debug, Clone, Default)]
pub struct SyncHistory(Arc<Mutex<VecDeque<SyncReport>>>);

impl SyncHistory {
    pub fn record(&self, report: SyncReport) {
        let mut reports = self.0.lock().unwrap_or_else(|e| e.into_inner());
        reports.push_front(report);
        reports.truncate(KEPT_REPORTS);
    }

    /// The kept reports, the latest first.
    pub fn latest(&self) -> Vec<SyncReport> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_few_are_kept_newest_first() {
        let history = SyncHistory::default();
        for elapsed_ms in 0..(KEPT_REPORTS as u64 + 2) {
            history.record(SyncReport { elapsed_ms, ..SyncReport::default() });
        }
        let kept: Vec<u64> = history.latest().iter().map(|r| r.elapsed_ms).collect();
        assert_eq!(kept, [6, 5, 4, 3, 2]);
    }
}
