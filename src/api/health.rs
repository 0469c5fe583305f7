//! `/readyz`: whether the gateway can answer, and each registry's circuit breaker.

use axum::Json;
use axum::extract::State;
use gateway_adapters::transport::BreakerState;
use gateway_domain::System;
use serde::Serialize;

use super::AppState;

#[derive(Serialize)]
pub(super) struct Readiness {
    /// The gateway answers either way; `degraded` says some answers will carry gaps.
    degraded: bool,
    systems: Vec<SystemHealth>,
}

#[derive(Serialize)]
struct SystemHealth {
    system: System,
    breaker: BreakerState,
}

pub(super) async fn readiness(State(state): State<AppState>) -> Json<Readiness> {
    let systems: Vec<SystemHealth> = state
        .breakers
        .iter()
        .map(|(system, breaker)| SystemHealth { system: *system, breaker: breaker.state() })
        .collect();
    let degraded = systems.iter().any(|s| s.breaker != BreakerState::Closed);
    Json(Readiness { degraded, systems })
}
