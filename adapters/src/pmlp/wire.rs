//! PMLP's JSON messages, as `schemas/pmlp/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PersonQuery<'a> {
    pub person_code: &'a str,
}

#[derive(Deserialize)]
pub(super) struct PersonResponse {
    pub person: Person,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Person {
    pub record_id: String,
    pub person_code: String,
    pub given_name: String,
    pub family_name: String,
    #[serde(default)]
    pub birth_date: Option<String>,
    pub status: PersonStatus,
}

#[derive(Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(super) enum PersonStatus {
    Active,
    Deceased,
    Excluded,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeclaredAddress {
    pub record_id: String,
    pub person_code: String,
    pub address_code: String,
    pub address_text: String,
    pub declared_from: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeclaredPersons {
    pub address_code: String,
    pub persons: Vec<DeclaredPerson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeclaredPerson {
    #[serde(flatten)]
    pub person: Person,
    #[allow(dead_code)] // part of the contract; the household is who is declared now
    pub declared_from: String,
}
