//! VID wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    Fact, IncomeKind, IncomeRecord, Money, Organisation, Period, PersonCode, Provenance, RequestContext, SourceError,
    StatusDetail, StatusFact, StatusKind, System,
};
use time::OffsetDateTime;

use super::wire;
use crate::answer::{self, malformed};
use crate::transport::SoapFault;

fn amount(raw: &str) -> Result<Money, SourceError> {
    let amount = answer::amount(raw.trim())?;
    if amount.cents() < 0 {
        return Err(malformed("an amount is negative"));
    }
    Ok(amount)
}

/// An employer as VID names it: an 11-digit registration number and a name.
fn employer(wire: wire::Employer) -> Result<Organisation, SourceError> {
    answer::organisation(&wire.registration_number, &wire.name, "an employer")
}

/// The incomes and workplaces in an answer, each checked against the contract and the period.
/// An employment relationship that holds on no day of the period is not reported.
pub(super) fn facts(
    asked: &PersonCode,
    period: Period,
    wire: wire::GetPersonEmploymentResponse,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    let provenance =
        |record_id: String| Provenance { system: System::Vid, record_id, fetched_at, request_id: ctx.request_id };
    let (first, last) = (period.from().first_day(), period.to().last_day());
    let mut facts = Vec::with_capacity(wire.income.len() + wire.employment.len());
    for income in wire.income {
        let month = answer::month_within(income.month.trim(), period, "an income")?;
        // Gross and tax withheld are not counted, but an answer that carries them must carry
        // amounts.
        for optional in [&income.gross, &income.tax_withheld].into_iter().flatten() {
            amount(optional)?;
        }
        facts.push(Fact::Income(IncomeRecord {
            person: asked.clone(),
            month,
            kind: IncomeKind::EmploymentIncome,
            amount: amount(&income.after_tax)?,
            employer: Some(employer(income.employer)?),
            scheme: None,
            provenance: provenance(income.record_id),
        }));
    }
    for employment in wire.employment {
        let (valid_from, valid_to) =
            answer::validity(&employment.start_date, employment.end_date.as_deref(), "an employment")?;
        let status = StatusFact {
            person: asked.clone(),
            kind: StatusKind::Employed,
            special_care: false,
            valid_from,
            valid_to,
            detail: Some(StatusDetail::Workplace { employer: employer(employment.employer)? }),
            provenance: provenance(employment.record_id),
        };
        answer::keep_overlapping(&mut facts, status, first, last);
    }
    Ok(facts)
}

/// A SOAP fault's meaning for the income check.
pub(super) fn fault(fault: SoapFault) -> SourceError {
    answer::person_fault(fault, "VID")
}
