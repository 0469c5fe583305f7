//! BARIS's XML messages, as `schemas/baris/household-status.xsd` defines them. Private to the
//! adapter.

use serde::{Deserialize, Serialize};

pub(super) const NAMESPACE: &str = "urn:lv:baris:household-status:v1";
pub(super) const DELIVER_HOUSEHOLD_STATUS: &str = "urn:lv:baris:household-status:v1:DeliverHouseholdStatus";
pub(super) const PATH: &str = "/baris/household-status/v1";
pub(super) const OUTCOME_ACCEPTED: &str = "ACCEPTED";
pub(super) const OUTCOME_DUPLICATE: &str = "DUPLICATE";

/// The `IdempotencyKey` header block.
#[derive(Serialize)]
#[serde(rename = "IdempotencyKey")]
pub(super) struct IdempotencyKeyHeader<'a> {
    #[serde(rename = "@xmlns")]
    pub ns: &'static str,
    #[serde(rename = "$text")]
    pub key: &'a str,
}

#[derive(Serialize)]
#[serde(rename = "DeliverHouseholdStatusRequest", rename_all = "PascalCase")]
pub(super) struct DeliverHouseholdStatusRequest<'a> {
    #[serde(rename = "@xmlns")]
    pub ns: &'static str,
    pub decision_ref: &'a str,
    pub decision_version: u32,
    pub status: &'static str,
    pub valid_from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
    #[serde(rename = "Member")]
    pub members: Vec<Member<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Member<'a> {
    pub person_code: &'a str,
    pub role: &'static str,
}

#[derive(Deserialize)]
pub(super) struct ResponseBody {
    #[serde(rename = "DeliverHouseholdStatusResponse")]
    pub response: DeliverHouseholdStatusResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DeliverHouseholdStatusResponse {
    pub receipt_id: String,
    pub idempotency_key: String,
    pub outcome: String,
}
