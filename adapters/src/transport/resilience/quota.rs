//! The partner's quota: a governor token bucket (requests per second with a burst) that every
//! attempt waits on, giving up with `RateLimited` when the wait would pass the deadline.

use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use gateway_domain::SourceError;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use tower::{Layer, Service};

use super::retry::Retryable;

/// Quota settings of one system.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct QuotaConfig {
    /// Requests per second the registry allows (default 50).
    pub per_second: u32,
    /// Requests that may go at once after a quiet spell (default: `per_second`).
    pub burst: Option<u32>,
}

impl Default for QuotaConfig {
    fn default() -> Self {
        Self { per_second: 50, burst: None }
    }
}

impl QuotaConfig {
    /// The token bucket. Requests are spaced 2 % wider than `1 s / per_second`: the registry
    /// counts by its own clock when requests arrive, and without the margin network jitter could
    /// carry one request too many into the same second. A burst above 1 allows up to
    /// `burst + per_second` requests in one second after a quiet spell; set `burst = 1` where the
    /// registry counts strictly per second.
    pub fn limiter(&self) -> Arc<DefaultDirectRateLimiter> {
        let per_second = self.per_second.max(1);
        let period = Duration::from_micros(1_020_000 / u64::from(per_second));
        let burst = NonZeroU32::new(self.burst.unwrap_or(per_second).max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period).unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN)).allow_burst(burst);
        Arc::new(RateLimiter::direct(quota))
    }
}

#[derive(Clone)]
pub struct QuotaLayer {
    limiter: Arc<DefaultDirectRateLimiter>,
}

impl QuotaLayer {
    pub fn new(limiter: Arc<DefaultDirectRateLimiter>) -> Self {
        Self { limiter }
    }
}

impl<S> Layer<S> for QuotaLayer {
    type Service = QuotaService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        QuotaService { inner, limiter: self.limiter.clone() }
    }
}

#[derive(Clone)]
pub struct QuotaService<S> {
    inner: S,
    limiter: Arc<DefaultDirectRateLimiter>,
}

impl<S, Req> Service<Req> for QuotaService<S>
where
    S: Service<Req, Error = SourceError> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
    Req: Retryable + Send + 'static,
{
    type Response = S::Response;
    type Error = SourceError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, SourceError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), SourceError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Req) -> Self::Future {
        let limiter = self.limiter.clone();
        // The inner service was made ready for this call; take it and leave a fresh clone.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            let deadline = tokio::time::Instant::from_std(request.deadline());
            if tokio::time::timeout_at(deadline, limiter.until_ready()).await.is_err() {
                return Err(SourceError::RateLimited { retry_after: None });
            }
            inner.call(request).await
        })
    }
}
