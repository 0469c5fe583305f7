//! Status decisions to NINO relief statuses, and how NINO's answers read as receipts and
//! refusals: the only place the adapter builds domain types.

use gateway_domain::{HouseholdStatus, StatusDecision, System};
use time::{Date, format_description::FormatItem, macros::format_description};

use super::wire;
use crate::transport::{JsonDelivery, ReceiptWords, RefusalCodes};

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

fn date(date: Date) -> String {
    date.format(DATE).unwrap_or_default()
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

/// NINO's delivery: its path, receipt words and error objects.
pub(super) const DELIVERY: JsonDelivery = JsonDelivery {
    partner: System::Nino,
    name: "NINO",
    path: wire::PATH,
    receipt: ReceiptWords {
        subject: "delivery",
        outcome_field: "result",
        accepted: wire::RESULT_CREATED,
        duplicate: wire::RESULT_ALREADY_RECEIVED,
        reference_field: "status record id",
    },
    refusals: RefusalCodes::ErrorObject,
};
