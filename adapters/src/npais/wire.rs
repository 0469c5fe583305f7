//! NPAIS's JSON messages, as `schemas/npais/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const SEARCH_PATH: &str = "/npais/v1/placements/search";

/// `placement-query.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PlacementQuery<'a> {
    pub person_code: &'a str,
    pub from_date: String,
    pub to_date: String,
}

/// `placements.schema.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Placements {
    pub person_code: String,
    pub placements: Vec<Placement>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Placement {
    pub record_id: String,
    pub form: String,
    #[serde(default)]
    pub institution: Option<Institution>,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Institution {
    pub registration_number: String,
    pub name: String,
}
