//! The UR Register of Enterprises simulator: REST/JSON as `schemas/ur/VERSION.md` defines it,
//! behind the simulated API gateway, serving the population's roles in companies.
//!
//! Operations: `POST /oauth2/token` and `POST /ur/v1/person-roles/search`.

use gateway_domain::HoldingRole;
use serde::Serialize;

use crate::population::{Population, SyntheticPerson};
use crate::rest::person_source::{PersonQuery, PersonRegistry, PersonSource, Refusals};

/// `person-roles.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PersonRoles<'a> {
    person_code: &'a str,
    roles: Vec<Role>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Role {
    record_id: String,
    company: Company,
    role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    shares_held: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shares_total: Option<u32>,
    registered: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Company {
    registration_number: String,
    name: String,
}

/// The register's code of a role.
fn role_code(role: HoldingRole) -> &'static str {
    match role {
        HoldingRole::Shareholder => "shareholder",
        HoldingRole::BoardMember => "board_member",
    }
}

/// The UR simulator.
pub(crate) type UrSimulator = PersonSource<Ur>;

/// UR's search in its own words.
pub(crate) struct Ur;

impl PersonRegistry for Ur {
    const NAME: &'static str = "UR";
    const PATH: &'static str = "/ur/v1/person-roles/search";
    const SAMPLE: &'static [u8] = include_bytes!("../../../schemas/ur/examples/person-roles.json");
    const PROBLEM_PREFIX: &'static str = "urn:lv:ur:problem:";
    const TABLE: &'static str = "registries.ur";
    const SHAPE: &'static str = "the body must be a person-roles query";
    const REFUSALS: Refusals = Refusals::Detailed;

    /// `person-roles-query.schema.json`.
    type Query = PersonQuery;

    fn answer(population: &Population, person: &SyntheticPerson, (): ()) -> impl Serialize {
        let roles = population
            .ur_holdings(&person.code)
            .into_iter()
            .map(|holding| Role {
                record_id: holding.record_id,
                company: Company {
                    registration_number: holding.company.registration_number,
                    name: holding.company.name,
                },
                role: role_code(holding.role),
                shares_held: holding.share.map(|(held, _)| held),
                shares_total: holding.share.map(|(_, total)| total),
                registered: holding.since.to_string(),
            })
            .collect();
        PersonRoles { person_code: person.code.as_str(), roles }
    }
}

#[cfg(test)]
mod tests;
