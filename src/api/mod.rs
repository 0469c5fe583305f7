//! The HTTP API the case system calls: routes, the error table, health.

mod access_log;
mod assessments;
pub mod body;
mod co_financing;
mod deliveries;
pub mod edge;
mod food_aid_kits;
mod health;
mod income_checks;
pub mod openapi;
mod problem;
mod provider_reports;
mod referrals;
mod status_decisions;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware;
use axum::routing::{MethodFilter, MethodRouter, on};
use tower_http::catch_panic::CatchPanicLayer;

pub use problem::{ApiError, PROBLEM_TYPE_PREFIX, Problem};

use gateway_adapters::transport::resilience::Breaker;
use gateway_domain::{CoFinancingSource, FoodAidKits, System};

use crate::assessment::Rules;
use crate::audit::AuditLog;
use crate::auth::{Access, Guard, KeySet, Role};
use crate::income_check::IncomeCheck;
use crate::providers::ProviderRules;
use crate::purposes::Profiles;
use crate::signing::Signer;
use crate::store::Store;

/// Where decisions and referrals posted to the API go, and which partners get an outbox row
/// for each decision (referrals go to DigiSoc).
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
    /// KIM's record of the food-aid kits issued, when KIM is a configured partner.
    pub food_aid_kits: Option<Arc<dyn FoodAidKits>>,
    /// SPOLIS's co-financing confirmations.
    pub cofinancing: Arc<dyn CoFinancingSource>,
    /// The means test's levels and counting rules.
    pub rules: Arc<Rules>,
    /// Where every registry question is recorded before it is asked.
    pub audit: AuditLog,
    /// Signs income-check answers.
    pub signer: Arc<Signer>,
    /// What each purpose may ask.
    pub purposes: Arc<Profiles>,
    /// The limits of referred services.
    pub provider_rules: Arc<ProviderRules>,
    /// What `/metrics` and the console report.
    pub metrics: crate::metrics::Metrics,
    /// The last sync runs of this process, for the console.
    pub syncs: crate::status_sync::SyncHistory,
    /// Whether the API is served over TLS (the console's cookie is then `Secure`).
    pub served_over_tls: bool,
}

/// What the API refuses before a handler runs.
#[derive(Debug, Clone, Copy)]
pub struct ApiLimits {
    pub edge: edge::EdgeLimits,
    pub max_body_bytes: usize,
    /// Requests per second and burst one caller may make.
    pub per_caller: (u32, u32),
}

/// One route: its method and path, who may call it, and its handler.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    handler: MethodRouter<AppState>,
}

fn route<H, T>(method: Method, path: &'static str, access: Access, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    // Only the standard methods below are used, and each has a filter.
    let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
    Route { method, path, access, handler: on(filter, handler) }
}

/// Every route of the API with its access rule: the router is built from this table and only
/// from it, so that no route exists without a rule.
pub fn routes() -> Vec<Route> {
    use Role::{CaseSystem, Caseworker, DataProtection, Operator, Reports};
    vec![
        route(Method::POST, "/v1/income-checks", Access::Roles(&[Caseworker]), income_checks::create),
        route(Method::POST, "/v1/assessments", Access::Roles(&[Caseworker]), assessments::create),
        route(Method::POST, "/v1/status-decisions", Access::Roles(&[CaseSystem]), status_decisions::create),
        route(Method::GET, "/v1/status-decisions/{decision_ref}", Access::Roles(&[CaseSystem]), deliveries::show),
        route(Method::GET, "/v1/deliveries", Access::Roles(&[CaseSystem]), deliveries::feed),
        route(Method::POST, "/v1/referrals", Access::Roles(&[CaseSystem]), referrals::create),
        route(Method::GET, "/v1/co-financing/{municipality}/{month}", Access::Roles(&[Reports]), co_financing::show),
        route(Method::GET, "/v1/provider-reports", Access::Roles(&[Reports]), provider_reports::show),
        route(Method::GET, "/v1/food-aid-kits", Access::Roles(&[Reports]), food_aid_kits::show),
        route(Method::GET, "/v1/access-log", Access::Roles(&[DataProtection]), access_log::show),
        route(Method::GET, "/metrics", Access::Roles(&[Operator]), crate::metrics::scrape),
        // The console's routes also take its cookie in place of the header (`auth::cookie`).
        route(Method::GET, "/console", Access::Roles(&[Operator]), crate::console::show),
        route(Method::POST, "/console/dead-letters/retry", Access::Roles(&[Operator]), crate::console::retry),
        route(Method::POST, "/console/logout", Access::Roles(&[Operator]), crate::console::logout),
        // The sign-in form checks the token it is given itself.
        route(Method::GET, "/console/login", Access::Public, crate::console::login_form),
        route(Method::POST, "/console/login", Access::Public, crate::console::login),
        route(Method::GET, "/.well-known/jwks.json", Access::Public, health::signing_keys),
        route(Method::GET, "/healthz", Access::Public, health::live),
        route(Method::GET, "/readyz", Access::Public, health::readiness),
        route(Method::GET, "/openapi.json", Access::Public, openapi::serve),
    ]
}

pub fn router(state: AppState, keys: Arc<KeySet>, limits: ApiLimits) -> Router {
    let limiter = crate::auth::caller_limiter(limits.per_caller.0, limits.per_caller.1);
    // Callers seen once are forgotten when their allowance has refilled.
    let forget = Arc::downgrade(&limiter);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_secs(60));
        loop {
            ticks.tick().await;
            let Some(limiter) = forget.upgrade() else { return };
            limiter.retain_recent();
        }
    });
    let mut router = Router::new();
    for Route { path, access, handler, .. } in routes() {
        let cookie = crate::auth::cookie::accepts_cookie(path);
        let guard = Guard { keys: keys.clone(), access, limiter: limiter.clone(), cookie };
        router = router.route(path, handler.route_layer(middleware::from_fn_with_state(guard, crate::auth::authorize)));
    }
    router
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(axum::Extension(keys))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(CatchPanicLayer::custom(edge::panicked))
        .layer(middleware::from_fn_with_state(limits.edge, edge::guard))
        .with_state(state)
}
