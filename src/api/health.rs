//! `/readyz`: whether the gateway can answer, and the circuit breaker of each registry it asks
//! and each partner it delivers to; `/healthz`: whether it runs at all; the answers' signing key.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gateway_adapters::transport::BreakerState;
use gateway_adapters::transport::resilience::Breaker;
use gateway_domain::System;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use crate::store::StoreHealth;

/// Whether the gateway can answer, and each breaker's state.
#[derive(Serialize, ToSchema)]
pub(super) struct Readiness {
    /// Whether the gateway can keep what it is sent: false (and status 503) when the store is
    /// unreachable, not writable or no longer the file it opened.
    ready: bool,
    /// The gateway answers either way; `degraded` says some answers will carry gaps.
    degraded: bool,
    store: StoreHealth,
    systems: Vec<SystemHealth>,
}

#[derive(Serialize, ToSchema)]
struct SystemHealth {
    /// The registry's or partner's key, e.g. `vsaa`.
    #[schema(value_type = String, example = "vsaa")]
    system: System,
    /// `registry` (asked) or `partner` (delivered to): SPOLIS is both, with a breaker each.
    #[schema(example = "registry")]
    role: &'static str,
    /// `closed` (calls go through), `open` (calls are not made) or `half_open` (one trial call).
    #[schema(value_type = String, example = "closed")]
    breaker: BreakerState,
}

/// Whether the gateway can keep what it is sent, and the circuit breaker of each registry and
/// partner.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    operation_id = "readiness",
    responses(
        (status = 200, description = "Ready: the store is reachable and writable", body = Readiness),
        (status = 503, description = "Not ready: the store is unreachable, not writable or no longer the file opened; the body says which",
            body = Readiness),
    )
)]
pub(super) async fn readiness(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let health = |role| {
        move |(system, breaker): &(System, Breaker)| SystemHealth { system: *system, role, breaker: breaker.state() }
    };
    let systems: Vec<SystemHealth> = state
        .breakers
        .iter()
        .map(health("registry"))
        .chain(state.partner_breakers.iter().map(health("partner")))
        .collect();
    let degraded = systems.iter().any(|s| s.breaker != BreakerState::Closed);
    let store = state.decisions.store.health().await;
    let ready = store.ready();
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(Readiness { ready, degraded, store, systems }))
}

/// The process is up.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    operation_id = "liveness",
    responses((status = 200, description = "The gateway runs", body = String, content_type = "text/plain", example = "ok"))
)]
pub(super) async fn live() -> &'static str {
    "ok"
}

/// `GET /.well-known/jwks.json`: the public key income-check answers are signed with.
#[utoipa::path(
    get,
    path = "/.well-known/jwks.json",
    tag = "health",
    operation_id = "signing_keys",
    responses((status = 200, description = "The JWKS of the key income-check answers are signed with (EdDSA, Ed25519)",
        body = super::openapi::Jwks, content_type = "application/json"))
)]
pub(super) async fn signing_keys(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(state.signer.jwks())
}
