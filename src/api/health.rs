//! `/readyz`: whether the gateway can answer, and the circuit breaker of each registry it asks
//! and each partner it delivers to.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gateway_adapters::transport::BreakerState;
use gateway_adapters::transport::resilience::Breaker;
use gateway_domain::System;
use serde::Serialize;

use super::AppState;
use crate::store::StoreHealth;

#[derive(Serialize)]
pub(super) struct Readiness {
    /// Whether the gateway can keep what it is sent: false (and status 503) when the store is
    /// unreachable, not writable or no longer the file it opened.
    ready: bool,
    /// The gateway answers either way; `degraded` says some answers will carry gaps.
    degraded: bool,
    store: StoreHealth,
    systems: Vec<SystemHealth>,
}

#[derive(Serialize)]
struct SystemHealth {
    system: System,
    /// `registry` (asked) or `partner` (delivered to): SPOLIS is both, with a breaker each.
    role: &'static str,
    breaker: BreakerState,
}

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

/// `GET /.well-known/jwks.json`: the public key income-check answers are signed with.
pub(super) async fn signing_keys(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(state.signer.jwks())
}
