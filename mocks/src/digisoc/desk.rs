//! What the DigiSoc simulator keeps, and what tests read and write through it as the
//! providers would: the referral versions it accepted, with the [`Ledger`]'s counters per
//! idempotency key, and the feed of execution reports in the order they were recorded.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use gateway_domain::{ExecutionReport, Referral};

use crate::deliveries::Ledger;

/// What cursors start with; the rest is the feed position they point at.
const CURSOR_PREFIX: &str = "ds1-";
/// Digits of the position in a cursor.
const CURSOR_DIGITS: usize = 10;

#[derive(Debug, Default)]
struct Records {
    /// Every referral version accepted, once each, in the order accepted.
    referrals: Vec<Referral>,
    /// Every report revision recorded, repeats included, in the order recorded.
    feed: Vec<ExecutionReport>,
}

/// The DigiSoc simulator's desk: its referrals, counters and report feed. Clones share them.
#[derive(Debug, Clone, Default)]
pub struct DigisocDesk {
    ledger: Ledger,
    records: Arc<Mutex<Records>>,
}

/// One page of the feed: its reports, where the next starts, and whether more follow now.
pub(super) struct Page {
    pub(super) reports: Vec<ExecutionReport>,
    pub(super) next: usize,
    pub(super) more: bool,
}

impl DigisocDesk {
    fn records(&self) -> MutexGuard<'_, Records> {
        self.records.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The ledger the simulator takes referrals through.
    pub(crate) fn ledger(&self) -> Ledger {
        self.ledger.clone()
    }

    /// Keeps a referral version the ledger accepted for the first time.
    pub(super) fn keep(&self, referral: Referral) {
        self.records().referrals.push(referral);
    }

    /// Every referral version accepted, each once, in the order accepted.
    pub fn referrals(&self) -> Vec<Referral> {
        self.records().referrals.clone()
    }

    /// Times each idempotency key was accepted: exactly-once delivery is every key at 1.
    pub fn accepted(&self) -> HashMap<String, u32> {
        self.ledger.accepted()
    }

    /// Duplicate acknowledgements answered, per idempotency key.
    pub fn duplicates(&self) -> HashMap<String, u32> {
        self.ledger.duplicates()
    }

    /// Refusals of a referral that came with a usable key (invalid, unknown person, key
    /// reused; authorisation aside), per key.
    pub fn rejected(&self) -> HashMap<String, u32> {
        self.ledger.rejected()
    }

    /// Times each referral version (reference, version) was accepted, whatever its key: above
    /// 1 means one version was sent under two keys and taken twice.
    pub fn accepted_versions(&self) -> HashMap<(String, u32), u32> {
        self.ledger.accepted_decisions()
    }

    /// Appends a report revision to the feed as a provider entering it would: a new report,
    /// a correction (the same id, a higher revision) or a repeat (the same revision again). It
    /// is served as given, unchecked, so that a test can also serve one that breaks the rules.
    pub fn report(&self, report: ExecutionReport) {
        self.records().feed.push(report);
    }

    /// The feed as recorded.
    pub fn reports(&self) -> Vec<ExecutionReport> {
        self.records().feed.clone()
    }

    /// Report revisions in the feed.
    pub fn len(&self) -> usize {
        self.records().feed.len()
    }

    /// Whether the feed is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// At most `limit` reports from `position` on; `None` when the feed is not that long.
    pub(super) fn page(&self, position: usize, limit: usize) -> Option<Page> {
        let records = self.records();
        let feed = records.feed.get(position..)?;
        let reports: Vec<ExecutionReport> = feed.iter().take(limit).cloned().collect();
        let next = position + reports.len();
        Some(Page { more: next < records.feed.len(), next, reports })
    }
}

/// The cursor of a feed position.
pub(super) fn cursor(position: usize) -> String {
    format!("{CURSOR_PREFIX}{position:0width$}", width = CURSOR_DIGITS)
}

/// The feed position of a cursor issued here.
pub(super) fn position(cursor: &str) -> Option<usize> {
    let digits = cursor.strip_prefix(CURSOR_PREFIX)?;
    if digits.len() != CURSOR_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}
