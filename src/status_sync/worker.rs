//! One partner's delivery worker: claim due rows, deliver each outside any transaction under the
//! shared quota, record the outcome; retry what failed for now with jittered exponential
//! backoff, dead-letter what the partner refused or what used up its attempts.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use gateway_adapters::transport::resilience::{self, Breaker, BreakerState};
use gateway_domain::{Purpose, RequestContext, RequestId, SinkError, SourceError, System};
use indicatif::ProgressBar;
use tokio_util::sync::CancellationToken;

use super::Channel;
use super::config::StatusSyncConfig;
use super::quota::SharedQuota;
use super::report::PartnerReport;
use crate::audit::{Asker, AuditLog, Scope};
use crate::group_commit::GroupCommit;
use crate::metrics::{DeliveryOutcome, Metrics};
use crate::store::{Claimed, Message, MessageKind, Settle, Settlement, Store, StoreError, now_ms};

/// Why a partner hears of a message; carried by every delivery.
fn legal_basis(kind: MessageKind) -> (Purpose, &'static str) {
    match kind {
        MessageKind::StatusDecision => (
            Purpose::StatusReview,
            "Social Services and Social Assistance Law, art. 33: informing institutions of a status decision",
        ),
        MessageKind::Referral => (
            Purpose::SocialAssistance,
            "Social Services and Social Assistance Law, art. 9: referring a client to a social service provider",
        ),
    }
}
/// Who asks, in the partners' logs: the sync itself, not a person.
const OFFICER: &str = "status-sync";

/// Dead-letter reasons.
pub const REASON_REJECTED: &str = "rejected";
pub const REASON_EXHAUSTED: &str = "attempts-exhausted";

/// A stable, data-free code for a failed delivery, stored as the row's last error.
pub fn error_code(error: &SinkError) -> String {
    match error {
        SinkError::Rejected { code } => format!("rejected:{code}"),
        SinkError::Transient(source) => match source {
            SourceError::NotFound => "not-found",
            SourceError::Unavailable { .. } => "unavailable",
            SourceError::Timeout => "timeout",
            SourceError::RateLimited { .. } => "rate-limited",
            SourceError::Rejected { .. } => "rejected",
            SourceError::Malformed { .. } => "malformed",
        }
        .to_owned(),
    }
}

fn retry_after(error: &SinkError) -> Option<Duration> {
    match error {
        SinkError::Transient(
            SourceError::RateLimited { retry_after } | SourceError::Unavailable { retry_after, .. },
        ) => *retry_after,
        _ => None,
    }
}

/// The wait before attempt `attempts + 1`, by the transport's backoff; a partner's
/// `Retry-After` is a floor but never holds a row past `max_backoff_ms`.
pub fn backoff(config: &StatusSyncConfig, attempts: u32, retry_after: Option<Duration>) -> Duration {
    let max = Duration::from_millis(config.max_backoff_ms);
    resilience::backoff(
        config.base_backoff_ms,
        config.max_backoff_ms,
        attempts,
        retry_after.map(|floor| floor.min(max)),
    )
}

/// What a claim came back with.
enum Claim {
    /// Rows, with the claim's token.
    Rows(String, Vec<Claimed>),
    /// Nothing due while deliveries are in flight: claim again when one has finished.
    Empty,
    /// The run is over: stopped, or nothing due within the linger.
    Over,
}

/// Counters the concurrent deliveries of one run share.
#[derive(Default)]
struct Tally {
    delivered: AtomicU64,
    duplicates: AtomicU64,
    retried: AtomicU64,
    dead_lettered: AtomicU64,
    /// Given back unsent while the partner's breaker was open.
    shed: AtomicU64,
    /// Given back unsent because the run was stopped.
    released: AtomicU64,
}

/// Settlements one transaction records at most.
const MAX_SETTLEMENTS: usize = 500;

