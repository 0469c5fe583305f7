//! `POST /v1/income-checks`: a verified income check for one household.

use std::time::Instant;

use axum::extract::State;
use axum::{Extension, Json};
use gateway_domain::{
    HouseholdRecord, LegalBasis, Month, Officer, Period, PersonCode, Purpose, RequestContext, RequestId,
};
use serde::Deserialize;
use time::OffsetDateTime;

use super::body::JsonBody;
use super::{ApiError, AppState};
use crate::income_check::{HouseholdError, IncomeCheckRequest};

/// Members a caseworker may name at most; a dwelling with more is a case for a person.
const MAX_MEMBERS: usize = 20;

/// The request body as sent, before validation, so that each bad field can be named.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    applicant: String,
    #[serde(default)]
    members: Option<Vec<String>>,
    #[serde(default)]
    period: Option<BodyPeriod>,
    purpose: String,
    officer: String,
    #[serde(default)]
    legal_basis: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BodyPeriod {
    from: String,
    to: String,
}

fn invalid(field: &str, detail: impl ToString) -> ApiError {
    ApiError::InvalidField { field: field.to_owned(), detail: detail.to_string() }
}

fn person_code(field: &str, raw: &str) -> Result<PersonCode, ApiError> {
    PersonCode::parse(raw).map_err(|e| invalid(field, e))
}

fn purpose(raw: &str) -> Result<Purpose, ApiError> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned()))
        .map_err(|_| invalid("/purpose", "purpose is one of means_test, social_assistance, status_review"))
}

fn period(raw: Option<BodyPeriod>, today: time::Date) -> Result<Period, ApiError> {
    let Some(raw) = raw else {
        return Ok(Period::last_full_months(today, 3));
    };
    let from = Month::parse(&raw.from).map_err(|e| invalid("/period/from", e))?;
    let to = Month::parse(&raw.to).map_err(|e| invalid("/period/to", e))?;
    if to >= Month::of(today) {
        return Err(invalid("/period/to", "the period must end before the current month"));
    }
    Period::new(from, to).map_err(|e| invalid("/period", e))
}

/// Parses and validates a body given as text.
#[cfg(test)]
fn validate(body: &[u8], today: time::Date) -> Result<Checked, ApiError> {
    validate_value(super::body::parse(body)?, today)
}

/// What a valid body asks: the check, and who asks why.
type Checked = (IncomeCheckRequest, Purpose, String, Option<String>);

