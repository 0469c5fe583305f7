//! Status decisions to SPOLIS monitoring records, and SPOLIS answers to receipts: the only
//! place the adapter builds domain types.

use gateway_domain::{HouseholdStatus, IdempotencyKey, Receipt, SinkError, SourceError, StatusDecision, System};
use time::{Date, format_description::FormatItem, macros::format_description};

use super::wire;
use crate::transport::SoapFault;

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");
const MONTH: &[FormatItem<'static>] = format_description!("[year]-[month]");

fn date(date: Date) -> String {
    date.format(DATE).unwrap_or_default()
}

fn malformed(detail: &str) -> SinkError {
    SinkError::Transient(SourceError::Malformed { detail: detail.to_owned() })
}

pub(super) fn record<'a>(
    decision: &'a StatusDecision,
    municipality_code: &'a str,
) -> wire::SubmitMonitoringRecordRequest<'a> {
    wire::SubmitMonitoringRecordRequest {
        ns: wire::NAMESPACE,
        municipality_code,
        record_ref: &decision.decision_ref,
        record_version: decision.version,
        status: match decision.status {
            HouseholdStatus::Needy => "NEEDY",
            HouseholdStatus::LowIncome => "LOW_INCOME",
            HouseholdStatus::Ended => "ENDED",
        },
        valid_from: date(decision.valid_from),
        valid_to: decision.valid_to.map(date),
        // The ministry counts a record in the month its status takes effect.
        reporting_month: decision.valid_from.format(MONTH).unwrap_or_default(),
        person_count: decision.members.len(),
        persons: decision
            .members
            .iter()
            .enumerate()
            // The first member of a decision is its applicant.
            .map(|(i, member)| wire::Person { person_code: member.as_str(), applicant: i == 0 })
            .collect(),
    }
}

pub(super) fn receipt(wire: wire::SubmitMonitoringRecordResponse, key: &IdempotencyKey) -> Result<Receipt, SinkError> {
    if wire.idempotency_key.trim() != key.as_str() {
        return Err(malformed("the receipt is about another record"));
    }
    let duplicate = match wire.result.trim() {
        wire::RESULT_REGISTERED => false,
        wire::RESULT_ALREADY_REGISTERED => true,
        _ => return Err(malformed("the receipt's result is unknown")),
    };
    let registration = wire.registration_number.trim();
    if registration.is_empty() {
        return Err(malformed("the receipt carries no registration number"));
    }
    Ok(Receipt { partner: System::Spolis, partner_ref: registration.to_owned(), duplicate })
}

/// A client fault's meaning for the delivery.
pub(super) fn fault(fault: SoapFault) -> SinkError {
    match fault.code.as_str() {
        // The service account is the operator's to fix; the record itself is fine and must go
        // out once it is, so this is not a refusal of it.
        "NOT_AUTHORISED" => SinkError::Transient(SourceError::Unavailable {
            detail: "SPOLIS did not accept the service account".into(),
            retry_after: None,
        }),
        "SERVICE_UNAVAILABLE" => SinkError::Transient(SourceError::Unavailable {
            detail: "SPOLIS reported SERVICE_UNAVAILABLE".into(),
            retry_after: None,
        }),
        _ => SinkError::Rejected { code: fault.code },
    }
}
