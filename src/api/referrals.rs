//! `POST /v1/referrals`: one referral or a batch `{"referrals": [...]}`, each a version of a
//! referral to a service provider (amendments and cancellations are later versions). Every
//! referral is checked before anything is stored; then all are stored in one transaction with
//! their outbox rows to DigiSoc. Re-posting a stored version changes nothing.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gateway_domain::Referral;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::body::JsonBody;
use super::{ApiError, AppState, Problem};
use crate::providers::referrals::parse_body;
use crate::store::IntakeOutcome;

/// What storing the referrals did.
#[derive(Serialize, ToSchema)]
pub(super) struct ReferralReply {
    /// Versions stored now.
    stored: usize,
    /// Versions stored before with the same content.
    unchanged: usize,
    /// Each referral of the body, in its order.
    referrals: Vec<ReferralOutcome>,
}

/// A batch of referrals, all stored or none; no version twice.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(super) struct ReferralBatch {
    #[schema(min_items = 1, max_items = 1000)]
    referrals: Vec<Referral>,
}

#[derive(Serialize, ToSchema)]
struct ReferralOutcome {
    referral_ref: String,
    version: u32,
    outcome: IntakeOutcome,
}

/// Keep referrals to service providers for delivery to DigiSoc.
///
/// One referral, or `{"referrals": [...]}`, each a version (amendments and cancellations are
/// later versions). Every referral is checked before any is stored. Re-posting a stored
/// version changes nothing.
#[utoipa::path(
    post,
    path = "/v1/referrals",
    tag = "service providers",
    operation_id = "create_referrals",
    request_body(
        content = super::openapi::ReferralsBody,
        content_type = "application/json",
    ),
    responses(
        (status = 201, description = "At least one version was stored now", body = ReferralReply),
        (status = 200, description = "Every version was stored before with the same content", body = ReferralReply),
        (status = 400, description = "`invalid-field`: a referral's field is not valid (`field` points at it, e.g. `/referrals/1/volume/kind`); `invalid-body`: the body is not JSON",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`referral-conflict`: a version was stored before with different content (`field` points at it)",
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
) -> Result<(StatusCode, Json<ReferralReply>), ApiError> {
    let (referrals, batch) = parse_body(&body)?;
    let outcomes = state.decisions.store.store_messages(&referrals, &[Referral::RECIPIENT]).await?;
    if let Some(index) = outcomes.iter().position(|o| *o == IntakeOutcome::Conflict) {
        let field = if batch { format!("/referrals/{index}") } else { String::new() };
        return Err(ApiError::ReferralConflict { field });
    }
    let stored = outcomes.iter().filter(|o| **o == IntakeOutcome::Stored).count();
    tracing::info!(referrals = referrals.len(), stored, "Referrals received.");
    let reply = ReferralReply {
        stored,
        unchanged: outcomes.len() - stored,
        referrals: referrals
            .iter()
            .zip(outcomes)
            .map(|(r, outcome)| ReferralOutcome { referral_ref: r.referral_ref.clone(), version: r.version, outcome })
            .collect(),
    };
    let status = if stored > 0 { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(reply)))
}
