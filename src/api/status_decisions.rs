//! `POST /v1/status-decisions`: one decision or a batch `{"decisions": [...]}`. Every decision
//! is checked before anything is stored; then all are stored in one transaction with one outbox
//! row per partner. Re-posting a stored version changes nothing.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use super::body::JsonBody;
use super::{ApiError, AppState};
use crate::decisions::parse_body;
use crate::store::IntakeOutcome;

#[derive(Serialize)]
pub(super) struct IntakeReply {
    stored: usize,
    unchanged: usize,
    decisions: Vec<DecisionOutcome>,
}

#[derive(Serialize)]
struct DecisionOutcome {
    decision_ref: String,
    version: u32,
    outcome: IntakeOutcome,
}

pub(super) async fn create(
    State(state): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<IntakeReply>), ApiError> {
    let (decisions, batch) = parse_body(&body)?;
    // Answered 2xx only once the commit returned success; any store error is a 503.
    let outcomes = state.decisions.store.store_messages(&decisions, &state.decisions.partners).await?;
    if let Some(index) = outcomes.iter().position(|o| *o == IntakeOutcome::Conflict) {
        let field = if batch { format!("/decisions/{index}") } else { String::new() };
        return Err(ApiError::DecisionConflict { field });
    }
    let stored = outcomes.iter().filter(|o| **o == IntakeOutcome::Stored).count();
    tracing::info!(decisions = decisions.len(), stored, "Status decisions received.");
    let reply = IntakeReply {
        stored,
        unchanged: outcomes.len() - stored,
        decisions: decisions
            .iter()
            .zip(outcomes)
            .map(|(d, outcome)| DecisionOutcome { decision_ref: d.decision_ref.clone(), version: d.version, outcome })
            .collect(),
    };
    let status = if stored > 0 { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(reply)))
}
