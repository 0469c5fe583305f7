//! `POST /v1/referrals`: one referral or a batch `{"referrals": [...]}`, each a version of a
//! referral to a service provider (amendments and cancellations are later versions). Every
//! referral is checked before anything is stored; then all are stored in one transaction with
//! their outbox rows to DigiSoc. Re-posting a stored version changes nothing.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gateway_domain::Referral;
use serde::Serialize;

use super::body::JsonBody;
use super::{ApiError, AppState};
use crate::providers::referrals::parse_body;
use crate::store::IntakeOutcome;

#[derive(Serialize)]
pub(super) struct ReferralReply {
    stored: usize,
    unchanged: usize,
    referrals: Vec<ReferralOutcome>,
}

#[derive(Serialize)]
struct ReferralOutcome {
    referral_ref: String,
    version: u32,
    outcome: IntakeOutcome,
}

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
