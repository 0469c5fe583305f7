//! VID wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    Fact, IncomeKind, IncomeRecord, Money, Month, Organisation, Period, PersonCode, Provenance, RequestContext,
    SourceError, StatusDetail, StatusFact, StatusKind, System,
};
use time::{Date, OffsetDateTime, format_description::FormatItem, macros::format_description};

use super::wire;
use crate::transport::SoapFault;

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

fn malformed(detail: &str) -> SourceError {
    SourceError::Malformed { detail: detail.to_owned() }
}

fn date(raw: &str) -> Result<Date, SourceError> {
    Date::parse(raw.trim(), DATE).map_err(|_| malformed("a date is not YYYY-MM-DD"))
}

fn amount(raw: &str) -> Result<Money, SourceError> {
    let amount = Money::parse_decimal(raw.trim()).map_err(|_| malformed("an amount is not a decimal in euro"))?;
    if amount.cents() < 0 {
        return Err(malformed("an amount is negative"));
    }
    Ok(amount)
}

/// An employer as VID names it: an 11-digit registration number and a name.
fn employer(wire: wire::Employer) -> Result<Organisation, SourceError> {
    let number = wire.registration_number.trim();
    if number.len() != 11 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("an employer's registration number is not 11 digits"));
    }
    let name = wire.name.trim();
    if name.is_empty() {
        return Err(malformed("an employer has no name"));
    }
    Ok(Organisation { registration_number: number.to_owned(), name: name.to_owned() })
}

/// The incomes and workplaces in an answer, each checked against the contract and the period.
/// An employment relationship that holds on no day of the period is not reported.
pub(super) fn facts(
    asked: &PersonCode,
    period: Period,
    wire: wire::GetPersonEmploymentResponse,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    let answered = PersonCode::parse(&wire.person_code).map_err(|_| malformed("a personal code is not valid"))?;
    if &answered != asked {
        return Err(malformed("the answer is about another person"));
    }
    let fetched_at = OffsetDateTime::now_utc();
    let provenance =
        |record_id: String| Provenance { system: System::Vid, record_id, fetched_at, request_id: ctx.request_id };
    let (first, last) = (period.from().first_day(), period.to().last_day());
    let mut facts = Vec::with_capacity(wire.income.len() + wire.employment.len());
    for income in wire.income {
        let month = Month::parse(income.month.trim()).map_err(|_| malformed("an income month is not YYYY-MM"))?;
        if !period.contains(month) {
            return Err(malformed("an income lies outside the period asked for"));
        }
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
        let valid_from = date(&employment.start_date)?;
        let valid_to = employment.end_date.as_deref().map(date).transpose()?;
        if valid_to.is_some_and(|to| to < valid_from) {
            return Err(malformed("an employment ends before it starts"));
        }
        let status = StatusFact {
            person: asked.clone(),
            kind: StatusKind::Employed,
            special_care: false,
            valid_from,
            valid_to,
            detail: Some(StatusDetail::Workplace { employer: employer(employment.employer)? }),
            provenance: provenance(employment.record_id),
        };
        if status.overlaps(first, last) {
            facts.push(Fact::Status(status));
        }
    }
    Ok(facts)
}

/// A SOAP fault's meaning for the income check.
pub(super) fn fault(fault: SoapFault) -> SourceError {
    match fault.code.as_str() {
        "PERSON_NOT_FOUND" => SourceError::NotFound,
        "SERVICE_UNAVAILABLE" => {
            SourceError::Unavailable { detail: "VID reported SERVICE_UNAVAILABLE".into(), retry_after: None }
        }
        _ => SourceError::Rejected { code: fault.code },
    }
}
