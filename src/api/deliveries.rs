//! Delivery receipts for the case system: `GET /v1/status-decisions/{decision_ref}` (every
//! stored version and where it stands at each partner) and `GET /v1/deliveries` (the feed of
//! delivery state changes, in commit order, read with a cursor). Neither carries personal
//! codes: decision references, versions and partners only.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use gateway_domain::is_decision_ref;
use serde::{Deserialize, Serialize};

use super::{ApiError, AppState};
use crate::store::{DecisionView, DeliveryChange};

/// Changes one page holds at most, and by default.
const MAX_PAGE: u32 = 1_000;
const DEFAULT_PAGE: u32 = 100;

pub(super) async fn show(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<DecisionView>, ApiError> {
    let Path(reference) =
        path.map_err(|_| invalid("decision_ref", "the path is /v1/status-decisions/{decision_ref}"))?;
    if !is_decision_ref(&reference) {
        return Err(invalid("decision_ref", gateway_domain::DECISION_REF_RULE));
    }
    let view = state.decisions.store.decision_view(&reference).await?;
    view.map(Json).ok_or(ApiError::NotFound)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FeedQuery {
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    limit: Option<String>,
}

/// A page of the feed and the cursor to ask from next.
#[derive(Serialize)]
pub(super) struct FeedPage {
    changes: Vec<DeliveryChange>,
    /// Pass as `after` next time; the same as asked when the page is empty.
    next: String,
}

fn invalid(parameter: &'static str, detail: &str) -> ApiError {
    ApiError::InvalidParameter { parameter, detail: detail.to_owned() }
}

pub(super) async fn feed(
    State(state): State<AppState>,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Result<Json<FeedPage>, ApiError> {
    let Query(query) = query.map_err(|_| invalid("after", "the query parameters are after and limit"))?;
    let after = match query.after.as_deref() {
        None | Some("") => 0,
        Some(raw) if raw.bytes().all(|b| b.is_ascii_digit()) && raw.len() <= 18 => {
            raw.parse::<i64>().map_err(|_| invalid("after", "a cursor the feed gave"))?
        }
        Some(_) => return Err(invalid("after", "a cursor the feed gave")),
    };
    let limit = match query.limit.as_deref() {
        None => DEFAULT_PAGE,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| invalid("limit", "a whole number from 1 to 1000"))?,
    };
    let changes = state.decisions.store.changes_after(after, limit).await?;
    let next = changes.last().map_or(after, |c| c.position).to_string();
    Ok(Json(FeedPage { changes, next }))
}
