//! `POST /v1/status-decisions`: one decision or a batch `{"decisions": [...]}`. Every decision
//! is checked before anything is stored; then all are stored in one transaction with one outbox
//! row per partner. Re-posting a stored version changes nothing.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gateway_domain::StatusDecision;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::body::JsonBody;
use super::{ApiError, AppState, Problem};
use crate::decisions::parse_body;
use crate::store::IntakeOutcome;

/// What storing the decisions did.
#[derive(Serialize, ToSchema)]
pub(super) struct IntakeReply {
    /// Versions stored now.
    stored: usize,
    /// Versions stored before with the same content.
    unchanged: usize,
    /// Each decision of the body, in its order.
    decisions: Vec<DecisionOutcome>,
}

/// A batch of decisions, all stored or none.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(super) struct DecisionBatch {
    #[schema(min_items = 1, max_items = 1000)]
    decisions: Vec<StatusDecision>,
}

#[derive(Serialize, ToSchema)]
struct DecisionOutcome {
    decision_ref: String,
    version: u32,
    outcome: IntakeOutcome,
}

/// Keep status decisions for delivery to the partners.
///
/// One decision, or `{"decisions": [...]}`. Every decision is checked before any is stored;
/// then all are stored with one outbox row per partner in one transaction. Re-posting a
/// stored version changes nothing.
#[utoipa::path(
    post,
    path = "/v1/status-decisions",
    tag = "status decisions",
    operation_id = "create_status_decisions",
    request_body(
        content = super::openapi::StatusDecisionsBody,
        content_type = "application/json",
    ),
    responses(
        (status = 201, description = "At least one version was stored now", body = IntakeReply,
            links(("ShowDecision" = (
                operation_id = "show_status_decision",
                parameters(("decision_ref" = "$response.body#/decisions/0/decision_ref")),
                description = "Where the first decision of the body stands"
            )))),
        (status = 200, description = "Every version was stored before with the same content", body = IntakeReply),
        (status = 400, description = "`invalid-field`: a decision's field is not valid (`field` points at it, e.g. `/decisions/2/members/0`); `invalid-body`: the body is not JSON",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`decision-conflict`: a version was stored before with different content (`field` points at it)",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "`payload-too-large`: the body is larger than `server.max_body_bytes`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported-media-type`: the body is not `application/json`",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`store-unavailable`: nothing was stored; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
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
