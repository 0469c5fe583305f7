//! NVA wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    Fact, IncomeKind, IncomeRecord, Period, PersonCode, Provenance, RequestContext, SourceError, StatusFact,
    StatusKind, System,
};
use time::OffsetDateTime;

use super::wire;
use crate::answer::{self, malformed};

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
    answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    let provenance =
        |record_id: String| Provenance { system: System::Nva, record_id, fetched_at, request_id: ctx.request_id };
    let (first, last) = (period.from().first_day(), period.to().last_day());
    let mut facts = Vec::with_capacity(wire.registrations.len() + wire.payments.len());
    for registration in wire.registrations {
        let kind =
            status_kind(registration.status.trim()).ok_or_else(|| malformed("a registration status is unknown"))?;
        let valid_from = answer::date(&registration.valid_from)?;
        let valid_to = registration.valid_to.as_deref().map(answer::date).transpose()?;
        let status = StatusFact {
            person: asked.clone(),
            kind,
            special_care: false,
            valid_from,
            valid_to,
            detail: None,
            provenance: provenance(registration.record_id),
        };
        facts.push(Fact::Status(answer::within(status, first, last, "a registration")?));
    }
    for payment in wire.payments {
        let month = answer::month_within(&payment.month, period, "a payment")?;
        let kind = income_kind(payment.kind.trim()).ok_or_else(|| malformed("a payment kind is unknown"))?;
        let amount = answer::amount(&payment.amount)?;
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
