//! `GET /metrics`: what the gateway did, in the Prometheus text exposition (OpenMetrics), for
//! the operator's Prometheus (bearer token with the `operator` role) and the console.
//!
//! One [`Metrics`] per app, built with it and handed to the parts that count: the registries
//! (each domain call through a metering wrapper, [`metered`]), the income check, and the status
//! sync's workers and runs. Two apps in one process (the tests) count apart. What the
//! transport's resilience layers count (retries, quota waits, breaker openings) travels with
//! each system's breaker and is read at scrape time, as are the breakers' states and the
//! outbox, read from the store.
//!
//! Labels name systems, partners, outcomes and states only: never a person, a record, a
//! decision or an amount.

mod metered;

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use gateway_adapters::transport::BreakerState;
use gateway_adapters::transport::resilience::Breaker;
use gateway_domain::{SourceError, System};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

pub use metered::metered;

use crate::api::{ApiError, AppState};
use crate::status_sync::SyncReport;
use crate::store::{OutboxGlance, now_ms};

/// The media type of the exposition.
pub const CONTENT_TYPE_OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// What a registry call ended with: the gap reasons, or `ok`.
pub const REGISTRY_OUTCOMES: &[&str] =
    &["ok", "not_found", "unavailable", "timeout", "rate_limited", "rejected", "malformed"];

/// Registry outcomes that are answers, not failures, in the console's error rates.
const ANSWERED: &[&str] = &["ok", "not_found"];

/// How a delivery attempt ended, as the `outcome` label of `gateway_deliveries_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The partner confirmed it, for the first time.
    Delivered,
    /// The partner confirmed it had it already.
    Duplicate,
    /// It failed for now and is due again later.
    Retried,
    /// Given back unsent while the partner's breaker was open.
    Shed,
    /// Moved to the dead letters.
    DeadLettered,
}

impl DeliveryOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryOutcome::Delivered => "delivered",
            DeliveryOutcome::Duplicate => "duplicate",
            DeliveryOutcome::Retried => "retried",
            DeliveryOutcome::Shed => "shed",
            DeliveryOutcome::DeadLettered => "dead_lettered",
        }
    }
}

/// Which side of the gateway a system is on: SPOLIS is both, with a stack each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// Asked by the income check and the co-financing report.
    Registry,
    /// Delivered to by the status sync.
    Partner,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Registry => "registry",
            Side::Partner => "partner",
        }
    }
}

/// How far back the console's "recent" figures reach.
pub const RECENT_WINDOW: Duration = Duration::from_secs(5 * 60);

/// One minute of one system's calls.
#[derive(Debug, Clone, Copy, Default)]
struct Minute {
    minute: i64,
    calls: u64,
    errors: u64,
    total_ms: u64,
    max_ms: u64,
}

/// A system's calls over the last [`RECENT_WINDOW`], for the console.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recent {
    pub calls: u64,
    /// Calls that failed (not an answer; for partners, a retry or a dead letter).
    pub errors: u64,
    pub mean_ms: Option<u64>,
    pub max_ms: Option<u64>,
}

impl Recent {
    /// Errors per hundred calls, when there were calls.
    pub fn error_percent(&self) -> Option<f64> {
        (self.calls > 0).then(|| self.errors as f64 * 100.0 / self.calls as f64)
    }
}

type SystemOutcome = [(&'static str, &'static str); 2];
type OneLabel = [(&'static str, &'static str); 1];

fn seconds_buckets() -> Histogram {
    // 5 ms to about 20 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 13))
}

struct Inner {
    registry_requests: Family<SystemOutcome, Counter>,
    registry_duration: Family<OneLabel, Histogram, fn() -> Histogram>,
    income_checks: Family<OneLabel, Counter>,
    income_check_duration: Histogram,
    deliveries: Family<SystemOutcome, Counter>,
    delivery_duration: Family<OneLabel, Histogram, fn() -> Histogram>,
    sync_runs: Family<OneLabel, Counter>,
    sync_duration: Histogram,
    recent: Mutex<BTreeMap<(Side, System), VecDeque<Minute>>>,
}

