//! `GET /v1/provider-reports?month=2026-10[&provider=40003123456]`: the month's reconciliation
//! of referrals, providers' execution reports and invoices, per provider and service, with
//! every finding.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use gateway_domain::{Month, is_registration_number};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{ApiError, AppState, Problem};
use crate::providers::{ProviderReport, provider_report};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct ReportQuery {
    /// The month reconciled.
    #[param(value_type = Month)]
    month: String,
    /// Only this provider's rows and findings, by its 11-digit registration number.
    #[serde(default)]
    #[param(value_type = Option<String>, pattern = "^[0-9]{11}$")]
    provider: Option<String>,
}

fn invalid(parameter: &'static str, detail: &str) -> ApiError {
    ApiError::InvalidParameter { parameter, detail: detail.to_owned() }
}

/// The month's reconciliation of referrals, providers' execution reports and invoices, per
/// provider and service, with every finding.
#[utoipa::path(
    get,
    path = "/v1/provider-reports",
    tag = "service providers",
    operation_id = "show_provider_report",
    params(ReportQuery),
    responses(
        (status = 200, description = "The reconciliation", body = super::openapi::ProviderReportAnswer),
        (status = 400, description = "`invalid-parameter`: `month` is not `YYYY-MM` or `provider` not a registration number",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`store-unavailable`: the store cannot be read now",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn show(
    State(state): State<AppState>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Json<ProviderReport>, ApiError> {
    let Query(query) = query.map_err(|_| invalid("month", "the query parameters are month (YYYY-MM) and provider"))?;
    let month = ApiError::month_parameter(&query.month)?;
    if query.provider.as_deref().is_some_and(|p| !is_registration_number(p)) {
        return Err(invalid("provider", "a provider is named by its 11-digit registration number"));
    }
    let report =
        provider_report(&state.decisions.store, &state.provider_rules, month, query.provider.as_deref()).await?;
    Ok(Json(report))
}
