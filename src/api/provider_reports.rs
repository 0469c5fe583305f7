//! `GET /v1/provider-reports?month=2026-10[&provider=40003123456]`: the month's reconciliation
//! of referrals, providers' execution reports and invoices, per provider and service, with
//! every finding.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use gateway_domain::{Month, is_registration_number};
use serde::Deserialize;

use super::{ApiError, AppState};
use crate::providers::{ProviderReport, provider_report};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReportQuery {
    month: String,
    #[serde(default)]
    provider: Option<String>,
}

fn invalid(parameter: &'static str, detail: &str) -> ApiError {
    ApiError::InvalidParameter { parameter, detail: detail.to_owned() }
}

pub(super) async fn show(
    State(state): State<AppState>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Json<ProviderReport>, ApiError> {
    let Query(query) = query.map_err(|_| invalid("month", "the query parameters are month (YYYY-MM) and provider"))?;
    let month = Month::parse(&query.month).map_err(|_| invalid("month", "a month is written YYYY-MM"))?;
    if query.provider.as_deref().is_some_and(|p| !is_registration_number(p)) {
        return Err(invalid("provider", "a provider is named by its 11-digit registration number"));
    }
    let report =
        provider_report(&state.decisions.store, &state.provider_rules, month, query.provider.as_deref()).await?;
    Ok(Json(report))
}
