//! `GET /v1/co-financing/{municipality}/{month}`: what the state co-finances (30 %) of the GMI
//! and housing benefits a municipality paid in a month, as SPOLIS confirms it, with totals.

use std::time::Instant;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use gateway_domain::{
    CoFinancingStatement, Money, Month, MunicipalityKey, Officer, Purpose, RequestContext, RequestId, SourceError,
    System,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::IntoParams;

use super::{ApiError, AppState, Problem};
use crate::auth::Caller;
use crate::income_check::within_deadline;

/// The legal basis every SPOLIS co-financing call carries.
const LEGAL_BASIS: &str =
    "Social Services and Social Assistance Law: state co-financing of the GMI and housing benefits";

/// The optional query: the case system's user asking.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct Asker {
    /// The case system's user the question is asked for; the caller itself when absent. Only a
    /// `case-system` caller may name another.
    #[serde(default)]
    #[param(value_type = Option<gateway_domain::Officer>)]
    officer: Option<String>,
}

/// The answer: SPOLIS's statement and its totals.
#[derive(Debug, Serialize)]
pub(super) struct CoFinancing {
    #[serde(flatten)]
    statement: CoFinancingStatement,
    totals: Totals,
}

/// Sums over the confirmations. Households are not summed: a household may receive both
/// benefits, so a sum would count it twice.
#[derive(Debug, Serialize)]
struct Totals {
    #[serde(rename = "paid_cents")]
    paid: Money,
    #[serde(rename = "co_financed_cents")]
    co_financed: Money,
}

fn invalid(parameter: &'static str, detail: &str) -> ApiError {
    ApiError::InvalidParameter { parameter, detail: detail.to_owned() }
}

fn municipality(raw: &str) -> Result<MunicipalityKey, ApiError> {
    MunicipalityKey::parse(raw).map_err(|e| invalid("municipality", &e.to_string()))
}

/// A month that has ended: SPOLIS confirms a month's payments after it.
fn month(raw: &str, today: time::Date) -> Result<Month, ApiError> {
    let month = ApiError::month_parameter(raw)?;
    if month >= Month::of(today) {
        return Err(invalid("month", "the month must have ended"));
    }
    Ok(month)
}

/// The officer asking: the one the query names, if the caller may name one, or the caller.
fn officer(caller: &Caller, raw: Option<String>) -> Result<String, ApiError> {
    let named = match raw {
        None => None,
        Some(raw) => Some(Officer::parse(&raw).map(Officer::into_string).map_err(|_| {
            invalid("officer", "officer is the case system's user id, 1-64 characters, no control characters")
        })?),
    };
    caller.officer(named.as_deref())
}

/// What SPOLIS confirms the state co-finances of the GMI and housing benefits a municipality
/// paid in a month that has ended.
#[utoipa::path(
    get,
    path = "/v1/co-financing/{municipality}/{month}",
    tag = "co-financing",
    operation_id = "show_co_financing",
    params(
        ("municipality" = String, Path, description = "The municipality's key: lowercase words joined by hyphens, e.g. `tukums`",
            pattern = "^[a-z]+(-[a-z]+)*$", max_length = 40),
        ("month" = Month, Path, description = "A month that has ended"),
        Asker,
    ),
    responses(
        (status = 200, description = "The confirmations and their totals", body = super::openapi::CoFinancingAnswer),
        (status = 400, description = "`invalid-parameter`: the municipality is not a key, the month not `YYYY-MM` or not yet ended, or the officer not valid (`parameter` names it)",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`officer-not-caller`: only the case system may name another officer",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`no-co-financing`: SPOLIS has no confirmations for that municipality and month",
            body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "`registry-failed`: SPOLIS failed; `detail` says how",
            body = Problem, content_type = "application/problem+json"),
        (status = 504, description = "`registry-timeout`: SPOLIS did not answer before the deadline",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn show(
    State(state): State<AppState>,
    Extension(request_id): Extension<RequestId>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<Asker>, QueryRejection>,
) -> Result<Json<CoFinancing>, ApiError> {
    // A path that does not decode (bad percent-encoding, not UTF-8) names no parameter we can
    // trust; the municipality comes first in it.
    let Path((raw_municipality, raw_month)) =
        path.map_err(|_| invalid("municipality", "the path is /v1/co-financing/{municipality}/{month}"))?;
    let Query(asker) = query.map_err(|_| invalid("officer", "the only query parameter is officer"))?;
    let municipality = municipality(&raw_municipality)?;
    let month = month(&raw_month, OffsetDateTime::now_utc().date())?;
    let ctx = RequestContext {
        request_id,
        purpose: Purpose::SocialAssistance,
        legal_basis: LEGAL_BASIS.to_owned(),
        officer: officer(&caller, asker.officer)?,
        deadline: Instant::now() + state.deadline,
    };
    let answer = within_deadline(&ctx, state.cofinancing.confirmations(municipality.as_str(), month, &ctx)).await;
    let statement = answer.map_err(|error| {
        tracing::info!(request_id = %ctx.request_id, system = %System::Spolis, reason = ?error.gap_reason(), "Co-financing not answered.");
        match error {
            SourceError::NotFound => ApiError::NoCoFinancing,
            other => ApiError::from_registry(System::Spolis, &other),
        }
    })?;
    let totals = Totals {
        paid: statement.confirmations.iter().map(|c| c.paid).sum(),
        co_financed: statement.confirmations.iter().map(|c| c.co_financed).sum(),
    };
    tracing::info!(request_id = %ctx.request_id, confirmations = statement.confirmations.len(), "Co-financing answered.");
    Ok(Json(CoFinancing { statement, totals }))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn municipality_keys_are_lowercase_words() {
        for good in ["tukums", "dienvidkurzeme", "rezekne-city"] {
            assert!(municipality(good).is_ok(), "{good}");
        }
        for bad in ["", "Tukums", "tukums-", "-tukums", "tu kums", "tukums/2025-01", "ķekava", &"a".repeat(41)] {
            assert!(matches!(municipality(bad), Err(ApiError::InvalidParameter { parameter: "municipality", .. })));
        }
    }

    #[test]
    fn only_months_that_have_ended_are_asked_for() {
        let today = date!(2026 - 11 - 25);
        assert_eq!(month("2026-10", today).unwrap().to_string(), "2026-10");
        for bad in ["2026-11", "2027-01", "2026-13", "2026-1", "october"] {
            assert!(matches!(month(bad, today), Err(ApiError::InvalidParameter { parameter: "month", .. })), "{bad}");
        }
    }

    #[test]
    fn problems_never_quote_the_value() {
        let today = date!(2026 - 11 - 25);
        for error in [month("20X6-10", today).unwrap_err(), municipality("Secret-Name").unwrap_err()] {
            let problem = crate::api::Problem::from(&error);
            let text = serde_json::to_string(&problem).unwrap();
            assert!(!text.contains("20X6") && !text.contains("Secret"), "{text}");
        }
    }
}
