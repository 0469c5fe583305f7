//! Status decisions to SPOLIS monitoring records, and SPOLIS answers to receipts: the only
//! place the adapter builds domain types.

use gateway_domain::{HouseholdStatus, IdempotencyKey, Receipt, SinkError, StatusDecision};
use time::{Date, format_description::FormatItem, macros::format_description};

use super::wire;

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");
const MONTH: &[FormatItem<'static>] = format_description!("[year]-[month]");

fn date(date: Date) -> String {
    date.format(DATE).unwrap_or_default()
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
    wire::DELIVERY.receipt(key, &wire.idempotency_key, &wire.result, &wire.registration_number)
}