/// Records the outcomes of `partner`'s deliveries, those of concurrent deliveries together in
/// one transaction; when such a transaction fails, each is recorded alone, so that each
/// delivery learns its own error.
pub(crate) fn settler(store: Store, partner: System) -> GroupCommit<Settle, Result<bool, StoreError>> {
    GroupCommit::start(MAX_SETTLEMENTS, move |settles: Vec<Settle>| {
        let store = store.clone();
        async move {
            match store.settle(partner, &settles).await {
                Ok(done) => done.into_iter().map(Ok).collect(),
                Err(_) => {
                    let mut answers = Vec::with_capacity(settles.len());
                    for settle in &settles {
                        answers.push(store.settle(partner, std::slice::from_ref(settle)).await.map(|done| done[0]));
                    }
                    answers
                }
            }
        }
    })
}

pub(crate) struct Worker {
    /// Where each delivery is recorded, when configured.
    pub audit: Option<AuditLog>,
    pub store: Store,
    /// Where each delivery's outcome is recorded ([`settler`]).
    pub settler: GroupCommit<Settle, Result<bool, StoreError>>,
    pub sink: Channel,
    pub quota: Arc<SharedQuota>,
    pub config: StatusSyncConfig,
    /// Unique per process and run: claim tokens start with it.
    pub instance: String,
    pub progress: ProgressBar,
    /// The partner's circuit breaker: while it is open, nothing is claimed.
    pub breaker: Option<Breaker>,
    /// Where each delivery's outcome is counted, when configured.
    pub metrics: Option<Metrics>,
    /// Cancelled: claim nothing more, finish what was sent, release what was not.
    pub shutdown: CancellationToken,
}

impl Worker {
    fn partner(&self) -> System {
        self.sink.system()
    }

    /// Delivers until nothing is due within `linger_secs`; returns what it did.
    pub async fn run(&self) -> PartnerReport {
        let tally = Tally::default();
        let error = self.drain(&tally).await.err().map(|e| {
            tracing::error!(partner = %self.partner(), error = %e, "Delivery worker stopped.");
            e.to_string()
        });
        let left_for_later = match self.store.outbox_counts(self.partner()).await {
            Ok(counts) => counts.pending,
            Err(_) => 0,
        };
        PartnerReport {
            partner: Some(self.partner()),
            delivered: tally.delivered.into_inner(),
            duplicates: tally.duplicates.into_inner(),
            retried: tally.retried.into_inner(),
            shed: tally.shed.into_inner(),
            released: tally.released.into_inner(),
            dead_lettered: tally.dead_lettered.into_inner(),
            left_for_later,
            error,
        }
    }

    /// Delivers claimed rows, `concurrency` at once, claiming the next batch as soon as the
    /// last row of the one before has started (not when it has finished), so that the partner
    /// is kept busy.
    async fn drain(&self, tally: &Tally) -> Result<(), StoreError> {
        let concurrency = self.config.concurrency(self.quota.per_second());
        let mut running = FuturesUnordered::new();
        let mut waiting: VecDeque<(Claimed, Arc<str>)> = VecDeque::new();
        let mut claim: Option<futures::future::BoxFuture<'_, Result<Claim, StoreError>>> = None;
        let (mut claims, mut over, mut empty) = (0u64, false, false);
        loop {
            while running.len() < concurrency {
                let Some((row, owner)) = waiting.pop_front() else { break };
                running.push(async move { self.deliver(row, &owner, tally).await });
            }
            if waiting.is_empty() && claim.is_none() && !over && !empty {
                claims += 1;
                claim = Some(Box::pin(self.claim_next(claims, !running.is_empty())));
            }
            if running.is_empty() && claim.is_none() {
                return Ok(());
            }
            tokio::select! {
                Some(delivered) = running.next(), if !running.is_empty() => {
                    delivered?;
                    // A delivery that finished may have left a retry due soon: look again.
                    empty = false;
                }
                claimed = async { claim.as_mut().expect("a claim in progress").await }, if claim.is_some() => {
                    claim = None;
                    match claimed? {
                        Claim::Rows(owner, rows) => {
                            let owner: Arc<str> = owner.into();
                            waiting.extend(rows.into_iter().map(|row| (row, owner.clone())));
                        }
                        // Claimed while deliveries were in flight; if they have all finished
                        // meanwhile, nothing will wake the loop: claim again at once.
                        Claim::Empty => empty = !running.is_empty(),
                        Claim::Over => over = true,
                    }
                }
            }
        }
    }

