//! Status decisions to NINO relief statuses, and NINO answers to receipts: the only place the
//! adapter builds domain types.

use gateway_domain::{HouseholdStatus, IdempotencyKey, Receipt, SinkError, SourceError, StatusDecision, System};
use reqwest::StatusCode;
use time::{Date, format_description::FormatItem, macros::format_description};

use super::wire;
use crate::transport::HttpReply;

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

fn date(date: Date) -> String {
    date.format(DATE).unwrap_or_default()
}

fn malformed(detail: &str) -> SinkError {
    SinkError::Transient(SourceError::Malformed { detail: detail.to_owned() })
}

pub(super) fn relief_status(decision: &StatusDecision) -> wire::ReliefStatus<'_> {
    wire::ReliefStatus {
        decision: wire::DecisionRef { reference: &decision.decision_ref, version: decision.version },
        household_status: match decision.status {
            HouseholdStatus::Needy => "needy",
            HouseholdStatus::LowIncome => "low_income",
            HouseholdStatus::Ended => "ended",
        },
        validity: wire::Validity { from: date(decision.valid_from), to: decision.valid_to.map(date) },
        members: decision
            .members
            .iter()
            .enumerate()
            // The first member of a decision is its applicant.
            .map(|(i, member)| wire::Member { person_code: member.as_str(), applicant: i == 0 })
            .collect(),
    }
}

/// What NINO's answer means for the delivery.
pub(super) fn receipt(reply: &HttpReply, key: &IdempotencyKey) -> Result<Receipt, SinkError> {
    let status = reply.status;
    if !status.is_success() {
        return Err(refusal(status, &reply.body));
    }
    let wire: wire::ReliefStatusReceipt =
        serde_json::from_str(&reply.body).map_err(|_| malformed("the receipt is not the expected JSON"))?;
    if wire.idempotency_key != key.as_str() {
        return Err(malformed("the receipt is about another delivery"));
    }
    let duplicate = match wire.result.as_str() {
        wire::RESULT_CREATED => false,
        wire::RESULT_ALREADY_RECEIVED => true,
        _ => return Err(malformed("the receipt's result is unknown")),
    };
    if wire.status_record_id.is_empty() {
        return Err(malformed("the receipt carries no status record id"));
    }
    Ok(Receipt { partner: System::Nino, partner_ref: wire.status_record_id, duplicate })
}

/// Credentials and endpoints are the operator's to fix; the status itself is fine and must go
/// out once they are, so these are not refusals of it.
pub(super) fn credentials_refused(status: StatusCode) -> SinkError {
    SinkError::Transient(SourceError::Unavailable {
        detail: format!("NINO refused the call with HTTP status {}", status.as_u16()),
        retry_after: None,
    })
}

/// An unsuccessful answer the transport left to the adapter (it maps 5xx and 429 itself).
fn refusal(status: StatusCode, body: &str) -> SinkError {
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => {
            credentials_refused(status)
        }
        _ => {
            let code = serde_json::from_str::<wire::ErrorBody>(body)
                .map(|body| body.error.code)
                .ok()
                .filter(|code| !code.is_empty() && code.len() <= 64 && code.bytes().all(|b| b.is_ascii_graphic()))
                .unwrap_or_else(|| format!("http-{}", status.as_u16()));
            SinkError::Rejected { code }
        }
    }
}
