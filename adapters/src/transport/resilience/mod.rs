//! The resilience stack each system's calls go through, outermost first: retry (idempotent
//! reads only) -> circuit breaker -> concurrency limit -> quota -> the HTTP call itself. Every
//! attempt passes the breaker and the quota, so a retry storm can neither hammer a registry
//! that is down nor exceed what the registry allows.

mod breaker;
mod quota;
mod retry;

pub use breaker::{Breaker, BreakerConfig, BreakerLayer, BreakerService, BreakerState};
pub use quota::{QuotaConfig, QuotaLayer, QuotaService};
pub use retry::{RetryConfig, RetryPolicy, Retryable};

#[cfg(test)]
mod tests;
