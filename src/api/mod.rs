//! The HTTP API the case system calls: routes, the error table, health.

mod assessments;
pub mod body;
mod co_financing;
mod deliveries;
pub mod edge;
mod health;
mod income_checks;
mod problem;
mod status_decisions;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;

pub use problem::{ApiError, PROBLEM_TYPE_PREFIX, Problem};

use gateway_adapters::transport::resilience::Breaker;
use gateway_domain::{CoFinancingSource, System};

use crate::assessment::Rules;
use crate::income_check::IncomeCheck;
use crate::store::Store;

/// Where decisions posted to the API go, and which partners get an outbox row for each.
#[derive(Clone)]
pub struct DecisionIntake {
    pub store: Store,
    pub partners: Vec<System>,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub income_check: IncomeCheck,
    /// How long an income check may take from the moment it is received.
    pub deadline: Duration,
    /// Each registry's circuit breaker, reported by `/readyz`.
    pub breakers: Vec<(System, Breaker)>,
    /// Each partner's circuit breaker, when this process delivers status decisions.
    pub partner_breakers: Vec<(System, Breaker)>,
    pub decisions: DecisionIntake,
    /// SPOLIS's co-financing confirmations.
    pub cofinancing: Arc<dyn CoFinancingSource>,
    /// The means test's levels and counting rules.
    pub rules: Arc<Rules>,
}

/// What the API refuses before a handler runs.
#[derive(Debug, Clone, Copy)]
pub struct ApiLimits {
    pub edge: edge::EdgeLimits,
    pub max_body_bytes: usize,
}

pub fn router(state: AppState, limits: ApiLimits) -> Router {
    Router::new()
        .route("/v1/income-checks", post(income_checks::create))
        .route("/v1/assessments", post(assessments::create))
        .route("/v1/status-decisions", post(status_decisions::create))
        .route("/v1/status-decisions/{decision_ref}", get(deliveries::show))
        .route("/v1/deliveries", get(deliveries::feed))
        .route("/v1/co-financing/{municipality}/{month}", get(co_financing::show))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(health::readiness))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(CatchPanicLayer::custom(edge::panicked))
        .layer(middleware::from_fn_with_state(limits.edge, edge::guard))
        .with_state(state)
}
