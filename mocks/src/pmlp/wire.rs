//! The PMLP wire format as `schemas/pmlp/` defines it, written from the schemas and not
//! shared with any client, so that a round trip through the simulator tests the client.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::population::SyntheticPerson;

/// Every person the simulator serves is alive and declared.
const STATUS_ACTIVE: &str = "active";

/// `person-query.schema.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct PersonQuery {
    pub(super) person_code: String,
}

/// `person.schema.json`.
#[derive(Serialize)]
pub(super) struct PersonResponse<'a> {
    pub(super) person: Person<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Person<'a> {
    record_id: &'a str,
    person_code: &'a str,
    given_name: &'a str,
    family_name: &'a str,
    birth_date: Option<String>,
    status: &'static str,
}

impl<'a> Person<'a> {
    pub(super) fn of(person: &'a SyntheticPerson) -> Self {
        Self {
            record_id: &person.record_id,
            person_code: person.code.as_str(),
            given_name: &person.given_name,
            family_name: &person.family_name,
            birth_date: Some(wire_date(person.birth_date)),
            status: STATUS_ACTIVE,
        }
    }
}

/// `declared-address.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeclaredAddress<'a> {
    pub(super) record_id: String,
    pub(super) person_code: &'a str,
    pub(super) address_code: &'a str,
    pub(super) address_text: &'a str,
    pub(super) declared_from: String,
}

/// `declared-persons.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeclaredPersons<'a> {
    pub(super) address_code: &'a str,
    pub(super) persons: Vec<DeclaredPerson<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeclaredPerson<'a> {
    #[serde(flatten)]
    person: Person<'a>,
    declared_from: String,
}

impl<'a> DeclaredPerson<'a> {
    pub(super) fn of(person: &'a SyntheticPerson) -> Self {
        Self { person: Person::of(person), declared_from: wire_date(person.declared_from) }
    }
}

/// A date as the schemas write it: `YYYY-MM-DD`.
pub(super) fn wire_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}
