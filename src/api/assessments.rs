//! `POST /v1/assessments`: the calculator. A period, the members (birth dates where a minor
//! earns) and their monthly incomes by kind, assessed as a verified record would be, without
//! asking any registry: for what-if questions and for checking by hand.

use axum::Json;
use axum::extract::State;
use gateway_domain::{IncomeKind, Money, Month};
use serde::Deserialize;

use super::body::JsonBody;
use super::income_checks::{BodyPeriod, amount, income_kind, invalid};
use super::{ApiError, AppState};
use crate::assessment::{AssessedMember, Assessment, AssessmentInput, assess};

/// Members a calculation may have at most.
const MAX_MEMBERS: usize = 20;
/// Incomes one member may have at most.
const MAX_INCOMES: usize = 500;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    period: BodyPeriod,
    members: Vec<BodyMember>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BodyMember {
    #[serde(default)]
    birth_date: Option<String>,
    #[serde(default)]
    incomes: Vec<BodyIncome>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BodyIncome {
    month: String,
    kind: String,
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

pub(super) async fn create(
    State(state): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Json<Assessment>, ApiError> {
    let input = validate(body)?;
    Ok(Json(assess(&input, &state.rules)?))
}
