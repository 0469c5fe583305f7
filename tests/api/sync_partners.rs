//! [`TestSink`]: an in-memory `StatusSink` for in-process runs of the delivery workers. It
//! deduplicates by idempotency key, counts what it accepted and what it received per
//! wall-clock second, and fails on demand. Runs of the `gateway` process deliver to the partner
//! simulators instead.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use gateway_domain::{
    IdempotencyKey, Receipt, RequestContext, SinkError, SourceError, StatusDecision, StatusSink, System,
};
use rand::Rng;

/// What a partner does wrong; percents are drawn per request.
#[derive(Debug, Clone, Default)]
pub struct PartnerFaults {
    /// Percent of requests answered as a server error (5xx).
    pub server_error_percent: u8,
    /// Percent of requests throttled (429).
    pub throttle_percent: u8,
    /// Decisions the partner refuses for good, by reference.
    pub reject_refs: HashSet<String>,
}

/// Why the partner refuses a decision in the reject list.
pub const REJECTION_CODE: &str = "household-unknown";

/// What the partner saw.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Deliveries accepted per idempotency key: the first applies it, later ones are answered as
    /// duplicates and change nothing. 1 each when nothing was ever sent twice.
    pub accepted: HashMap<String, u32>,
    /// Requests that arrived with a key already accepted.
    pub repeats: u64,
    /// Requests received (faulted or not) per Unix second.
    pub per_second: BTreeMap<u64, u32>,
    pub requests: u64,
}

impl Ledger {
    pub fn max_per_second(&self) -> u32 {
        self.per_second.values().copied().max().unwrap_or(0)
    }
}

enum Verdict {
    Accepted { partner_ref: String, duplicate: bool },
    Rejected,
    ServerError,
    Throttled,
}

#[derive(Default)]
struct Shared {
    ledger: Mutex<Ledger>,
    faults: Mutex<PartnerFaults>,
}

impl Shared {
    fn judge(&self, decision_ref: &str, key: &str) -> Verdict {
        let second = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        let mut ledger = self.ledger.lock().unwrap();
        ledger.requests += 1;
        *ledger.per_second.entry(second).or_default() += 1;
        let faults = self.faults.lock().unwrap().clone();
        let draw = |percent: u8| percent > 0 && rand::rng().random_range(0..100u8) < percent;
        if faults.reject_refs.contains(decision_ref) {
            return Verdict::Rejected;
        }
        if draw(faults.server_error_percent) {
            return Verdict::ServerError;
        }
        if draw(faults.throttle_percent) {
            return Verdict::Throttled;
        }
        let count = ledger.accepted.entry(key.to_owned()).or_default();
        *count += 1;
        let duplicate = *count > 1;
        if duplicate {
            ledger.repeats += 1;
        }
        Verdict::Accepted { partner_ref: format!("P-{}", &key[..12]), duplicate }
    }
}

/// An in-memory partner.
#[derive(Clone)]
pub struct TestSink {
    system: System,
    shared: Arc<Shared>,
}

impl TestSink {
    pub fn new(system: System) -> Self {
        Self { system, shared: Arc::default() }
    }

    pub fn set_faults(&self, faults: PartnerFaults) {
        *self.shared.faults.lock().unwrap() = faults;
    }

    pub fn ledger<T>(&self, read: impl FnOnce(&Ledger) -> T) -> T {
        read(&self.shared.ledger.lock().unwrap())
    }
}

#[async_trait]
impl StatusSink for TestSink {
    fn system(&self) -> System {
        self.system
    }

    async fn deliver(
        &self,
        decision: &StatusDecision,
        key: &IdempotencyKey,
        _ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        match self.shared.judge(&decision.decision_ref, key.as_str()) {
            Verdict::Accepted { partner_ref, duplicate } => {
                Ok(Receipt { partner: self.system, partner_ref, duplicate })
            }
            Verdict::Rejected => Err(SinkError::Rejected { code: REJECTION_CODE.into() }),
            Verdict::ServerError => Err(SinkError::Transient(SourceError::Unavailable {
                detail: "HTTP status 503".into(),
                retry_after: None,
            })),
            Verdict::Throttled => Err(SinkError::Transient(SourceError::RateLimited { retry_after: None })),
        }
    }
}
