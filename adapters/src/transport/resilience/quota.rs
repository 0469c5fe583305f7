//! A system's quota: a governor token bucket (requests per second with a burst) that every
//! attempt waits on in the admission layer.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::Deserialize;

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
