//! BARIS's XML messages, as `schemas/baris/household-status.xsd` defines them. Private to the
//! adapter.

use gateway_domain::System;
use serde::{Deserialize, Serialize};

use crate::transport::SoapDelivery;

pub(super) const NAMESPACE: &str = "urn:lv:baris:household-status:v1";
pub(super) const DELIVER_HOUSEHOLD_STATUS: &str = "urn:lv:baris:household-status:v1:DeliverHouseholdStatus";
pub(super) const PATH: &str = "/baris/household-status/v1";

pub(super) const DELIVERY: SoapDelivery = SoapDelivery {
    partner: System::Baris,
    name: "BARIS",
    namespace: NAMESPACE,
    action: DELIVER_HOUSEHOLD_STATUS,
    subject: "delivery",
    outcome_field: "outcome",
    accepted: "ACCEPTED",
    duplicate: "DUPLICATE",
    reference_field: "receipt id",
};

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
