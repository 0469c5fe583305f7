//! `GET /v1/access-log?person=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD` (role `data-protection`):
//! every question the gateway asked about one person, with when, who, why and what came of
//! it; never the facts, never another person.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use gateway_domain::PersonCode;
use serde::{Deserialize, Serialize};

use super::{ApiError, AppState};
use crate::audit::cli::access_record;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AccessQuery {
    person: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

#[derive(Serialize)]
pub(super) struct AccessLog {
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
