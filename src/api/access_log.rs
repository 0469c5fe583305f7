//! `GET /v1/access-log?person=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD` (role `data-protection`):
//! every question the gateway asked about one person, with when, who, why and what came of
//! it; never the facts, never another person.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use gateway_domain::PersonCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiError, AppState, Problem};
use crate::audit::cli::access_record;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct AccessQuery {
    /// The person asked about.
    #[param(value_type = PersonCode)]
    person: String,
    /// From this day on (UTC).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// Up to the end of this day (UTC).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
}

/// Every question asked about the person, oldest first.
#[derive(Serialize, ToSchema)]
pub(super) struct AccessLog {
    /// Each: when, the request id, who asked (caller, institution, officer), why (purpose,
    /// legal basis, case), which registry about what, and the outcome; never the facts.
    #[schema(value_type = Vec<Object>)]
    entries: Vec<serde_json::Value>,
}

fn invalid(parameter: &'static str, detail: &str) -> ApiError {
    ApiError::InvalidParameter { parameter, detail: detail.to_owned() }
}

/// Midnight UTC of a `YYYY-MM-DD` date, in Unix milliseconds.
fn day_ms(parameter: &'static str, raw: &str) -> Result<i64, ApiError> {
    let date = gateway_domain::parse_iso_date(raw).ok_or_else(|| invalid(parameter, "a date is written YYYY-MM-DD"))?;
    Ok(date.midnight().assume_utc().unix_timestamp() * 1000)
}

/// Every question the gateway asked a registry about one person: when, who, why and what came
/// of it.
#[utoipa::path(
    get,
    path = "/v1/access-log",
    tag = "audit",
    operation_id = "show_access_log",
    params(AccessQuery),
    responses(
        (status = 200, description = "The person's entries", body = AccessLog),
        (status = 400, description = "`invalid-parameter`: `person` is not a personal code or a date not `YYYY-MM-DD`",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`store-unavailable`: the store cannot be read now",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn show(
    State(state): State<AppState>,
    query: Result<Query<AccessQuery>, QueryRejection>,
) -> Result<Json<AccessLog>, ApiError> {
    let Query(query) = query.map_err(|_| invalid("person", "the query parameters are person, from and to"))?;
    let person = PersonCode::parse(&query.person).map_err(|e| invalid("person", &e.to_string()))?;
    let from = query.from.as_deref().map(|raw| day_ms("from", raw)).transpose()?.unwrap_or(0);
    // `to` is inclusive: up to the end of that day.
    let to = query.to.as_deref().map(|raw| day_ms("to", raw)).transpose()?.map_or(i64::MAX, |ms| ms + 86_400_000);
    let store = &state.decisions.store;
    let found = store.audit_find(&state.audit.person_hash(&person), from, to).await?;
    Ok(Json(AccessLog { entries: found.iter().map(access_record).collect() }))
}
