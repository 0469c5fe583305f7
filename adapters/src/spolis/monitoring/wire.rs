//! SPOLIS monitoring XML messages, as `schemas/spolis/monitoring/monitoring.xsd` defines them.
//! Private to the adapter.

use gateway_domain::System;
use serde::{Deserialize, Serialize};

use crate::transport::SoapDelivery;

pub(super) const NAMESPACE: &str = "urn:lv:lm:spolis:monitoring:v1";
pub(super) const SUBMIT_MONITORING_RECORD: &str = "urn:lv:lm:spolis:monitoring:v1:SubmitMonitoringRecord";
pub(super) const PATH: &str = "/spolis/monitoring/v1";

pub(super) const DELIVERY: SoapDelivery = SoapDelivery {
    partner: System::Spolis,
    name: "SPOLIS",
    namespace: NAMESPACE,
    action: SUBMIT_MONITORING_RECORD,
    subject: "record",
    outcome_field: "result",
    accepted: "REGISTERED",
    duplicate: "ALREADY_REGISTERED",
    reference_field: "registration number",
};

#[derive(Serialize)]
#[serde(rename = "SubmitMonitoringRecordRequest", rename_all = "PascalCase")]
pub(super) struct SubmitMonitoringRecordRequest<'a> {
    #[serde(rename = "@xmlns")]
    pub ns: &'static str,
    pub municipality_code: &'a str,
    pub record_ref: &'a str,
    pub record_version: u32,
    pub status: &'static str,
    pub valid_from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
    pub reporting_month: String,
    pub person_count: usize,
    #[serde(rename = "Person")]
    pub persons: Vec<Person<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Person<'a> {
    pub person_code: &'a str,
    pub applicant: bool,
}

#[derive(Deserialize)]
pub(super) struct ResponseBody {
    #[serde(rename = "SubmitMonitoringRecordResponse")]
    pub response: SubmitMonitoringRecordResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct SubmitMonitoringRecordResponse {
    pub registration_number: String,
    pub idempotency_key: String,
    pub result: String,
}
