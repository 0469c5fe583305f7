//! `POST /v1/income-checks`: a verified income check for one household.

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue};
use axum::{Extension, Json};
use gateway_domain::{
    CaseRef, HouseholdRecord, IncomeKind, LegalBasis, Money, Month, Officer, Period, PersonCode, Purpose,
    RequestContext, RequestId,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::body::JsonBody;
use super::{ApiError, AppState, Problem};
use crate::assessment::{Assessment, DeclaredIncome, DeclaredOutcome, check_declared, input_from_record};
use crate::audit::{Asker, Scope};
use crate::auth::Caller;
use crate::income_check::IncomeCheckRequest;
use gateway_adapters::transport::{CallTime, CallTimes};

/// Members a caseworker may name at most; a dwelling with more is a case for a person.
const MAX_MEMBERS: usize = 20;

/// The request body as sent, before validation, so that each bad field can be named.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = IncomeCheckBody)]
struct Body {
    #[schema(value_type = PersonCode)]
    applicant: String,
    /// The household as the caseworker names it; by default, the persons declared at the
    /// applicant's address in the Population Register.
    #[serde(default)]
    #[schema(value_type = Option<Vec<PersonCode>>, max_items = 20)]
    members: Option<Vec<String>>,
    /// Whole months ending before the current month, at most 24; by default the last 3 full months.
    #[serde(default)]
    period: Option<BodyPeriod>,
    #[schema(value_type = Purpose)]
    purpose: String,
    /// The officer the check is made for; the caller itself when absent. Only a `case-system`
    /// caller may name another.
    #[serde(default)]
    #[schema(value_type = Option<Officer>)]
    officer: Option<String>,
    /// By default, the purpose's.
    #[serde(default)]
    #[schema(value_type = Option<LegalBasis>)]
    legal_basis: Option<String>,
    /// The case file the check is for, carried to the audit log.
    #[serde(default)]
    #[schema(value_type = Option<CaseRef>)]
    case_ref: Option<String>,
    /// Add the indicative assessment to the answer.
    #[serde(default)]
    assess: bool,
    /// The applicant's declared monthly incomes, to line up against the registries'.
    #[serde(default)]
    #[schema(max_items = 200)]
    declared_incomes: Option<Vec<BodyDeclared>>,
}

/// Whole months, `from` to `to`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Period)]
pub(super) struct BodyPeriod {
    #[schema(value_type = Month)]
    pub(super) from: String,
    #[schema(value_type = Month)]
    pub(super) to: String,
}

/// One monthly income of one member as the means declaration states it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DeclaredIncome)]
struct BodyDeclared {
    #[schema(value_type = PersonCode)]
    person: String,
    #[schema(value_type = IncomeKind)]
    kind: String,
    /// Euro cents a month.
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    monthly_cents: i64,
}

/// Declared incomes one check may carry at most.
const MAX_DECLARED: usize = 200;

/// The largest monthly amount the API accepts, in cents (ten million euro).
pub(super) const MAX_AMOUNT_CENTS: i64 = 1_000_000_000;

/// An income kind as the API writes it (`old_age_pension`, ...).
pub(super) fn income_kind(field: &str, raw: &str) -> Result<IncomeKind, ApiError> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned()))
        .map_err(|_| invalid(field, "not an income kind (see the API description)"))
}

pub(super) fn amount(field: &str, cents: i64) -> Result<Money, ApiError> {
    if !(0..=MAX_AMOUNT_CENTS).contains(&cents) {
        return Err(invalid(field, "an amount in euro cents from 0 to 1000000000"));
    }
    Ok(Money::from_cents(cents))
}

/// What a valid body asks: the check, who asks why, and what to add to the record.
pub(super) struct CheckRequest {
    request: IncomeCheckRequest,
    purpose: Purpose,
    /// The officer the body names, if any.
    officer: Option<String>,
    legal_basis: Option<String>,
    case_ref: Option<String>,
    assess: bool,
    declared: Option<Vec<DeclaredIncome>>,
}

/// The answer: the verified record, and on request its assessment and the declaration's check.
#[derive(Serialize)]
pub(super) struct CheckAnswer {
    #[serde(flatten)]
    record: HouseholdRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    assessment: Option<Assessment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    declared_incomes: Option<Vec<DeclaredOutcome>>,
}

pub(super) fn invalid(field: &str, detail: impl ToString) -> ApiError {
    ApiError::InvalidField { field: field.to_owned(), detail: detail.to_string() }
}

fn person_code(field: &str, raw: &str) -> Result<PersonCode, ApiError> {
    PersonCode::parse(raw).map_err(|e| invalid(field, e))
}

fn purpose(raw: &str) -> Result<Purpose, ApiError> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned()))
        .map_err(|_| invalid("/purpose", "purpose is one of means_test, social_assistance, status_review"))
}

