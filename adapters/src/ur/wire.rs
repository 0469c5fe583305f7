//! UR's JSON messages, as `schemas/ur/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const SEARCH_PATH: &str = "/ur/v1/person-roles/search";

/// `person-roles-query.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PersonRolesQuery<'a> {
    pub person_code: &'a str,
}

/// `person-roles.schema.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PersonRoles {
    pub person_code: String,
    pub roles: Vec<Role>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Role {
    pub record_id: String,
    pub company: Company,
    pub role: String,
    #[serde(default)]
    pub shares_held: Option<u32>,
    #[serde(default)]
    pub shares_total: Option<u32>,
    pub registered: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Company {
    pub registration_number: String,
    pub name: String,
}
