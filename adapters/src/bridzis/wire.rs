//! BRIDZIS's JSON messages, as `schemas/bridzis/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const PATH: &str = "/bridzis/v1/status-notices";
pub(super) const API_KEY_HEADER: &str = "x-api-key";
pub(super) const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
pub(super) const OUTCOME_ACCEPTED: &str = "ACCEPTED";
pub(super) const OUTCOME_DUPLICATE: &str = "DUPLICATE";

/// `status-notice.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct StatusNotice<'a> {
    pub decision_ref: &'a str,
    pub decision_version: u32,
    pub social_status: &'static str,
    pub valid_from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
    pub persons: Vec<Person<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Person<'a> {
    pub person_code: &'a str,
    pub role: &'static str,
}

/// `receipt.schema.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Receipt {
    pub notice_id: String,
    pub idempotency_key: String,
    pub outcome: String,
}

/// `problem.schema.json`: only the register's code matters to the gateway.
#[derive(Deserialize)]
pub(super) struct Problem {
    pub code: String,
}
