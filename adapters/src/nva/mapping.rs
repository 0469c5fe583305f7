//! NVA wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    Fact, IncomeKind, IncomeRecord, Money, Month, Period, PersonCode, Provenance, RequestContext, SourceError,
    StatusFact, StatusKind, System,
};
use time::{Date, OffsetDateTime, format_description::FormatItem, macros::format_description};

use super::wire;

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

fn malformed(detail: &str) -> SourceError {
    SourceError::Malformed { detail: detail.to_owned() }
}

fn date(raw: &str) -> Result<Date, SourceError> {
    Date::parse(raw, DATE).map_err(|_| malformed("a date is not YYYY-MM-DD"))
}

/// NVA's registration codes.
fn status_kind(code: &str) -> Option<StatusKind> {
    match code {
        "unemployed" => Some(StatusKind::Unemployed),
        "job_seeker" => Some(StatusKind::JobSeeker),
        _ => None,
    }
}

/// NVA's payment kinds.
fn income_kind(code: &str) -> Option<IncomeKind> {
    match code {
        "training_stipend" => Some(IncomeKind::TrainingStipend),
        "public_works_allowance" => Some(IncomeKind::PublicWorksAllowance),
        _ => None,
    }
}

/// The statuses and incomes in an answer, each checked against the contract and the period.
pub(super) fn facts(
    asked: &PersonCode,
    period: Period,
    wire: wire::PersonStatus,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    let answered = PersonCode::parse(&wire.person_code).map_err(|_| malformed("a personal code is not valid"))?;
    if &answered != asked {
        return Err(malformed("the answer is about another person"));
    }
    let fetched_at = OffsetDateTime::now_utc();
    let provenance =
        |record_id: String| Provenance { system: System::Nva, record_id, fetched_at, request_id: ctx.request_id };
    let (first, last) = (period.from().first_day(), period.to().last_day());
    let mut facts = Vec::with_capacity(wire.registrations.len() + wire.payments.len());
    for registration in wire.registrations {
        let kind =
            status_kind(registration.status.trim()).ok_or_else(|| malformed("a registration status is unknown"))?;
        let valid_from = date(&registration.valid_from)?;
        let valid_to = registration.valid_to.as_deref().map(date).transpose()?;
        let status = StatusFact {
            person: asked.clone(),
            kind,
            special_care: false,
            valid_from,
            valid_to,
            detail: None,
            provenance: provenance(registration.record_id),
        };
        if valid_to.is_some_and(|to| to < valid_from) || !status.overlaps(first, last) {
            return Err(malformed("a registration lies outside the period asked for"));
        }
        facts.push(Fact::Status(status));
    }
    for payment in wire.payments {
        let month = Month::parse(&payment.month).map_err(|_| malformed("a payment month is not YYYY-MM"))?;
        if !period.contains(month) {
            return Err(malformed("a payment lies outside the period asked for"));
        }
        let kind = income_kind(payment.kind.trim()).ok_or_else(|| malformed("a payment kind is unknown"))?;
        let amount =
            Money::parse_decimal(&payment.amount).map_err(|_| malformed("an amount is not a decimal in euro"))?;
        facts.push(Fact::Income(IncomeRecord {
            person: asked.clone(),
            month,
            kind,
            amount,
            employer: None,
            scheme: None,
            provenance: provenance(payment.record_id),
        }));
    }
    Ok(facts)
}
