//! Status decisions to BRIDZIS notices, and BRIDZIS answers to receipts: the only place the
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

pub(super) fn notice(decision: &StatusDecision) -> wire::StatusNotice<'_> {
    wire::StatusNotice {
        decision_ref: &decision.decision_ref,
        decision_version: decision.version,
        social_status: match decision.status {
            HouseholdStatus::Needy => "NEEDY",
            HouseholdStatus::LowIncome => "LOW_INCOME",
            HouseholdStatus::Ended => "ENDED",
        },
        valid_from: date(decision.valid_from),
        valid_to: decision.valid_to.map(date),
        persons: decision
            .members
            .iter()
            .enumerate()
            .map(|(i, member)| wire::Person {
                person_code: member.as_str(),
                // The first member of a decision is its applicant.
                role: if i == 0 { "APPLICANT" } else { "MEMBER" },
            })
            .collect(),
    }
}

/// What the register's answer means for the delivery.
pub(super) fn receipt(reply: &HttpReply, key: &IdempotencyKey) -> Result<Receipt, SinkError> {
    let status = reply.status;
    if status.is_success() {
        let wire: wire::Receipt =
            serde_json::from_str(&reply.body).map_err(|_| malformed("the receipt is not the expected JSON"))?;
        if wire.idempotency_key != key.as_str() {
            return Err(malformed("the receipt is about another delivery"));
        }
        let duplicate = match wire.outcome.as_str() {
            wire::OUTCOME_ACCEPTED => false,
            wire::OUTCOME_DUPLICATE => true,
            _ => return Err(malformed("the receipt's outcome is unknown")),
        };
        if wire.notice_id.is_empty() {
            return Err(malformed("the receipt carries no notice id"));
        }
        return Ok(Receipt { partner: System::Bridzis, partner_ref: wire.notice_id, duplicate });
    }
    Err(refusal(status, &reply.body))
}

/// An unsuccessful answer the transport left to the adapter (it maps 5xx and 429 itself).
fn refusal(status: StatusCode, body: &str) -> SinkError {
    match status {
        // Credentials and endpoints are the operator's to fix; the notice itself is fine and
        // must go out once they are, so these are not refusals of it.
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => {
            SinkError::Transient(SourceError::Unavailable {
                detail: format!("BRIDZIS refused the call with HTTP status {}", status.as_u16()),
                retry_after: None,
            })
        }
        _ => {
            let code = serde_json::from_str::<wire::Problem>(body)
                .map(|problem| problem.code)
                .ok()
                .filter(|code| !code.is_empty() && code.len() <= 64 && code.bytes().all(|b| b.is_ascii_graphic()))
                .unwrap_or_else(|| format!("http-{}", status.as_u16()));
            SinkError::Rejected { code }
        }
    }
}