/// The app's metrics; clones share them.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

impl Default for Metrics {
    fn default() -> Self {
        Self(Arc::new(Inner {
            registry_requests: Family::default(),
            registry_duration: Family::new_with_constructor(seconds_buckets),
            income_checks: Family::default(),
            income_check_duration: seconds_buckets(),
            deliveries: Family::default(),
            delivery_duration: Family::new_with_constructor(seconds_buckets),
            sync_runs: Family::default(),
            // 100 ms to about 14 minutes.
            sync_duration: Histogram::new(exponential_buckets(0.1, 2.0, 14)),
            recent: Mutex::new(BTreeMap::new()),
        }))
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// A registry call's outcome label.
pub fn registry_outcome(result: Result<(), &SourceError>) -> &'static str {
    match result {
        Ok(()) => "ok",
        Err(error) => error.gap_reason().as_str(),
    }
}

impl Metrics {
    /// One call to a registry (all its retries included) and how long it took.
    pub fn registry_call(&self, system: System, outcome: &'static str, elapsed: Duration) {
        let inner = &self.0;
        inner.registry_requests.get_or_create(&[("system", system.key()), ("outcome", outcome)]).inc();
        inner.registry_duration.get_or_create(&[("system", system.key())]).observe(elapsed.as_secs_f64());
        self.note_recent(Side::Registry, system, !ANSWERED.contains(&outcome), elapsed);
    }

    /// One income check: `complete`, `incomplete` (the record has gaps), `unknown_applicant`
    /// or `audit_unavailable`.
    pub fn income_check(&self, outcome: &'static str, elapsed: Duration) {
        self.0.income_checks.get_or_create(&[("outcome", outcome)]).inc();
        self.0.income_check_duration.observe(elapsed.as_secs_f64());
    }

    /// One delivery attempt to a partner; `elapsed` is the partner's part (none when shed).
    pub fn delivery(&self, partner: System, outcome: DeliveryOutcome, elapsed: Option<Duration>) {
        let inner = &self.0;
        inner.deliveries.get_or_create(&[("partner", partner.key()), ("outcome", outcome.as_str())]).inc();
        if let Some(elapsed) = elapsed {
            inner.delivery_duration.get_or_create(&[("partner", partner.key())]).observe(elapsed.as_secs_f64());
            let failed = matches!(outcome, DeliveryOutcome::Retried | DeliveryOutcome::DeadLettered);
            self.note_recent(Side::Partner, partner, failed, elapsed);
        }
    }

    /// One sync run: `clean` when every part of it ran to its end, else `errors`.
    pub fn sync_run(&self, report: &SyncReport) {
        let result = if report.is_clean() { "clean" } else { "errors" };
        self.0.sync_runs.get_or_create(&[("result", result)]).inc();
        self.0.sync_duration.observe(Duration::from_millis(report.elapsed_ms).as_secs_f64());
    }

    fn note_recent(&self, side: Side, system: System, failed: bool, elapsed: Duration) {
        let minute = now_ms() / 60_000;
        let ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        let mut recent = self.0.recent.lock().unwrap_or_else(|e| e.into_inner());
        let minutes = recent.entry((side, system)).or_default();
        if minutes.back().is_none_or(|m| m.minute != minute) {
            minutes.push_back(Minute { minute, ..Minute::default() });
        }
        let kept = (RECENT_WINDOW.as_secs() / 60) as i64;
        while minutes.front().is_some_and(|m| m.minute <= minute - kept) {
            minutes.pop_front();
        }
        if let Some(current) = minutes.back_mut() {
            current.calls += 1;
            current.errors += u64::from(failed);
            current.total_ms = current.total_ms.saturating_add(ms);
            current.max_ms = current.max_ms.max(ms);
        }
    }

