//! The UR Register of Enterprises simulator: REST/JSON as `schemas/ur/VERSION.md` defines it,
//! behind the simulated API gateway, serving the population's roles in companies.
//!
//! Operations: `POST /oauth2/token` and `POST /ur/v1/person-roles/search`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use gateway_domain::HoldingRole;
use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::rest::gateway::ApiGateway;
use crate::rest::{json, person_code};
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path of the one operation.
pub(crate) const SEARCH_PATH: &str = "/ur/v1/person-roles/search";
/// A valid answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/ur/examples/person-roles.json");

/// `person-roles-query.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Query {
    person_code: String,
}

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
pub(crate) struct UrSimulator {
    population: Arc<Population>,
    gateway: ApiGateway,
}

impl UrSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        Self { population, gateway: ApiGateway::new(credentials, base_url, "/oauth2/token", "urn:lv:ur:problem:") }
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        if let Some(answer) = self.gateway.token(request) {
            return Ok(answer);
        }
        if request.url.path() != SEARCH_PATH {
            return Err(self.gateway.problem(404, "no-such-operation", "No such operation"));
        }
        if request.method.as_str() != "POST" {
            return Err(self.gateway.method_not_allowed("POST"));
        }
        self.gateway.admit(request)?;
        let query: Query = self.gateway.json_body(request, "the body must be a person-roles query")?;
        let code = person_code(&query.person_code).map_err(|reason| self.gateway.invalid(reason))?;
        if self.population.person(&code).is_none() {
            return Err(self.gateway.problem(404, "not-found", "No such person"));
        }
        let roles = self
            .population
            .ur_holdings(&code)
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
        Ok(json(&PersonRoles { person_code: code.as_str(), roles }))
    }
}

impl Respond for UrSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!("UR simulator answered a request.");
        answer
    }
}

impl Simulator for UrSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(UrSimulator::new(on.population(), on.credentials, on.url), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("registries.ur", url).with_oauth(credentials)
    }
}

#[cfg(test)]
mod tests;
