//! `POST /v1/assessments`: the calculator. A period, the members (birth dates where a minor
//! earns) and their monthly incomes by kind, assessed as a verified record would be, without
//! asking any registry: for what-if questions and for checking by hand.

use axum::Json;
use axum::extract::State;
use gateway_domain::{IncomeKind, Money, Month};
use serde::Deserialize;
use utoipa::ToSchema;

use super::body::JsonBody;
use super::income_checks::{BodyPeriod, amount, income_kind, invalid};
use super::{ApiError, AppState, Problem};
use crate::assessment::{AssessedMember, Assessment, AssessmentInput, assess};

/// Members a calculation may have at most.
const MAX_MEMBERS: usize = 20;
/// Incomes one member may have at most.
const MAX_INCOMES: usize = 500;

/// A household to assess: the period and each member's incomes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AssessmentBody)]
struct Body {
    /// Any period the rules have levels for, ended or not.
    period: BodyPeriod,
    #[schema(min_items = 1, max_items = 20)]
    members: Vec<BodyMember>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AssessedMember)]
struct BodyMember {
    /// Needed where a minor earns: a minor's earnings count only above the minimum wage.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    birth_date: Option<String>,
    #[serde(default)]
    #[schema(max_items = 500)]
    incomes: Vec<BodyIncome>,
}

/// One income of one member in one month of the period.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AssessedIncome)]
struct BodyIncome {
    #[schema(value_type = Month)]
    month: String,
    #[schema(value_type = IncomeKind)]
    kind: String,
    /// Euro cents after tax.
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    amount_cents: i64,
}

fn validate(body: serde_json::Value) -> Result<AssessmentInput, ApiError> {
    let body: Body = serde_json::from_value(body).map_err(|_| ApiError::InvalidBody {
        detail: "the body is not the expected shape (see the API description)".into(),
    })?;
    // What-if questions may be about any period the rules have levels for, ended or not.
    let from = Month::parse(&body.period.from).map_err(|e| invalid("/period/from", e))?;
    let to = Month::parse(&body.period.to).map_err(|e| invalid("/period/to", e))?;
    let period = gateway_domain::Period::new(from, to).map_err(|e| invalid("/period", e))?;
    if body.members.is_empty() || body.members.len() > MAX_MEMBERS {
        return Err(invalid("/members", format!("a household has 1 to {MAX_MEMBERS} members")));
    }
    let members = body
        .members
        .into_iter()
        .enumerate()
        .map(|(i, member)| {
            let birth_date = match member.birth_date {
                None => None,
                Some(raw) => Some(
                    gateway_domain::parse_iso_date(&raw)
                        .ok_or_else(|| invalid(&format!("/members/{i}/birth_date"), "a calendar date YYYY-MM-DD"))?,
                ),
            };
            if member.incomes.len() > MAX_INCOMES {
                return Err(invalid(&format!("/members/{i}/incomes"), format!("at most {MAX_INCOMES} incomes")));
            }
            let incomes = member
                .incomes
                .into_iter()
                .enumerate()
                .map(|(j, income)| {
                    let at = |name: &str| format!("/members/{i}/incomes/{j}/{name}");
                    let month = Month::parse(&income.month).map_err(|e| invalid(&at("month"), e))?;
                    if !period.contains(month) {
                        return Err(invalid(&at("month"), "the month lies outside the period"));
                    }
                    let kind: IncomeKind = income_kind(&at("kind"), &income.kind)?;
                    let amount: Money = amount(&at("amount_cents"), income.amount_cents)?;
                    Ok((month, kind, amount))
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            Ok(AssessedMember { label: format!("member {}", i + 1), birth_date, incomes })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(AssessmentInput { period, members, unknown: Vec::new(), assets: Vec::new() })
}

/// The means-test calculator: a household's incomes assessed as a verified record would be,
/// asking no registry.
#[utoipa::path(
    post,
    path = "/v1/assessments",
    tag = "income checks",
    operation_id = "create_assessment",
    request_body(content = Body, content_type = "application/json"),
    responses(
        (status = 200, description = "The indicative assessment", body = super::openapi::AssessmentAnswer),
        (status = 400, description = "`invalid-field`: a field is not valid (`field` points at it); `invalid-body`: the body is not JSON of this shape",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "`payload-too-large`: the body is larger than `server.max_body_bytes`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported-media-type`: the body is not `application/json`",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`no-assessment-rule`: the rules have no levels (or minimum wage) for the period",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Json<Assessment>, ApiError> {
    let input = validate(body)?;
    Ok(Json(assess(&input, &state.rules)?))
}
