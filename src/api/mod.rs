//! The HTTP API the case system calls: routes, the error table, health.

mod co_financing;
mod health;
mod income_checks;
mod problem;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};

pub use problem::{ApiError, PROBLEM_TYPE_PREFIX, Problem};

use gateway_adapters::transport::resilience::Breaker;
use gateway_domain::{CoFinancingSource, System};

use crate::income_check::IncomeCheck;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub income_check: IncomeCheck,
    /// How long an income check may take from the moment it is received.
    pub deadline: Duration,
    /// Each registry's circuit breaker, reported by `/readyz`.
    pub breakers: Vec<(System, Breaker)>,
    /// SPOLIS's co-financing confirmations.
    pub cofinancing: Arc<dyn CoFinancingSource>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/income-checks", post(income_checks::create))
        .route("/v1/co-financing/{municipality}/{month}", get(co_financing::show))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(health::readiness))
        .fallback(|| async { ApiError::NotFound })
        .with_state(state)
}