/// Validates the body; nothing is asked of a registry before this succeeds.
fn validate_value(body: serde_json::Value, today: time::Date) -> Result<Checked, ApiError> {
    // serde's message may quote the offending value: say only that the shape is wrong.
    let body: Body = serde_json::from_value(body).map_err(|_| ApiError::InvalidBody {
        detail: "the body is not the expected shape (see the API description)".into(),
    })?;
    let applicant = person_code("/applicant", &body.applicant)?;
    let members = match body.members {
        None => None,
        Some(list) if list.len() > MAX_MEMBERS => {
            return Err(invalid("/members", format!("at most {MAX_MEMBERS} members may be named")));
        }
        Some(list) => Some(
            list.iter()
                .enumerate()
                .map(|(i, raw)| person_code(&format!("/members/{i}"), raw))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let purpose = purpose(&body.purpose)?;
    let officer = Officer::parse(&body.officer).map_err(|e| invalid("/officer", e))?.into_string();
    let legal_basis = match body.legal_basis {
        None => None,
        Some(raw) => Some(LegalBasis::parse(&raw).map_err(|e| invalid("/legal_basis", e))?.into_string()),
    };
    let request = IncomeCheckRequest { applicant, members, period: period(body.period, today)? };
    Ok((request, purpose, officer, legal_basis))
}

/// The default legal basis of each purpose.
fn legal_basis(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::MeansTest | Purpose::StatusReview => {
            "Social Services and Social Assistance Law, art. 33; Cabinet Regulation No. 809 (2020)"
        }
        Purpose::SocialAssistance => "Social Services and Social Assistance Law, art. 9",
    }
}

pub(super) async fn create(
    State(state): State<AppState>,
    Extension(request_id): Extension<RequestId>,
    JsonBody(body): JsonBody,
) -> Result<Json<HouseholdRecord>, ApiError> {
    // The deadline runs from the moment the request is read, not from when validation ends.
    let received = Instant::now();
    let today = OffsetDateTime::now_utc().date();
    let (request, purpose, officer, basis) = validate_value(body, today)?;
    let ctx = RequestContext {
        request_id,
        purpose,
        legal_basis: basis.unwrap_or_else(|| legal_basis(purpose).to_owned()),
        officer,
        deadline: received + state.deadline,
    };
    let started = received;
    let record = state.income_check.run(&request, &ctx).await.map_err(|e| match e {
        HouseholdError::UnknownApplicant => ApiError::UnknownApplicant,
    })?;
    tracing::info!(
        request_id = %ctx.request_id,
        members = record.members.len(),
        gaps = record.gaps.len(),
        complete = record.complete,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "Income check answered."
    );
    Ok(Json(record))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn field_of(body: &str) -> Option<String> {
        match validate(body.as_bytes(), date!(2026 - 11 - 25)) {
            Err(ApiError::InvalidField { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        let ok = r#"{"applicant":"121282-11210","purpose":"means_test","officer":"cw-1"}"#;
        assert!(validate(ok.as_bytes(), date!(2026 - 11 - 25)).is_ok());
        assert_eq!(
            field_of(r#"{"applicant":"121282-11211","purpose":"means_test","officer":"cw"}"#).as_deref(),
            Some("/applicant")
        );
        assert_eq!(
            field_of(
                r#"{"applicant":"121282-11210","members":["32579318462","x"],"purpose":"means_test","officer":"cw"}"#
            )
            .as_deref(),
            Some("/members/1")
        );
        assert_eq!(
            field_of(r#"{"applicant":"121282-11210","purpose":"fishing","officer":"cw"}"#).as_deref(),
            Some("/purpose")
        );
        assert_eq!(
            field_of(r#"{"applicant":"121282-11210","purpose":"means_test","officer":" "}"#).as_deref(),
            Some("/officer")
        );
        assert_eq!(
            field_of(r#"{"applicant":"121282-11210","period":{"from":"2026-13","to":"2026-10"},"purpose":"means_test","officer":"cw"}"#).as_deref(),
            Some("/period/from")
        );
        assert_eq!(
            field_of(r#"{"applicant":"121282-11210","period":{"from":"2026-10","to":"2026-08"},"purpose":"means_test","officer":"cw"}"#).as_deref(),
            Some("/period")
        );
        assert_eq!(
            field_of(r#"{"applicant":"121282-11210","period":{"from":"2026-10","to":"2026-11"},"purpose":"means_test","officer":"cw"}"#).as_deref(),
            Some("/period/to")
        );
    }

    #[test]
    fn the_default_period_is_the_last_three_full_months() {
        let ok = r#"{"applicant":"121282-11210","purpose":"means_test","officer":"cw-1"}"#;
        let (request, ..) = validate(ok.as_bytes(), date!(2026 - 11 - 25)).unwrap();
        assert_eq!(
            (request.period.from().to_string(), request.period.to().to_string()),
            ("2026-08".into(), "2026-10".into())
        );
    }

    #[test]
    fn body_errors_never_quote_the_input() {
        for body in
            [r#"{"applicant": 12128211210}"#, r#"{"applicant":"12128211210""#, r#"{"applicant":"12128211210","x":1}"#]
        {
            match validate(body.as_bytes(), date!(2026 - 11 - 25)) {
                Err(ApiError::InvalidBody { detail }) => assert!(!detail.contains("12128211210"), "{detail}"),
                _ => panic!("expected an invalid body"),
            }
        }
    }
}
