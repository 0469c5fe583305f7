//! NINO's JSON messages, as `schemas/nino/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const PATH: &str = "/nino/v1/relief-statuses";
pub(super) const RESULT_CREATED: &str = "created";
pub(super) const RESULT_ALREADY_RECEIVED: &str = "already_received";

/// `relief-status.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReliefStatus<'a> {
    pub decision: DecisionRef<'a>,
    pub household_status: &'static str,
    pub validity: Validity,
    pub members: Vec<Member<'a>>,
}

#[derive(Serialize)]
pub(super) struct DecisionRef<'a> {
    pub reference: &'a str,
    pub version: u32,
}

#[derive(Serialize)]
pub(super) struct Validity {
    pub from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Member<'a> {
    pub person_code: &'a str,
    pub applicant: bool,
}

/// `relief-status-receipt.schema.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReliefStatusReceipt {
    pub status_record_id: String,
    pub idempotency_key: String,
    pub result: String,
}
