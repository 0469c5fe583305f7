//! A circuit breaker as a small state machine: consecutive failures open it; while open, calls
//! fail at once without reaching the registry; after a backoff one probe goes through
//! (half-open); its success closes the breaker, its failure opens it again for longer.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use gateway_domain::{SourceError, System};
use serde::{Deserialize, Serialize};
use tower::{Layer, Service};

use super::counts::{StackCounters, StackCounts};
use super::retry::Retryable;

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

/// What one call says about the registry's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// The registry answered (whatever it said: a record, "not found", a refusal).
    Healthy,
    /// The registry failed: unreachable, a server error, no answer within the attempt's time.
    Failing,
    /// Nothing learned: the gateway's own queue shed the call (or the registry throttled it),
    /// or the request's deadline, not the attempt's timeout, cut the call short.
    Unknown,
}

/// Judges a call's result; `cut_by_deadline` says the request's deadline had passed when it ended.
fn verdict<T>(result: &Result<T, SourceError>, cut_by_deadline: bool) -> Verdict {
    match result {
        Ok(_) => Verdict::Healthy,
        Err(SourceError::RateLimited { .. }) => Verdict::Unknown,
        Err(SourceError::Timeout) if cut_by_deadline => Verdict::Unknown,
        Err(SourceError::Unavailable { .. } | SourceError::Timeout) => Verdict::Failing,
        Err(_) => Verdict::Healthy,
    }
}

/// The breaker of one system; clones share the state. It also carries the counters of the
/// system's whole stack (see [`StackCounters`]), so that its one handle reports the stack.
#[derive(Debug, Clone)]
pub struct Breaker {
    config: BreakerConfig,
    /// Whose breaker this is, for its log lines.
    system: Option<System>,
    state: Arc<Mutex<State>>,
    counters: Arc<StackCounters>,
}

impl Breaker {
    pub fn new(config: BreakerConfig) -> Self {
        Self {
            config,
            system: None,
            state: Arc::new(Mutex::new(State::Closed { failures: 0 })),
            counters: Arc::default(),
        }
    }

    /// The counters of the stack this breaker belongs to, for its other layers to count in.
    pub fn counters(&self) -> Arc<StackCounters> {
        self.counters.clone()
    }

    /// What the stack has counted so far.
    pub fn counts(&self) -> StackCounts {
        self.counters.read()
    }

    /// This breaker, naming `system` in its log lines.
    pub fn named(self, system: System) -> Self {
        Self { system: Some(system), ..self }
    }

    fn system_label(&self) -> &'static str {
        self.system.map_or("unnamed", System::key)
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

    fn record(&self, verdict: Verdict) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let base = Duration::from_millis(self.config.open_for_ms);
        let max = Duration::from_millis(self.config.max_open_for_ms);
        let failed = match verdict {
            Verdict::Healthy => false,
            Verdict::Failing => true,
            Verdict::Unknown => {
                // A probe that learned nothing hands the probe to the next call.
                if let State::HalfOpen { open_for } = &*state {
                    *state = State::Open { until: Instant::now(), open_for: *open_for };
                }
                return;
            }
        };
        *state = match (&*state, failed) {
            (_, false) => State::Closed { failures: 0 },
            (State::Closed { failures }, true) if failures + 1 >= self.config.failure_threshold => {
                tracing::warn!(system = self.system_label(), failures = failures + 1, "Circuit breaker opened.");
                self.counters.opened();
                State::Open { until: Instant::now() + base, open_for: base }
            }
            (State::Closed { failures }, true) => State::Closed { failures: failures + 1 },
            (previous @ (State::HalfOpen { open_for } | State::Open { open_for, .. }), true) => {
                let open_for = (*open_for * 2).min(max);
                tracing::warn!(
                    system = self.system_label(),
                    open_for_ms = open_for.as_millis() as u64,
                    "Circuit breaker probe failed."
                );
                // A late failure while it is open already keeps it open; it does not open it.
                if matches!(previous, State::HalfOpen { .. }) {
                    self.counters.opened();
                }
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
    Req: Retryable,
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
                Err(SourceError::Unavailable { detail: gateway_domain::CIRCUIT_OPEN.into(), retry_after: None })
            });
        }
        let breaker = self.breaker.clone();
        let deadline = request.deadline();
        let call = self.inner.call(request);
        Box::pin(async move {
            let result = call.await;
            breaker.record(verdict(&result, Instant::now() >= deadline));
            result
        })
    }
}
