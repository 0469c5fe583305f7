//! A circuit breaker as a small state machine: consecutive failures open it; while open, calls
//! fail at once without reaching the registry; after a backoff one probe goes through
//! (half-open); its success closes the breaker, its failure opens it again for longer.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use gateway_domain::SourceError;
use serde::{Deserialize, Serialize};
use tower::{Layer, Service};

/// Breaker settings of one system.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct BreakerConfig {
    /// Consecutive failures that open the breaker (default 5).
    pub failure_threshold: u32,
    /// How long it stays open the first time, in milliseconds (default 2000); doubles on each
    /// failed probe.
    pub open_for_ms: u64,
    /// The longest it stays open, in milliseconds (default 60000).
    pub max_open_for_ms: u64,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        Self { failure_threshold: 5, open_for_ms: 2_000, max_open_for_ms: 60_000 }
    }
}

/// What `/readyz` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug)]
enum State {
    Closed { failures: u32 },
    Open { until: Instant, open_for: Duration },
    HalfOpen { open_for: Duration },
}

/// Which errors say the registry is failing, as opposed to answering that it cannot help.
fn counts_as_failure(error: &SourceError) -> bool {
    matches!(error, SourceError::Unavailable { .. } | SourceError::Timeout)
}

/// The breaker of one system; clones share the state.
#[derive(Debug, Clone)]
pub struct Breaker {
    config: BreakerConfig,
    state: Arc<Mutex<State>>,
}

impl Breaker {
    pub fn new(config: BreakerConfig) -> Self {
        Self { config, state: Arc::new(Mutex::new(State::Closed { failures: 0 })) }
    }

    pub fn state(&self) -> BreakerState {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match &*state {
            State::Closed { .. } => BreakerState::Closed,
            State::Open { until, .. } if Instant::now() >= *until => BreakerState::HalfOpen,
            State::Open { .. } => BreakerState::Open,
            State::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }

    /// Whether a call may go through now. Moving from open to half-open admits exactly one.
    fn admit(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match &*state {
            State::Closed { .. } => true,
            State::Open { until, open_for } if Instant::now() >= *until => {
                *state = State::HalfOpen { open_for: *open_for };
                true
            }
            State::Open { .. } | State::HalfOpen { .. } => false,
        }
    }

    fn record(&self, failed: bool) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let base = Duration::from_millis(self.config.open_for_ms);
        let max = Duration::from_millis(self.config.max_open_for_ms);
        *state = match (&*state, failed) {
            (_, false) => State::Closed { failures: 0 },
            (State::Closed { failures }, true) if failures + 1 >= self.config.failure_threshold => {
                tracing::warn!(failures = failures + 1, "Circuit breaker opened.");
                State::Open { until: Instant::now() + base, open_for: base }
            }
            (State::Closed { failures }, true) => State::Closed { failures: failures + 1 },
            (State::HalfOpen { open_for } | State::Open { open_for, .. }, true) => {
                let open_for = (*open_for * 2).min(max);
                tracing::warn!(open_for_ms = open_for.as_millis() as u64, "Circuit breaker probe failed.");
                State::Open { until: Instant::now() + open_for, open_for }
            }
        };
    }
}

/// Wraps a service with a breaker.
#[derive(Debug, Clone)]
pub struct BreakerLayer {
    breaker: Breaker,
}

impl BreakerLayer {
    pub fn new(breaker: Breaker) -> Self {
        Self { breaker }
    }
}

impl<S> Layer<S> for BreakerLayer {
    type Service = BreakerService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        BreakerService { inner, breaker: self.breaker.clone() }
    }
}

#[derive(Debug, Clone)]
pub struct BreakerService<S> {
    inner: S,
    breaker: Breaker,
}

impl<S, Req> Service<Req> for BreakerService<S>
where
    S: Service<Req, Error = SourceError> + Send,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
{
    type Response = S::Response;
    type Error = SourceError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, SourceError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), SourceError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Req) -> Self::Future {
        if !self.breaker.admit() {
            return Box::pin(async {
                Err(SourceError::Unavailable { detail: "circuit breaker open".into(), retry_after: None })
            });
        }
        let breaker = self.breaker.clone();
        let call = self.inner.call(request);
        Box::pin(async move {
            let result = call.await;
            breaker.record(result.as_ref().err().is_some_and(counts_as_failure));
            result
        })
    }
}
