//! Retries of idempotent reads: jittered exponential backoff, `Retry-After` honoured, never past
//! the request's deadline. What is retryable comes from `SourceError::is_retryable`, never from
//! message text.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gateway_domain::{SourceError, System};
use rand::Rng;
use serde::Deserialize;
use tower::retry::Policy;

use super::counts::StackCounters;

/// Retry settings of one system.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct RetryConfig {
    /// Attempts in all, the first included (default 3; 1 turns retries off).
    pub max_attempts: u32,
    /// Backoff before the first retry, in milliseconds (default 100); doubles each time.
    pub base_backoff_ms: u64,
    /// Longest backoff, in milliseconds (default 2000).
    pub max_backoff_ms: u64,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self { max_attempts: 3, base_backoff_ms: 100, max_backoff_ms: 2_000 }
    }
}

/// A request the retry policy can reason about.
pub trait Retryable: Clone {
    /// Whether repeating the request cannot change anything at the registry.
    fn is_idempotent(&self) -> bool;
    /// When the whole request must be answered.
    fn deadline(&self) -> Instant;
}

/// The per-request retry state; tower clones the policy for every request.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    config: RetryConfig,
    attempt: u32,
    /// Least time a retry must still have after its backoff.
    min_attempt: Duration,
    /// The system its log lines name.
    system: Option<System>,
    /// Where the retries it starts are counted.
    counters: Option<Arc<StackCounters>>,
}

impl RetryPolicy {
    pub fn new(config: RetryConfig) -> Self {
        Self { config, attempt: 1, min_attempt: Duration::ZERO, system: None, counters: None }
    }

    /// Counts each retry it starts in `counters`.
    pub fn counting(self, counters: Arc<StackCounters>) -> Self {
        Self { counters: Some(counters), ..self }
    }

    /// No retry is started with less than `min_attempt` left before the deadline.
    pub fn with_min_attempt(self, min_attempt: Duration) -> Self {
        Self { min_attempt, ..self }
    }

    /// This policy, naming `system` in its log lines.
    pub fn named(self, system: System) -> Self {
        Self { system: Some(system), ..self }
    }

    /// The wait before retry number `attempt` (1-based); see [`backoff`].
    pub fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        backoff(self.config.base_backoff_ms, self.config.max_backoff_ms, attempt, retry_after)
    }
}

/// The wait before retry number `attempt` (1-based), for registry calls and outbox deliveries
/// alike: exponential from `base_ms`, capped at `max_ms`, with jitter in its upper half so that
/// callers who failed together do not return together. A `Retry-After` the other side gave is a
/// floor.
pub fn backoff(base_ms: u64, max_ms: u64, attempt: u32, retry_after: Option<Duration>) -> Duration {
    let exponential = base_ms.saturating_mul(1u64 << attempt.saturating_sub(1).min(30));
    let capped = exponential.min(max_ms);
    let wait = Duration::from_millis(rand::rng().random_range(capped / 2..=capped));
    retry_after.map_or(wait, |floor| wait.max(floor))
}

fn retry_after(error: &SourceError) -> Option<Duration> {
    match error {
        SourceError::RateLimited { retry_after } | SourceError::Unavailable { retry_after, .. } => *retry_after,
        _ => None,
    }
}

impl<Req: Retryable, Res> Policy<Req, Res, SourceError> for RetryPolicy {
    type Future = Pin<Box<dyn Future<Output = ()> + Send>>;

    fn retry(&mut self, request: &mut Req, result: &mut Result<Res, SourceError>) -> Option<Self::Future> {
        let error = result.as_ref().err()?;
        if !error.is_retryable() || !request.is_idempotent() || self.attempt >= self.config.max_attempts {
            return None;
        }
        let wait = self.backoff(self.attempt, retry_after(error));
        // A retry that could not finish before the deadline only wastes the registry's time.
        if Instant::now() + wait + self.min_attempt >= request.deadline() {
            return None;
        }
        self.attempt += 1;
        if let Some(counters) = &self.counters {
            counters.retried();
        }
        tracing::debug!(
            system = self.system.map_or("unnamed", System::key),
            attempt = self.attempt,
            wait_ms = wait.as_millis() as u64,
            "Retrying registry call."
        );
        Some(Box::pin(tokio::time::sleep(wait)))
    }

    fn clone_request(&mut self, request: &Req) -> Option<Req> {
        request.is_idempotent().then(|| request.clone())
    }
}