    /// A system's calls over the last [`RECENT_WINDOW`].
    pub fn recent(&self, side: Side, system: System) -> Recent {
        let since = now_ms() / 60_000 - (RECENT_WINDOW.as_secs() / 60) as i64;
        let recent = self.0.recent.lock().unwrap_or_else(|e| e.into_inner());
        let mut sum = Recent::default();
        let (mut total_ms, mut max_ms) = (0u64, 0u64);
        for minute in recent.get(&(side, system)).into_iter().flatten().filter(|m| m.minute > since) {
            sum.calls += minute.calls;
            sum.errors += minute.errors;
            total_ms = total_ms.saturating_add(minute.total_ms);
            max_ms = max_ms.max(minute.max_ms);
        }
        sum.mean_ms = total_ms.checked_div(sum.calls);
        sum.max_ms = sum.mean_ms.map(|_| max_ms);
        sum
    }

    /// The exposition: the app's own series, then what is read now from the breakers, their
    /// stacks' counters and the store's outbox.
    pub fn render(&self, scrape: &Scrape<'_>) -> String {
        let inner = &self.0;
        let mut registry = Registry::with_prefix("gateway");
        registry.register(
            "registry_requests",
            "Calls to a registry (retries included) by system and outcome: ok or the gap reason",
            inner.registry_requests.clone(),
        );
        registry.register(
            "registry_request_duration_seconds",
            "How long a call to a registry took, retries and waits in the gateway's queue included",
            inner.registry_duration.clone(),
        );
        registry.register(
            "income_checks",
            "Income checks by outcome: complete, incomplete (with gaps), unknown_applicant, audit_unavailable",
            inner.income_checks.clone(),
        );
        registry.register(
            "income_check_duration_seconds",
            "How long an income check took",
            inner.income_check_duration.clone(),
        );
        registry.register(
            "deliveries",
            "Delivery attempts to partners by outcome: delivered, duplicate, retried, shed, dead_lettered",
            inner.deliveries.clone(),
        );
        registry.register(
            "delivery_duration_seconds",
            "How long a partner took to answer a delivery",
            inner.delivery_duration.clone(),
        );
        registry.register(
            "sync_runs",
            "Status sync runs by result: clean, or errors (a worker, the push or the pull stopped)",
            inner.sync_runs.clone(),
        );
        registry.register("sync_duration_seconds", "How long a status sync run took", inner.sync_duration.clone());

        let state = Family::<[(&'static str, &'static str); 3], Gauge>::default();
        let retries = Family::<SystemOutcome, Counter>::default();
        let quota_waits = Family::<SystemOutcome, Counter>::default();
        let opened = Family::<SystemOutcome, Counter>::default();
        let sides = [(Side::Registry, scrape.registries), (Side::Partner, scrape.partners)];
        for (side, breakers) in sides {
            for (system, breaker) in breakers {
                let labels = [("system", system.key()), ("role", side.as_str())];
                let current = breaker.state();
                for (value, name) in BREAKER_STATES {
                    let gauge = state.get_or_create(&[labels[0], labels[1], ("state", name)]);
                    gauge.set(i64::from(current == value));
                }
                let counts = breaker.counts();
                retries.get_or_create(&labels).inc_by(counts.retries);
                quota_waits.get_or_create(&labels).inc_by(counts.quota_waits);
                opened.get_or_create(&labels).inc_by(counts.opened);
            }
        }
        registry.register(
            "breaker_state",
            "Each system's circuit breaker: 1 for its current state (closed, half_open, open), else 0",
            state,
        );
        registry.register("breaker_opened", "Times a system's circuit breaker opened", opened);
        registry.register("retries", "Retries of idempotent calls the transport started, by system", retries);
        registry.register(
            "quota_waits",
            "Calls that waited in the gateway's queue for a token of the system's quota",
            quota_waits,
        );

        let pending = Family::<OneLabel, Gauge>::default();
        let oldest = Family::<OneLabel, Gauge<f64, std::sync::atomic::AtomicU64>>::default();
        let dead = Family::<OneLabel, Gauge>::default();
        if let Some(outbox) = scrape.outbox {
            for glance in outbox {
                let labels = [("partner", glance.partner.key())];
                pending.get_or_create(&labels).set(i64::try_from(glance.pending).unwrap_or(i64::MAX));
                dead.get_or_create(&labels).set(i64::try_from(glance.dead_letters).unwrap_or(i64::MAX));
                let age = glance.oldest_pending_at.map_or(0.0, |at| (scrape.now_ms - at).max(0) as f64 / 1000.0);
                oldest.get_or_create(&labels).set(age);
            }
        }
        registry.register("outbox_pending", "Messages waiting in the outbox, by partner", pending);
        registry.register(
            "outbox_oldest_pending_age_seconds",
            "Age of the oldest message waiting in the outbox, by partner (0 when none waits)",
            oldest,
        );
        registry.register("dead_letters", "Deliveries the sync gave up on, by partner", dead);
        let store_up = Gauge::<i64>::default();
        store_up.set(i64::from(scrape.outbox.is_some()));
        registry.register("store_up", "Whether the store answered this scrape's outbox queries", store_up);

        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut text, &registry);
        text
    }
}

