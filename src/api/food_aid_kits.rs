//! `GET /v1/food-aid-kits?month=YYYY-MM`: the EU food and basic material aid kits KIM reports
//! issued in a month, per household (the status decision they were issued under), with totals
//! by kind.

use std::collections::BTreeMap;
use std::time::Instant;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use gateway_domain::{KitIssue, KitKind, Month, Purpose, RequestContext, RequestId, System};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::IntoParams;

use super::{ApiError, AppState, Problem};
use crate::auth::Caller;
use crate::income_check::within_deadline;

/// The legal basis every KIM read carries.
const LEGAL_BASIS: &str = "Cabinet Regulation on the EU food and basic material aid to the most deprived: kits issued";

/// The query: the month asked.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct Asked {
    /// A month that has begun, `YYYY-MM`.
    #[param(value_type = gateway_domain::Month)]
    month: String,
}

/// The answer: every household's kits of the month, and the month's totals by kind.
#[derive(Debug, Serialize)]
pub(super) struct FoodAidKits {
    month: Month,
    households: Vec<HouseholdKits>,
    /// Kits issued in the month, by kind.
    totals: BTreeMap<KitKind, u64>,
}

/// The kits one household received in the month: the status decision they were issued under,
/// the counts by kind and each issue as KIM recorded it.
#[derive(Debug, Serialize)]
struct HouseholdKits {
    decision_ref: String,
    kits: BTreeMap<KitKind, u64>,
    issues: Vec<KitIssue>,
}

/// A month that has begun: kits are issued and reported from its first day on.
fn month(raw: &str, today: time::Date) -> Result<Month, ApiError> {
    let month = ApiError::month_parameter(raw)?;
    if month > Month::of(today) {
        return Err(ApiError::InvalidParameter { parameter: "month", detail: "the month must have begun".into() });
    }
    Ok(month)
}

/// Groups KIM's issues by household (decision reference), in reference order, each
/// household's issues in KIM's order.
fn by_household(month: Month, issues: Vec<KitIssue>) -> FoodAidKits {
    let mut households: BTreeMap<String, HouseholdKits> = BTreeMap::new();
    let mut totals: BTreeMap<KitKind, u64> = BTreeMap::new();
    for issue in issues {
        *totals.entry(issue.kind).or_default() += u64::from(issue.count);
        let household = households.entry(issue.decision_ref.clone()).or_insert_with(|| HouseholdKits {
            decision_ref: issue.decision_ref.clone(),
            kits: BTreeMap::new(),
            issues: Vec::new(),
        });
        *household.kits.entry(issue.kind).or_default() += u64::from(issue.count);
        household.issues.push(issue);
    }
    FoodAidKits { month, households: households.into_values().collect(), totals }
}

/// The kits KIM reports issued in a month that has begun, per household.
#[utoipa::path(
    get,
    path = "/v1/food-aid-kits",
    tag = "food-aid",
    operation_id = "show_food_aid_kits",
    params(Asked),
    responses(
        (status = 200, description = "The month's kits per household, with totals by kind", body = super::openapi::FoodAidKitsAnswer),
        (status = 400, description = "`invalid-parameter`: the month is missing, not `YYYY-MM` or has not begun",
            body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "`registry-failed`: KIM failed; `detail` says how",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`not-configured`: KIM is not a partner of this gateway",
            body = Problem, content_type = "application/problem+json"),
        (status = 504, description = "`registry-timeout`: KIM did not answer before the deadline",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn show(
    State(state): State<AppState>,
    Extension(request_id): Extension<RequestId>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<Asked>, QueryRejection>,
) -> Result<Json<FoodAidKits>, ApiError> {
    let Query(asked) = query.map_err(|_| ApiError::InvalidParameter {
        parameter: "month",
        detail: "the one query parameter is month, YYYY-MM".into(),
    })?;
    let month = month(&asked.month, OffsetDateTime::now_utc().date())?;
    let kits = state.food_aid_kits.as_ref().ok_or(ApiError::NotConfigured { system: System::Kim })?;
    let ctx = RequestContext {
        request_id,
        purpose: Purpose::SocialAssistance,
        legal_basis: LEGAL_BASIS.to_owned(),
        officer: caller.officer(None)?,
        deadline: Instant::now() + state.deadline,
    };
    let issues = within_deadline(&ctx, kits.kits_issued(month, &ctx)).await.map_err(|error| {
        tracing::info!(request_id = %ctx.request_id, system = %System::Kim, reason = ?error.gap_reason(), "Food-aid kits not answered.");
        ApiError::from_registry(System::Kim, &error)
    })?;
    let answer = by_household(month, issues);
    tracing::info!(request_id = %ctx.request_id, households = answer.households.len(), "Food-aid kits answered.");
    Ok(Json(answer))
}

#[cfg(test)]
mod tests {
    use gateway_domain::{Organisation, PersonCode, Provenance};
    use time::macros::date;

    use super::*;

    fn issue(decision_ref: &str, kind: KitKind, count: u32) -> KitIssue {
        KitIssue {
            decision_ref: decision_ref.to_owned(),
            recipient: PersonCode::parse("121282-11210").unwrap(),
            kind,
            count,
            issued_on: date!(2026 - 10 - 12),
            distributor: Organisation { registration_number: "40008000001".into(), name: "Biedriba".into() },
            provenance: Provenance {
                system: System::Kim,
                record_id: format!("kim-{decision_ref}-{count}"),
                fetched_at: OffsetDateTime::UNIX_EPOCH,
                request_id: RequestId::new(),
            },
        }
    }

    #[test]
    fn kits_are_counted_per_household_and_kind_and_in_total() {
        let month = Month::parse("2026-10").unwrap();
        let answer = by_household(
            month,
            vec![
                issue("TUK-2", KitKind::Food, 1),
                issue("TUK-1", KitKind::Food, 2),
                issue("TUK-2", KitKind::Hygiene, 1),
                issue("TUK-2", KitKind::Food, 1),
            ],
        );
        type Row<'a> = (&'a str, Vec<(KitKind, u64)>, usize);
        let households: Vec<Row> = answer
            .households
            .iter()
            .map(|h| (h.decision_ref.as_str(), h.kits.iter().map(|(k, n)| (*k, *n)).collect(), h.issues.len()))
            .collect();
        assert_eq!(
            households,
            [("TUK-1", vec![(KitKind::Food, 2)], 1), ("TUK-2", vec![(KitKind::Food, 2), (KitKind::Hygiene, 1)], 3),]
        );
        assert_eq!(answer.totals, BTreeMap::from([(KitKind::Food, 4), (KitKind::Hygiene, 1)]));
    }

    #[test]
    fn only_months_that_have_begun_are_asked_for() {
        let today = date!(2026 - 11 - 25);
        for good in ["2026-11", "2026-10", "2020-01"] {
            assert_eq!(month(good, today).unwrap().to_string(), good);
        }
        for bad in ["2026-12", "2026-13", "2026-1", "november", ""] {
            assert!(matches!(month(bad, today), Err(ApiError::InvalidParameter { parameter: "month", .. })), "{bad}");
        }
    }
}