    /// The next claim's rows, waiting while the breaker is open or, when nothing is in flight,
    /// while what is due comes due within the linger.
    async fn claim_next(&self, claim: u64, in_flight: bool) -> Result<Claim, StoreError> {
        let partner = self.partner();
        let linger = Duration::from_secs(self.config.linger_secs);
        let concurrency = self.config.concurrency(self.quota.per_second());
        let batch = self.config.batch_size.min(concurrency as u32 * 16).max(1);
        let lease_ms = self.config.lease().as_millis() as i64;
        let mut attempt = 0u64;
        loop {
            if self.shutdown.is_cancelled() {
                return Ok(Claim::Over);
            }
            // An open breaker sends nothing: wait for it. A half-open one lets one probe through:
            // claim one row for it, and a batch again once it has closed.
            let limit = match self.breaker.as_ref().map(Breaker::state) {
                Some(BreakerState::Open) => {
                    self.pause(Duration::from_millis(100)).await;
                    continue;
                }
                Some(BreakerState::HalfOpen) => 1,
                _ => batch,
            };
            attempt += 1;
            let owner = format!("{}-{partner}-{claim}-{attempt}", self.instance);
            let rows = self.store.claim(partner, &owner, limit, now_ms() + lease_ms).await?;
            if !rows.is_empty() {
                tracing::debug!(partner = %partner, rows = rows.len(), "Claimed a batch.");
                return Ok(Claim::Rows(owner, rows));
            }
            if in_flight {
                return Ok(Claim::Empty);
            }
            let Some(due) = self.store.next_due(partner).await? else { return Ok(Claim::Over) };
            let wait = Duration::from_millis((due - now_ms()).max(0) as u64);
            if wait > linger {
                return Ok(Claim::Over);
            }
            // Retries come due soon: wait for them within this run, a second at a time so
            // that rows added meanwhile are not kept waiting.
            self.pause(wait.clamp(Duration::from_millis(20), Duration::from_secs(1))).await;
        }
    }

