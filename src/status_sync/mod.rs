//! Nightly status sync: drains the outbox to the partners (status decisions to BARIS, BRIDZIS,
//! NINO and SPOLIS, referrals to DigiSoc), one worker per partner, under each partner's quota shared by every
//! gateway instance, exactly once as the partner sees it (the idempotency key makes a repeat
//! after a crash a no-op there). A run is started by `gateway sync` or by the schedule inside
//! `gateway serve`; it reports what it did per partner.
//!
//! The partners arrive as `StatusSink`s and a `ReferralChannel`; which delivers to whom is
//! decided by the caller (`startup`), so this module works the same with adapters, plain JSON
//! partners or test sinks.

pub mod case_system;
mod config;
mod history;
mod quota;
mod report;
mod schedule;
mod worker;

use std::collections::BTreeMap;
use std::sync::Arc;

use gateway_adapters::transport::resilience::Breaker;
use gateway_domain::{IdempotencyKey, Receipt, ReferralChannel, RequestContext, SinkError, StatusSink, System};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio_util::sync::CancellationToken;

pub use config::{PARTNERS, PartnerConfig, StatusSyncConfig, StatusSyncConfigError};
pub use history::{KEPT_REPORTS, SyncHistory};
pub use report::{PartnerReport, ReportPullOutcome, SyncReport};
pub use schedule::{next_run, run_on_schedule};
pub use worker::{REASON_EXHAUSTED, REASON_REJECTED, backoff, error_code};

use crate::audit::AuditLog;
use crate::metrics::Metrics;
use crate::store::{Message, Store, now_ms};

/// What delivers one partner's messages.
#[derive(Clone)]
pub enum Channel {
    Status(Arc<dyn StatusSink>),
    Referrals(Arc<dyn ReferralChannel>),
}

impl Channel {
    pub fn system(&self) -> System {
        match self {
            Channel::Status(sink) => sink.system(),
            Channel::Referrals(channel) => channel.system(),
        }
    }

    /// Delivers a message of the kind this partner takes; another kind is refused for good
    /// (the outbox never makes one, so it is a store changed by hand).
    pub async fn deliver(
        &self,
        message: &Message,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        match (self, message) {
            (Channel::Status(sink), Message::Status(decision)) => sink.deliver(decision, key, ctx).await,
            (Channel::Referrals(channel), Message::Referral(referral)) => channel.deliver(referral, key, ctx).await,
            _ => Err(SinkError::Rejected { code: "wrong-message-kind".into() }),
        }
    }
}

/// Whether a run shows progress bars (on a terminal) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Bars,
    Hidden,
}

/// The sync: the store, the partners' sinks and the settings.
#[derive(Clone)]
pub struct StatusSync {
    store: Store,
    sinks: BTreeMap<System, Channel>,
    config: StatusSyncConfig,
    /// Where delivery changes are pushed after the partners' deliveries, when configured.
    case_system: Option<case_system::CaseSystemPush>,
    /// Where each delivery is recorded, when configured.
    audit: Option<AuditLog>,
    /// Where execution reports are pulled from after the deliveries, when configured.
    report_pull: Option<ReportPull>,
    /// Each partner's circuit breaker: a worker claims nothing while its partner's is open.
    breakers: BTreeMap<System, Breaker>,
    /// Where deliveries and runs are counted, when configured.
    metrics: Option<Metrics>,
    /// Where each run's report is kept, when configured.
    history: Option<SyncHistory>,
    /// Cancelled: the workers claim nothing more, finish the deliveries they sent and give
    /// back the rows they claimed but did not send.
    shutdown: CancellationToken,
}

/// The pull of providers' execution reports each run makes after its deliveries.
#[derive(Clone)]
pub struct ReportPull {
    pub channel: Arc<dyn ReferralChannel>,
    pub page_size: u32,
    pub page_timeout: std::time::Duration,
}

impl StatusSync {
    /// Partners in `config` without a sink in `sinks` are reported as such and their rows wait;
    /// sinks of systems not in `config` are ignored (they get no outbox rows).
    pub fn new(store: Store, sinks: Vec<Arc<dyn StatusSink>>, config: StatusSyncConfig) -> Self {
        let sinks = sinks.into_iter().map(|s| (s.system(), Channel::Status(s))).collect();
        Self {
            store,
            sinks,
            config,
            case_system: None,
            audit: None,
            report_pull: None,
            breakers: BTreeMap::new(),
            metrics: None,
            history: None,
            shutdown: CancellationToken::new(),
        }
    }

    /// Stops runs when `shutdown` is cancelled (SIGTERM): no row is claimed after it, the
    /// deliveries already sent are finished and recorded, the rows claimed but not sent are
    /// released without spending an attempt, and the run reports what it did.
    pub fn with_shutdown(self, shutdown: CancellationToken) -> Self {
        Self { shutdown, ..self }
    }

    /// The token that stops this sync's runs.
    pub fn shutdown(&self) -> &CancellationToken {
        &self.shutdown
    }

    /// Counts each delivery and run in `metrics` (the API's `/metrics` and console).
    pub fn with_metrics(self, metrics: Metrics) -> Self {
        Self { metrics: Some(metrics), ..self }
    }

    /// Keeps each run's report in `history` (the API's console shows them).
    pub fn with_history(self, history: SyncHistory) -> Self {
        Self { history: Some(history), ..self }
    }

    /// Watches the partners' circuit breakers.
    pub fn with_breakers(mut self, breakers: Vec<(System, Breaker)>) -> Self {
        self.breakers.extend(breakers);
        self
    }

