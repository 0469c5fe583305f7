//! What one system's resilience stack counts: retries the retry layer started, attempts that
//! had to wait for a quota token in the admission layer, and how often the breaker opened.
//! The counters travel with the system's [`Breaker`](super::Breaker), the one handle each
//! adapter gives out, so that whoever reports the breaker's state reports these too (the
//! gateway's `/metrics` reads them at each scrape). They count calls, never what a call was
//! about.

use std::sync::atomic::{AtomicU64, Ordering};

/// The live counters, shared by the layers of one system's stack.
#[derive(Debug, Default)]
pub struct StackCounters {
    retries: AtomicU64,
    quota_waits: AtomicU64,
    opened: AtomicU64,
}

/// The counters read at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StackCounts {
    /// Retries started (attempts after the first).
    pub retries: u64,
    /// Attempts that found no quota token at once and waited for one (or were shed waiting).
    pub quota_waits: u64,
    /// Times the breaker opened (from closed, or again after a failed probe).
    pub opened: u64,
}

impl StackCounters {
    pub(crate) fn retried(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn waited_for_quota(&self) {
        self.quota_waits.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn opened(&self) {
        self.opened.fetch_add(1, Ordering::Relaxed);
    }

    pub fn read(&self) -> StackCounts {
        StackCounts {
            retries: self.retries.load(Ordering::Relaxed),
            quota_waits: self.quota_waits.load(Ordering::Relaxed),
            opened: self.opened.load(Ordering::Relaxed),
        }
    }
}