pub(super) fn period(raw: Option<BodyPeriod>, today: time::Date) -> Result<Period, ApiError> {
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
fn validate(body: &[u8], today: time::Date) -> Result<CheckRequest, ApiError> {
    validate_value(super::body::parse(body)?, today)
}

/// Validates the body; nothing is asked of a registry before this succeeds.
fn validate_value(body: serde_json::Value, today: time::Date) -> Result<CheckRequest, ApiError> {
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
    let officer = match body.officer {
        None => None,
        Some(raw) => Some(Officer::parse(&raw).map_err(|e| invalid("/officer", e))?.into_string()),
    };
    let legal_basis = match body.legal_basis {
        None => None,
        Some(raw) => Some(LegalBasis::parse(&raw).map_err(|e| invalid("/legal_basis", e))?.into_string()),
    };
    let case_ref = match body.case_ref {
        None => None,
        Some(raw) => Some(CaseRef::parse(&raw).map_err(|e| invalid("/case_ref", e))?.into_string()),
    };
    let request = IncomeCheckRequest { applicant, members, period: period(body.period, today)? };
    let declared = match body.declared_incomes {
        None => None,
        Some(list) if list.len() > MAX_DECLARED => {
            return Err(invalid("/declared_incomes", format!("at most {MAX_DECLARED} declared incomes")));
        }
        Some(list) => Some(
            list.into_iter()
                .enumerate()
                .map(|(i, d)| {
                    let at = |name: &str| format!("/declared_incomes/{i}/{name}");
                    Ok(DeclaredIncome {
                        person: person_code(&at("person"), &d.person)?,
                        kind: income_kind(&at("kind"), &d.kind)?,
                        monthly: amount(&at("monthly_cents"), d.monthly_cents)?,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?,
        ),
    };
    Ok(CheckRequest { request, purpose, officer, legal_basis, case_ref, assess: body.assess, declared })
}

/// A verified income check for one household.
///
/// Asks the Population Register who is declared with the applicant and every other registry
/// what each member received, under one deadline; what a registry could not answer is a typed
/// gap in the record, never an error.
#[utoipa::path(
    post,
    path = "/v1/income-checks",
    tag = "income checks",
    operation_id = "create_income_check",
    request_body(content = Body, content_type = "application/json"),
    responses(
        (status = 200, description = "The household's record, signed", body = super::openapi::SignedHouseholdRecord),
        (status = 400, description = "`invalid-field`: a field is not valid (`field` points at it); `invalid-body`: the body is not JSON of this shape",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`officer-not-caller`: only the case system may name another officer",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`unknown-applicant`: the Population Register does not know the applicant",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "`payload-too-large`: the body is larger than `server.max_body_bytes`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported-media-type`: the body is not `application/json`",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`purpose-not-permitted`: no data access profile for the purpose; `named-members-not-permitted`: the purpose's profile forbids naming members; `no-assessment-rule`: no levels for the period (with `assess`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`audit-unavailable`: the audit log cannot record the questions, so none was asked",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    Extension(request_id): Extension<RequestId>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<([(HeaderName, HeaderValue); 1], Json<serde_json::Value>), ApiError> {
    // The deadline runs from the moment the request is read, not from when validation ends.
    let received = Instant::now();
    let today = OffsetDateTime::now_utc().date();
    let CheckRequest { request, purpose, officer, legal_basis: basis, case_ref, assess, declared } =
        validate_value(body, today)?;
    let profile = state.purposes.get(purpose).ok_or(ApiError::PurposeNotPermitted)?;
    if request.members.is_some() && !profile.named_members {
        return Err(ApiError::NamedMembersNotPermitted);
    }
    let ctx = RequestContext {
        request_id,
        purpose,
        legal_basis: basis.unwrap_or_else(|| profile.legal_basis.clone()),
        officer: caller.officer(officer.as_deref())?,
        deadline: received + state.deadline,
    };
    let started = received;
    let asker = Asker { caller: caller.subject.clone(), institution: caller.institution.clone(), case_ref };
    let audit = Scope::new(&state.audit, &asker, &ctx);
    let calls = CallTimes::default();
    let record = calls.record(state.income_check.run(&request, &ctx, &audit, profile)).await?;
    tracing::info!(
        request_id = %ctx.request_id,
        members = record.members.len(),
        gaps = record.gaps.len(),
        complete = record.complete,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "Income check answered."
    );
    let assessment =
        if assess { Some(crate::assessment::assess(&input_from_record(&record), &state.rules)?) } else { None };
    let declared_incomes = declared.map(|d| check_declared(&record, &d, state.rules.tolerance));
    let answer =
        serde_json::to_value(CheckAnswer { record, assessment, declared_incomes }).map_err(|_| ApiError::Internal)?;
    let signed = state.signer.sign(answer);
    let calls = calls.calls();
    let timing = server_timing(&calls, state.income_check.registry_time(&calls), started.elapsed());
    Ok(([(HeaderName::from_static("server-timing"), timing)], Json(signed)))
}

/// `Server-Timing` (W3C): the registries' share of the check (the critical path of the calls it
/// made on the wire) and the whole check, in milliseconds, whose difference is the gateway's
/// own time; then the attempts made and the body bytes they sent and received.
fn server_timing(calls: &[CallTime], registries: Duration, check: Duration) -> HeaderValue {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let sent: usize = calls.iter().map(|c| c.sent).sum();
    let received: usize = calls.iter().map(|c| c.received).sum();
    let value = format!(
        "registries;dur={:.3}, check;dur={:.3}, calls;desc={}, sent;desc={sent}, received;desc={received}",
        ms(registries),
        ms(check),
        calls.len()
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("check"))
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
        let request = validate(ok.as_bytes(), date!(2026 - 11 - 25)).unwrap().request;
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
