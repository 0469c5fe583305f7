//! The partner's quota: a governor token bucket (requests per second with a burst) that every
//! attempt waits on, giving up with `RateLimited` when the wait would pass the deadline.

use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

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
    pub fn limiter(&self) -> Arc<DefaultDirectRateLimiter> {
        let rate = NonZeroU32::new(self.per_second.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(self.burst.unwrap_or(self.per_second).max(1)).unwrap_or(NonZeroU32::MIN);
        Arc::new(RateLimiter::direct(Quota::per_second(rate).allow_burst(burst)))
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
