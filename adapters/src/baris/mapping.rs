//! Status decisions to BARIS requests, and BARIS answers to receipts: the only place the
//! adapter builds domain types.

use gateway_domain::{HouseholdStatus, IdempotencyKey, Receipt, SinkError, StatusDecision};
use time::{Date, format_description::FormatItem, macros::format_description};

use super::wire;

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

fn date(date: Date) -> String {
    date.format(DATE).unwrap_or_default()
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
    wire::DELIVERY.receipt(key, &wire.idempotency_key, &wire.outcome, &wire.receipt_id)
}
