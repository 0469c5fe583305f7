//! Admission: the gateway's own queue in front of a registry. Every attempt takes a slot of the
//! concurrency limit and a token of the quota; one that has to wait for either waits at most
//! until `min_attempt` before the request's deadline. An attempt that cannot start by then fails
//! with `RateLimited` without reaching the registry: the gateway shed it, the registry did
//! nothing wrong, so the breaker outside learns nothing from it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use gateway_domain::SourceError;
use governor::DefaultDirectRateLimiter;
use tokio::sync::Semaphore;
use tower::{Layer, Service};

use super::counts::StackCounters;
use super::retry::Retryable;

/// The concurrency limit and quota of one system; clones share them.
#[derive(Clone)]
pub struct AdmissionLayer {
    slots: Arc<Semaphore>,
    limiter: Arc<DefaultDirectRateLimiter>,
    min_attempt: Duration,
    counters: Option<Arc<StackCounters>>,
}

impl AdmissionLayer {
    /// At most `concurrency` calls in flight, at the pace of `limiter`; no attempt starts with
    /// less than `min_attempt` left before its deadline (it would only time out, and its
    /// timeout would be the queue's doing, not the registry's).
    pub fn new(concurrency: usize, limiter: Arc<DefaultDirectRateLimiter>, min_attempt: Duration) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(concurrency.clamp(1, Semaphore::MAX_PERMITS))),
            limiter,
            min_attempt,
            counters: None,
        }
    }

    /// Counts each attempt that has to wait for a quota token in `counters`.
    pub fn counting(self, counters: Arc<StackCounters>) -> Self {
        Self { counters: Some(counters), ..self }
    }
}

impl<S> Layer<S> for AdmissionLayer {
    type Service = AdmissionService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AdmissionService {
            inner,
            slots: self.slots.clone(),
            limiter: self.limiter.clone(),
            min_attempt: self.min_attempt,
            counters: self.counters.clone(),
        }
    }
}

#[derive(Clone)]
pub struct AdmissionService<S> {
    inner: S,
    slots: Arc<Semaphore>,
    limiter: Arc<DefaultDirectRateLimiter>,
    min_attempt: Duration,
    counters: Option<Arc<StackCounters>>,
}

/// What an attempt gets when the gateway's own queue did not let it start in time.
fn shed() -> SourceError {
    SourceError::RateLimited { retry_after: None }
}

impl<S, Req> Service<Req> for AdmissionService<S>
where
    S: Service<Req, Error = SourceError> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
    Req: Retryable + Send + 'static,
{
    type Response = S::Response;
    type Error = SourceError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, SourceError>> + Send>>;

    /// Always ready: the waiting happens in the call, where the deadline is known.
    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), SourceError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Req) -> Self::Future {
        let (slots, limiter) = (self.slots.clone(), self.limiter.clone());
        let mut inner = self.inner.clone();
        let min_attempt = self.min_attempt;
        let counters = self.counters.clone();
        Box::pin(async move {
            // A call that can start now starts, however little time is left; one that has to
            // wait waits only until `min_attempt` before its deadline.
            let deadline = request.deadline();
            let wait_until = tokio::time::Instant::from_std(deadline.checked_sub(min_attempt).unwrap_or(deadline));
            let _slot = match slots.clone().try_acquire_owned() {
                Ok(slot) => slot,
                Err(_) => match tokio::time::timeout_at(wait_until, slots.acquire_owned()).await {
                    Ok(Ok(slot)) => slot,
                    _ => return Err(shed()),
                },
            };
            if limiter.check().is_err() {
                if let Some(counters) = &counters {
                    counters.waited_for_quota();
                }
                if tokio::time::timeout_at(wait_until, limiter.until_ready()).await.is_err() {
                    return Err(shed());
                }
            }
            std::future::poll_fn(|cx| inner.poll_ready(cx)).await?;
            inner.call(request).await
        })
    }
}
