//! VIIS's JSON messages, as `schemas/viis/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const SEARCH_PATH: &str = "/viis/v1/enrolments/search";

/// `enrolment-query.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct EnrolmentQuery<'a> {
    pub person_code: &'a str,
    pub from_date: String,
    pub to_date: String,
}

/// `enrolments.schema.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Enrolments {
    pub person_code: String,
    pub enrolments: Vec<Enrolment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Enrolment {
    pub record_id: String,
    pub institution: Institution,
    pub level_code: String,
    pub full_time: bool,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Institution {
    pub registration_number: String,
    pub name: String,
}
