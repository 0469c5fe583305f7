//! The resilience stack each system's calls go through, outermost first: retry (idempotent
//! reads only) -> circuit breaker -> admission (concurrency limit, then quota, both bounded by
//! the deadline) -> the HTTP call itself. Every attempt passes the breaker and the quota, so a
//! retry storm can neither hammer a registry that is down nor exceed what the registry allows;
//! and time spent in the gateway's own queue never counts against the registry.

mod admission;
mod breaker;
mod counts;
mod quota;
mod retry;

pub use admission::{AdmissionLayer, AdmissionService};
pub use breaker::{Breaker, BreakerConfig, BreakerLayer, BreakerService, BreakerState};
pub use counts::{StackCounters, StackCounts};
pub use quota::QuotaConfig;
pub use retry::{RetryConfig, RetryPolicy, Retryable, backoff};

#[cfg(test)]
mod tests;