    /// Sleeps for `wait`, or until the run is stopped.
    async fn pause(&self, wait: Duration) {
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = self.shutdown.cancelled() => {}
        }
    }

    /// Gives a claimed row back unsent, due at once and without spending an attempt: the run
    /// was stopped before it was sent, and the next run (of any instance) takes it up without
    /// waiting for its lease to end.
    async fn release(&self, row: &Claimed, owner: &str, tally: &Tally) -> Result<(), StoreError> {
        self.settle(row, owner, Settlement::Release { next_attempt_at: now_ms() }).await?;
        tally.released.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Records how `row`'s attempt ended (false: its lease was lost, the new owner records it).
    async fn settle(&self, row: &Claimed, owner: &str, settlement: Settlement) -> Result<bool, StoreError> {
        let answers = self.settler.submit(vec![Settle::of(row, owner, settlement)]).await;
        answers
            .and_then(|mut answers| answers.pop())
            .unwrap_or(Err(StoreError::Open("the store writer stopped".into())))
    }

    /// One audit entry per person the message names, under the partner.
    async fn record(&self, row: &Claimed, ctx: &RequestContext, event: &str, outcome: &str) -> Result<(), StoreError> {
        let Some(log) = &self.audit else { return Ok(()) };
        let case_ref = match &row.message {
            Message::Status(decision) => decision.decision_ref.clone(),
            Message::Referral(referral) => referral.case_ref.clone(),
        };
        let asker = Asker { caller: OFFICER.into(), institution: None, case_ref: Some(case_ref) };
        let scope = Scope::new(log, &asker, ctx);
        let topic = match row.message.kind() {
            MessageKind::StatusDecision => "status",
            MessageKind::Referral => "referral",
        };
        let entries = row
            .message
            .persons()
            .into_iter()
            .map(|(person, standing)| scope.entry(self.partner(), topic, event, outcome, person, standing))
            .collect();
        scope.record(entries).await.map_err(|_| StoreError::Audit)
    }

    async fn deliver(&self, row: Claimed, owner: &str, tally: &Tally) -> Result<(), StoreError> {
        let partner = self.partner();
        // Stopped before this row was sent (waiting for the quota included): it goes back.
        tokio::select! {
            biased;
            _ = self.shutdown.cancelled() => return self.release(&row, owner, tally).await,
            permit = self.quota.permit() => permit?,
        }
        if self.shutdown.is_cancelled() {
            return self.release(&row, owner, tally).await;
        }
        let (purpose, legal_basis) = legal_basis(row.message.kind());
        let ctx = RequestContext {
            request_id: RequestId::new(),
            purpose,
            legal_basis: legal_basis.into(),
            officer: OFFICER.into(),
            deadline: Instant::now() + Duration::from_millis(self.config.delivery_timeout_ms),
        };
        // Recorded before it is sent: a delivery the audit log cannot record waits for a
        // later run (the row's lease runs out), and this worker stops.
        self.record(&row, &ctx, "sending", "pending").await?;
        let sent = Instant::now();
        let outcome = self.sink.deliver(&row.message, &row.key, &ctx).await;
        let took = sent.elapsed();
        let count = |outcome: DeliveryOutcome| {
            if let Some(metrics) = &self.metrics {
                // A delivery the breaker shed never reached the partner: no time of its own.
                let took = (outcome != DeliveryOutcome::Shed).then_some(took);
                metrics.delivery(partner, outcome, took);
            }
        };
        let attempts = row.attempts + 1;
        let recorded = match &outcome {
            Ok(receipt) if receipt.duplicate => "duplicate".to_owned(),
            Ok(_) => "delivered".to_owned(),
            Err(error) => error_code(error),
        };
        self.record(&row, &ctx, "delivered", &recorded).await?;
        match outcome {
            Ok(receipt) => {
                self.settle(&row, owner, Settlement::Delivered { partner_ref: receipt.partner_ref.clone() }).await?;
                tally.delivered.fetch_add(1, Ordering::Relaxed);
                if receipt.duplicate {
                    tally.duplicates.fetch_add(1, Ordering::Relaxed);
                }
                count(if receipt.duplicate { DeliveryOutcome::Duplicate } else { DeliveryOutcome::Delivered });
                self.progress.inc(1);
            }
            Err(error) if error.is_shed() => {
                // The partner's breaker is open: nothing was sent, so no attempt is spent.
                let wait = backoff(&self.config, row.attempts, None);
                self.settle(&row, owner, Settlement::Release { next_attempt_at: now_ms() + wait.as_millis() as i64 })
                    .await?;
                tally.shed.fetch_add(1, Ordering::Relaxed);
                count(DeliveryOutcome::Shed);
            }
            Err(error) if error.is_permanent() || attempts >= self.config.max_attempts => {
                let reason = if error.is_permanent() { REASON_REJECTED } else { REASON_EXHAUSTED };
                let code = error_code(&error);
                tracing::warn!(
                    partner = %partner,
                    request_id = %ctx.request_id,
                    attempts,
                    reason,
                    code = %code,
                    "Delivery moved to dead letters."
                );
                self.settle(&row, owner, Settlement::Dead { reason: reason.to_owned(), error_code: code }).await?;
                tally.dead_lettered.fetch_add(1, Ordering::Relaxed);
                count(DeliveryOutcome::DeadLettered);
                self.progress.inc(1);
            }
            Err(error) => {
                let wait = backoff(&self.config, attempts, retry_after(&error));
                let code = error_code(&error);
                tracing::debug!(
                    partner = %partner,
                    request_id = %ctx.request_id,
                    attempts,
                    code = %code,
                    wait_ms = wait.as_millis() as u64,
                    "Retrying delivery later."
                );
                let next_attempt_at = now_ms() + wait.as_millis() as i64;
                self.settle(&row, owner, Settlement::Retry { next_attempt_at, error_code: code }).await?;
                tally.retried.fetch_add(1, Ordering::Relaxed);
                count(DeliveryOutcome::Retried);
            }
        }
        Ok(())
    }
}