const BREAKER_STATES: [(BreakerState, &str); 3] =
    [(BreakerState::Closed, "closed"), (BreakerState::HalfOpen, "half_open"), (BreakerState::Open, "open")];

/// What a scrape reads at the moment it is made.
pub struct Scrape<'a> {
    pub registries: &'a [(System, Breaker)],
    pub partners: &'a [(System, Breaker)],
    /// Every partner's outbox; `None` when the store did not answer.
    pub outbox: Option<&'a [OutboxGlance]>,
    pub now_ms: i64,
}

/// `GET /metrics`.
pub(crate) async fn scrape(State(state): State<AppState>) -> Result<Response, ApiError> {
    let outbox = match state.decisions.store.outbox_glance(crate::status_sync::PARTNERS).await {
        Ok(outbox) => Some(outbox),
        Err(error) => {
            tracing::warn!(error = %error, "The store did not answer the metrics scrape.");
            None
        }
    };
    let text = state.metrics.render(&Scrape {
        registries: &state.breakers,
        partners: &state.partner_breakers,
        outbox: outbox.as_deref(),
        now_ms: now_ms(),
    });
    Ok(([(CONTENT_TYPE, CONTENT_TYPE_OPENMETRICS)], text).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_carry_systems_and_outcomes_only() {
        let metrics = Metrics::default();
        metrics.registry_call(System::Vsaa, "ok", Duration::from_millis(12));
        metrics.registry_call(System::Vsaa, "unavailable", Duration::from_millis(3));
        metrics.income_check("complete", Duration::from_millis(40));
        metrics.delivery(System::Baris, DeliveryOutcome::DeadLettered, Some(Duration::from_millis(5)));
        let breakers = vec![(System::Vsaa, Breaker::new(Default::default()))];
        let outbox =
            vec![OutboxGlance { partner: System::Baris, pending: 2, oldest_pending_at: Some(1_000), dead_letters: 1 }];
        let text =
            metrics.render(&Scrape { registries: &breakers, partners: &[], outbox: Some(&outbox), now_ms: 4_000 });
        for line in [
            r#"gateway_registry_requests_total{system="vsaa",outcome="ok"} 1"#,
            r#"gateway_registry_requests_total{system="vsaa",outcome="unavailable"} 1"#,
            r#"gateway_registry_request_duration_seconds_count{system="vsaa"} 2"#,
            r#"gateway_income_checks_total{outcome="complete"} 1"#,
            r#"gateway_deliveries_total{partner="baris",outcome="dead_lettered"} 1"#,
            r#"gateway_breaker_state{system="vsaa",role="registry",state="closed"} 1"#,
            r#"gateway_breaker_state{system="vsaa",role="registry",state="open"} 0"#,
            r#"gateway_outbox_pending{partner="baris"} 2"#,
            r#"gateway_outbox_oldest_pending_age_seconds{partner="baris"} 3.0"#,
            r#"gateway_dead_letters{partner="baris"} 1"#,
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        }
        assert!(text.ends_with("# EOF\n"));
        let recent = metrics.recent(Side::Registry, System::Vsaa);
        assert_eq!((recent.calls, recent.errors, recent.max_ms), (2, 1, Some(12)));
        assert_eq!(recent.error_percent(), Some(50.0));
        assert_eq!(metrics.recent(Side::Partner, System::Baris).errors, 1);
    }
}