    /// Also pulls execution reports after each run's deliveries.
    pub fn with_report_pull(self, pull: ReportPull) -> Self {
        Self { report_pull: Some(pull), ..self }
    }

    /// Also delivers referrals through `channel`, when its system is among the partners.
    pub fn with_referrals(mut self, channel: Arc<dyn ReferralChannel>) -> Self {
        self.sinks.insert(channel.system(), Channel::Referrals(channel));
        self
    }

    /// Also pushes each run's delivery changes to the case system.
    pub fn with_case_system(self, push: case_system::CaseSystemPush) -> Self {
        Self { case_system: Some(push), ..self }
    }

    /// Also records each delivery in the audit log: before it is sent, and its outcome.
    pub fn with_audit(self, audit: AuditLog) -> Self {
        Self { audit: Some(audit), ..self }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn config(&self) -> &StatusSyncConfig {
        &self.config
    }

    /// One run: every partner's worker at once, until nothing is due within `linger_secs`.
    pub async fn run_once(&self, progress: Progress) -> SyncReport {
        let started = time::OffsetDateTime::now_utc();
        let clock = std::time::Instant::now();
        // Counters older than a minute can no longer matter to any partner's second.
        if let Err(error) = self.store.purge_quota(now_ms() / 1000 - 60).await {
            tracing::warn!(error = %error, "Old quota counters could not be purged.");
        }
        let bars = match progress {
            Progress::Bars => MultiProgress::new(),
            Progress::Hidden => MultiProgress::with_draw_target(ProgressDrawTarget::hidden()),
        };
        let style = ProgressStyle::with_template("{prefix:>8} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let instance = uuid::Uuid::new_v4().simple().to_string();
        let mut runs = Vec::new();
        for (partner, partner_config) in &self.config.partners {
            let Some(sink) = self.sinks.get(partner) else {
                let left_for_later = self.store.outbox_counts(*partner).await.map(|c| c.pending).unwrap_or(0);
                tracing::warn!(partner = %partner, "No adapter is configured for this partner; its decisions wait.");
                runs.push(futures::future::Either::Left(futures::future::ready(PartnerReport {
                    partner: Some(*partner),
                    left_for_later,
                    error: Some("no adapter is configured for this partner".into()),
                    ..PartnerReport::default()
                })));
                continue;
            };
            let pending = self.store.outbox_counts(*partner).await.map(|c| c.pending).unwrap_or(0);
            let bar = bars.add(ProgressBar::new(pending).with_style(style.clone()).with_prefix(partner.key()));
            let worker = worker::Worker {
                audit: self.audit.clone(),
                store: self.store.clone(),
                settler: worker::settler(self.store.clone(), *partner),
                sink: sink.clone(),
                quota: Arc::new(quota::SharedQuota::new(
                    self.store.clone(),
                    *partner,
                    partner_config.per_second,
                    self.config.quota_margin_ms,
                )),
                config: self.config.clone(),
                instance: instance.clone(),
                progress: bar,
                breaker: self.breakers.get(partner).cloned(),
                metrics: self.metrics.clone(),
                shutdown: self.shutdown.clone(),
            };
            // Each partner's worker is a task of its own: the partners' deliveries run on
            // every core instead of taking turns in the one task of the run.
            let partner = *partner;
            let run = tokio::spawn(async move {
                let report = worker.run().await;
                worker.progress.finish();
                report
            });
            runs.push(futures::future::Either::Right(async move {
                run.await.unwrap_or_else(|_| {
                    tracing::error!(partner = %partner, "A delivery worker stopped unexpectedly.");
                    PartnerReport {
                        partner: Some(partner),
                        error: Some("the delivery worker stopped unexpectedly".into()),
                        ..PartnerReport::default()
                    }
                })
            }));
        }
        let partners = futures::future::join_all(runs).await;
        // A run stopped midway leaves the push and the pull to the next run.
        let interrupted = self.shutdown.is_cancelled();
        let case_system = match &self.case_system {
            Some(push) if !interrupted => Some(push.run_once(&self.store, &self.config).await),
            _ => None,
        };
        let execution_reports = match &self.report_pull {
            Some(pull) if !interrupted => {
                let bar = bars.add(ProgressBar::no_length().with_prefix("reports"));
                let outcome = crate::providers::pull::pull_reports(
                    &self.store,
                    pull.channel.as_ref(),
                    pull.page_size,
                    pull.page_timeout,
                    &bar,
                )
                .await;
                bar.finish_and_clear();
                Some(match outcome {
                    Ok(summary) => ReportPullOutcome { summary, error: None },
                    Err(error) => {
                        tracing::error!(error = %error, "The pull of execution reports stopped.");
                        ReportPullOutcome { summary: Default::default(), error: Some(error.to_string()) }
                    }
                })
            }
            _ => None,
        };
        let finished = time::OffsetDateTime::now_utc();
        let rfc3339 =
            |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        let report = SyncReport {
            started_at: rfc3339(started),
            finished_at: rfc3339(finished),
            elapsed_ms: clock.elapsed().as_millis() as u64,
            partners,
            case_system,
            execution_reports,
            interrupted,
        };
        let total = report.total();
        tracing::info!(
            delivered = total.delivered,
            retried = total.retried,
            dead_lettered = total.dead_lettered,
            released = total.released,
            left_for_later = total.left_for_later,
            elapsed_ms = report.elapsed_ms,
            interrupted,
            "Status sync run finished."
        );
        if let Some(metrics) = &self.metrics {
            metrics.sync_run(&report);
        }
        if let Some(history) = &self.history {
            history.record(report.clone());
        }
        report
    }
}
