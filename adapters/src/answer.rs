//! What the person sources' `mapping.rs` files check alike in a registry's answer before they
//! build domain types from it: that it is about the person asked, that its dates, months,
//! amounts and organisations are written as the contracts write them, which statuses the period
//! touches, and what a SOAP registry's fault means. Each check fails with
//! `SourceError::Malformed` and a detail that names no person, organisation or value.

use gateway_domain::{
    Fact, Money, Month, Organisation, Period, PersonCode, SourceError, StatusFact, is_registration_number,
    parse_iso_date,
};
use time::Date;

use crate::transport::SoapFault;

/// An answer that breaks the contract; `detail` says how, without personal data.
pub(crate) fn malformed(detail: &str) -> SourceError {
    SourceError::Malformed { detail: detail.to_owned() }
}

/// Checks that an answer is about the person asked: a registry that answers about another has
/// mixed up its records, and nothing in the answer may be used.
pub(crate) fn about_asked(asked: &PersonCode, answered: &str) -> Result<(), SourceError> {
    let answered = PersonCode::parse(answered).map_err(|_| malformed("a personal code is not valid"))?;
    if &answered != asked {
        return Err(malformed("the answer is about another person"));
    }
    Ok(())
}

/// A calendar date written `YYYY-MM-DD`, as it stands (a contract that allows white space
/// around it trims first).
pub(crate) fn date(raw: &str) -> Result<Date, SourceError> {
    parse_iso_date(raw).ok_or_else(|| malformed("a date is not YYYY-MM-DD"))
}

/// A month written `YYYY-MM` that lies within the period asked for; `what` names the record in
/// the detail (`"a payment"`, `"an income"`).
pub(crate) fn month_within(raw: &str, period: Period, what: &str) -> Result<Month, SourceError> {
    let month = Month::parse(raw).map_err(|_| malformed(&format!("{what} month is not YYYY-MM")))?;
    if !period.contains(month) {
        return Err(malformed(&format!("{what} lies outside the period asked for")));
    }
    Ok(month)
}

/// An amount in euro written as a decimal (`"195.00"`).
pub(crate) fn amount(raw: &str) -> Result<Money, SourceError> {
    Money::parse_decimal(raw).map_err(|_| malformed("an amount is not a decimal in euro"))
}

/// An amount in euro that is paid: written as a decimal, and more than nothing.
pub(crate) fn payment(raw: &str) -> Result<Money, SourceError> {
    let amount = amount(raw)?;
    if amount.cents() <= 0 {
        return Err(malformed("an amount is not positive"));
    }
    Ok(amount)
}

/// An organisation as the contracts name one: its 11-digit number in the Register of
/// Enterprises and its name, both trimmed; `what` names it in the detail when the name is
/// missing (`"an employer"`, `"an institution"`).
pub(crate) fn organisation(number: &str, name: &str, what: &str) -> Result<Organisation, SourceError> {
    let number = number.trim();
    if !is_registration_number(number) {
        return Err(malformed("a registration number is not 11 digits"));
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(malformed(&format!("{what} has no name")));
    }
    Ok(Organisation { registration_number: number.to_owned(), name: name.to_owned() })
}

/// A status's first day and, unless it lasts, its last, both `YYYY-MM-DD` and trimmed, checked to
/// end no earlier than it starts; `what` names the record in the detail (`"an enrolment"`).
pub(crate) fn validity(from: &str, to: Option<&str>, what: &str) -> Result<(Date, Option<Date>), SourceError> {
    let valid_from = date(from.trim())?;
    let valid_to = to.map(|to| date(to.trim())).transpose()?;
    if valid_to.is_some_and(|to| to < valid_from) {
        return Err(malformed(&format!("{what} ends before it starts")));
    }
    Ok((valid_from, valid_to))
}

/// Adds `status` to `facts` when it holds on some day of `first..=last`. A registry that answers
/// with every status a person has had is not wrong to: one the period does not touch is left out.
pub(crate) fn keep_overlapping(facts: &mut Vec<Fact>, status: StatusFact, first: Date, last: Date) {
    if status.overlaps(first, last) {
        facts.push(Fact::Status(status));
    }
}

/// `status`, when it ends no earlier than it starts and holds on some day of `first..=last`: for
/// a registry asked for the period's statuses only, one outside it breaks the contract; `what`
/// names the record in the detail (`"a registration"`).
pub(crate) fn within(status: StatusFact, first: Date, last: Date, what: &str) -> Result<StatusFact, SourceError> {
    if status.valid_to.is_some_and(|to| to < status.valid_from) || !status.overlaps(first, last) {
        return Err(malformed(&format!("{what} lies outside the period asked for")));
    }
    Ok(status)
}

/// What a SOAP person source's fault means: the person unknown, the registry unavailable (its
/// `SERVICE_UNAVAILABLE`), or else a refusal under the fault's code; `registry` names it in the
/// detail (`"VSAA"`).
pub(crate) fn person_fault(fault: SoapFault, registry: &str) -> SourceError {
    match fault.code.as_str() {
        "PERSON_NOT_FOUND" => SourceError::NotFound,
        "SERVICE_UNAVAILABLE" => {
            SourceError::Unavailable { detail: format!("{registry} reported SERVICE_UNAVAILABLE"), retry_after: None }
        }
        _ => SourceError::Rejected { code: fault.code },
    }
}
