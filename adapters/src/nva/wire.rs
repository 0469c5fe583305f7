//! NVA's JSON messages, as `schemas/nva/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const SEARCH_PATH: &str = "/nva/v1/person-status/search";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PersonStatusQuery<'a> {
    pub person_code: &'a str,
    pub from_month: String,
    pub to_month: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PersonStatus {
    pub person_code: String,
    pub registrations: Vec<Registration>,
    pub payments: Vec<Payment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Registration {
    pub record_id: String,
    pub status: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Payment {
    pub record_id: String,
    pub month: String,
    pub kind: String,
    pub amount: String,
}
