//! Delivery receipts for the case system: `GET /v1/status-decisions/{decision_ref}` (every
//! stored version and where it stands at each partner) and `GET /v1/deliveries` (the feed of
//! delivery state changes, in commit order, read with a cursor). Neither carries personal
//! codes: decision references, versions and partners only.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use gateway_domain::is_decision_ref;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiError, AppState, Problem};
use crate::store::{DecisionView, DeliveryChange};

/// Changes one page holds at most, and by default.
const MAX_PAGE: u32 = 1_000;
const DEFAULT_PAGE: u32 = 100;

/// Every stored version of a decision and, per partner, where its delivery stands.
#[utoipa::path(
    get,
    path = "/v1/status-decisions/{decision_ref}",
    tag = "status decisions",
    operation_id = "show_status_decision",
    params(("decision_ref" = gateway_domain::openapi::DecisionRef, Path, description = "The decision's reference")),
    responses(
        (status = 200, description = "The decision's versions and deliveries", body = DecisionView),
        (status = 400, description = "`invalid-parameter`: `decision_ref` is not a reference",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not-found`: no decision of that reference is stored",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`store-unavailable`: the store cannot be read now",
            body = Problem, content_type = "application/problem+json"),
    )
)]
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

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct FeedQuery {
    /// The cursor a page gave as `next`; from the start when absent or empty.
    #[serde(default)]
    #[param(value_type = Option<String>, pattern = "^[0-9]{0,18}$")]
    after: Option<String>,
    /// Changes a page holds at most.
    #[serde(default)]
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
}

/// A page of the feed and the cursor to ask from next.
#[derive(Serialize, ToSchema)]
pub(super) struct FeedPage {
    changes: Vec<DeliveryChange>,
    /// Pass as `after` next time; the same as asked when the page is empty.
    next: String,
}

fn invalid(parameter: &'static str, detail: &str) -> ApiError {
    ApiError::InvalidParameter { parameter, detail: detail.to_owned() }
}

/// Delivery state changes in commit order, read with a cursor.
#[utoipa::path(
    get,
    path = "/v1/deliveries",
    tag = "status decisions",
    operation_id = "list_deliveries",
    params(FeedQuery),
    responses(
        (status = 200, description = "A page of changes", body = FeedPage),
        (status = 400, description = "`invalid-parameter`: `after` is not a cursor the feed gave or `limit` not 1 to 1000",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`store-unavailable`: the store cannot be read now",
            body = Problem, content_type = "application/problem+json"),
    )
)]
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
