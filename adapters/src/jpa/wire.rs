//! JPA's JSON messages, as `schemas/jpa/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const PATH: &str = "/jpa/v1/status-notifications";
pub(super) const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
pub(super) const OUTCOME_REGISTERED: &str = "REGISTERED";
pub(super) const OUTCOME_ALREADY_REGISTERED: &str = "ALREADY_REGISTERED";
/// What every problem `type` of JPA's starts with; the rest is its code.
pub(super) const PROBLEM_PREFIX: &str = "urn:lv:jpa:problem:";

/// `status-notification.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct StatusNotification<'a> {
    pub decision_number: &'a str,
    pub decision_version: u32,
    pub status: &'static str,
    pub period: StatusPeriod,
    pub persons: Vec<Person<'a>>,
}

#[derive(Serialize)]
pub(super) struct StatusPeriod {
    pub start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Person<'a> {
    pub person_code: &'a str,
    pub applicant: bool,
}

/// `notification-receipt.schema.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct NotificationReceipt {
    pub notification_id: String,
    pub idempotency_key: String,
    pub outcome: String,
}

/// `problem.schema.json`: only the type, whose last part is JPA's code, matters to the gateway.
#[derive(Deserialize)]
pub(super) struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
}
