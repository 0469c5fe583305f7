//! The VIIS State Education Information System simulator: REST/JSON as
//! `schemas/viis/VERSION.md` defines it, behind the simulated API gateway, serving the
//! population's enrolments in education.
//!
//! Operations: `POST /oauth2/token` and `POST /viis/v1/enrolments/search`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use gateway_domain::{EducationLevel, StatusDetail, parse_iso_date};
use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::{Population, TrueStatus};
use crate::rest::gateway::ApiGateway;
use crate::rest::{json, person_code};
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path of the one operation.
pub(crate) const SEARCH_PATH: &str = "/viis/v1/enrolments/search";
/// A valid answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/viis/examples/enrolments.json");

/// `enrolment-query.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Query {
    person_code: String,
    from_date: String,
    to_date: String,
}

/// `enrolments.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Enrolments<'a> {
    person_code: &'a str,
    enrolments: Vec<Enrolment>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Enrolment {
    record_id: String,
    institution: Institution,
    level_code: &'static str,
    full_time: bool,
    valid_from: String,
    valid_to: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Institution {
    registration_number: String,
    name: String,
}

/// The contract's code of a level.
fn level_code(level: EducationLevel) -> &'static str {
    match level {
        EducationLevel::PreSchool => "pre_school",
        EducationLevel::Basic => "basic",
        EducationLevel::Secondary => "general_secondary",
        EducationLevel::Vocational => "vocational",
        EducationLevel::Higher => "higher",
    }
}

/// One of the population's enrolments as the contract writes it; `None` for a status that is
/// not an enrolment.
fn enrolment(status: TrueStatus) -> Option<Enrolment> {
    let Some(StatusDetail::Enrolment { institution, level, full_time }) = status.detail else { return None };
    Some(Enrolment {
        record_id: status.record_id,
        institution: Institution { registration_number: institution.registration_number, name: institution.name },
        level_code: level_code(level),
        full_time,
        valid_from: status.valid_from.to_string(),
        valid_to: status.valid_to.map(|to| to.to_string()),
    })
}

/// The VIIS simulator.
pub(crate) struct ViisSimulator {
    population: Arc<Population>,
    gateway: ApiGateway,
}

impl ViisSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        Self { population, gateway: ApiGateway::new(credentials, base_url, "/oauth2/token", "urn:lv:viis:problem:") }
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
        let query: Query = self.gateway.json_body(request, "the body must be an enrolment query")?;
        let code = person_code(&query.person_code).map_err(|reason| self.gateway.invalid(reason))?;
        let first = parse_iso_date(&query.from_date).ok_or_else(|| self.gateway.invalid("fromDate is YYYY-MM-DD"))?;
        let last = parse_iso_date(&query.to_date).ok_or_else(|| self.gateway.invalid("toDate is YYYY-MM-DD"))?;
        if last < first {
            return Err(self.gateway.invalid("toDate is before fromDate"));
        }
        if self.population.person(&code).is_none() {
            return Err(self.gateway.problem(404, "not-found", "No such person"));
        }
        let enrolments = self.population.enrolments(&code, first, last).into_iter().filter_map(enrolment).collect();
        Ok(json(&Enrolments { person_code: code.as_str(), enrolments }))
    }
}

impl Respond for ViisSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!("VIIS simulator answered a request.");
        answer
    }
}

impl Simulator for ViisSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(ViisSimulator::new(on.population(), on.credentials, on.url), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("registries.viis", url).with_oauth(credentials)
    }
}

#[cfg(test)]
mod tests;
