//! Status decisions to JPA notifications, and JPA answers to receipts: the only place the
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

pub(super) fn notification(decision: &StatusDecision) -> wire::StatusNotification<'_> {
    wire::StatusNotification {
        decision_number: &decision.decision_ref,
        decision_version: decision.version,
        status: match decision.status {
            HouseholdStatus::Needy => "NEEDY",
            HouseholdStatus::LowIncome => "LOW_INCOME",
            HouseholdStatus::Ended => "ENDED",
        },
        period: wire::StatusPeriod { start: date(decision.valid_from), end: decision.valid_to.map(date) },
        persons: decision
            .members
            .iter()
            .enumerate()
            // The first member of a decision is its applicant.
            .map(|(i, member)| wire::Person { person_code: member.as_str(), applicant: i == 0 })
            .collect(),
    }
}

/// What JPA's answer means for the delivery.
pub(super) fn receipt(reply: &HttpReply, key: &IdempotencyKey) -> Result<Receipt, SinkError> {
    let status = reply.status;
    if !status.is_success() {
        return Err(refusal(status, &reply.body));
    }
    let wire: wire::NotificationReceipt =
        serde_json::from_str(&reply.body).map_err(|_| malformed("the receipt is not the expected JSON"))?;
    if wire.idempotency_key != key.as_str() {
        return Err(malformed("the receipt is about another delivery"));
    }
    let duplicate = match wire.outcome.as_str() {
        wire::OUTCOME_REGISTERED => false,
        wire::OUTCOME_ALREADY_REGISTERED => true,
        _ => return Err(malformed("the receipt's outcome is unknown")),
    };
    if wire.notification_id.is_empty() {
        return Err(malformed("the receipt carries no notification id"));
    }
    Ok(Receipt { partner: System::Jpa, partner_ref: wire.notification_id, duplicate })
}

/// Credentials and endpoints are the operator's to fix; the notification itself is fine and
/// must go out once they are, so these are not refusals of it.
pub(super) fn credentials_refused(status: StatusCode) -> SinkError {
    SinkError::Transient(SourceError::Unavailable {
        detail: format!("JPA refused the call with HTTP status {}", status.as_u16()),
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
            let code = serde_json::from_str::<wire::Problem>(body)
                .ok()
                .and_then(|problem| problem.problem_type.strip_prefix(wire::PROBLEM_PREFIX).map(str::to_owned))
                .filter(|code| !code.is_empty() && code.len() <= 64 && code.bytes().all(|b| b.is_ascii_graphic()))
                .unwrap_or_else(|| format!("http-{}", status.as_u16()));
            SinkError::Rejected { code }
        }
    }
}
