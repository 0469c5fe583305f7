//! Status decisions to BARIS requests, and BARIS answers to receipts: the only place the
//! adapter builds domain types.

use gateway_domain::{HouseholdStatus, IdempotencyKey, Receipt, SinkError, SourceError, StatusDecision, System};
use time::{Date, format_description::FormatItem, macros::format_description};

use super::wire;
use crate::transport::SoapFault;

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

fn date(date: Date) -> String {
    date.format(DATE).unwrap_or_default()
}

fn malformed(detail: &str) -> SinkError {
    SinkError::Transient(SourceError::Malformed { detail: detail.to_owned() })
}

pub(super) fn request(decision: &StatusDecision) -> wire::DeliverHouseholdStatusRequest<'_> {
    wire::DeliverHouseholdStatusRequest {
        ns: wire::NAMESPACE,
        decision_ref: &decision.decision_ref,
        decision_version: decision.version,
        status: match decision.status {
            HouseholdStatus::Needy => "NEEDY",
            HouseholdStatus::LowIncome => "LOW_INCOME",
            HouseholdStatus::Ended => "ENDED",
        },
        valid_from: date(decision.valid_from),
        valid_to: decision.valid_to.map(date),
        members: decision
            .members
            .iter()
            .enumerate()
            .map(|(i, member)| wire::Member {
                person_code: member.as_str(),
                // The first member of a decision is its applicant.
                role: if i == 0 { "APPLICANT" } else { "MEMBER" },
            })
            .collect(),
    }
}

pub(super) fn receipt(wire: wire::DeliverHouseholdStatusResponse, key: &IdempotencyKey) -> Result<Receipt, SinkError> {
    if wire.idempotency_key.trim() != key.as_str() {
        return Err(malformed("the receipt is about another delivery"));
    }
    let duplicate = match wire.outcome.trim() {
        wire::OUTCOME_ACCEPTED => false,
        wire::OUTCOME_DUPLICATE => true,
        _ => return Err(malformed("the receipt's outcome is unknown")),
    };
    let receipt_id = wire.receipt_id.trim();
    if receipt_id.is_empty() {
        return Err(malformed("the receipt carries no receipt id"));
    }
    Ok(Receipt { partner: System::Baris, partner_ref: receipt_id.to_owned(), duplicate })
}

/// A client fault's meaning for the delivery.
pub(super) fn fault(fault: SoapFault) -> SinkError {
    match fault.code.as_str() {
        // The service account is the operator's to fix; the message itself is fine and must
        // go out once it is, so this is not a refusal of it.
        "NOT_AUTHORISED" => SinkError::Transient(SourceError::Unavailable {
            detail: "BARIS did not accept the service account".into(),
            retry_after: None,
        }),
        "SERVICE_UNAVAILABLE" => SinkError::Transient(SourceError::Unavailable {
            detail: "BARIS reported SERVICE_UNAVAILABLE".into(),
            retry_after: None,
        }),
        _ => SinkError::Rejected { code: fault.code },
    }
}
