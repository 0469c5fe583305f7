//! The NPAIS Minors' Support Information System simulator: REST/JSON as
//! `schemas/npais/VERSION.md` defines it, behind the simulated API gateway, serving the
//! population's placements of minors in out-of-family care.
//!
//! Operations: `POST /oauth2/token` and `POST /npais/v1/placements/search`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use gateway_domain::{CareForm, StatusDetail, parse_iso_date};
use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::{Population, TrueStatus};
use crate::rest::gateway::ApiGateway;
use crate::rest::{json, person_code};
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path of the one operation.
pub(crate) const SEARCH_PATH: &str = "/npais/v1/placements/search";
/// A valid answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/npais/examples/placements.json");

/// `placement-query.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Query {
    person_code: String,
    from_date: String,
    to_date: String,
}

/// `placements.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Placements<'a> {
    person_code: &'a str,
    placements: Vec<Placement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Placement {
    record_id: String,
    form: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    institution: Option<Institution>,
    valid_from: String,
    valid_to: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Institution {
    registration_number: String,
    name: String,
}

/// The contract's code of a form of care.
fn form_code(form: CareForm) -> &'static str {
    match form {
        CareForm::FosterFamily => "foster_family",
        CareForm::Guardianship => "guardianship",
        CareForm::Institution => "institution",
    }
}

/// One of the population's placements as the contract writes it; `None` for a status that is
/// not a placement.
fn placement(status: TrueStatus) -> Option<Placement> {
    let Some(StatusDetail::Placement { form, institution }) = status.detail else { return None };
    Some(Placement {
        record_id: status.record_id,
        form: form_code(form),
        institution: institution
            .map(|named| Institution { registration_number: named.registration_number, name: named.name }),
        valid_from: status.valid_from.to_string(),
        valid_to: status.valid_to.map(|to| to.to_string()),
    })
}

/// The NPAIS simulator.
pub(crate) struct NpaisSimulator {
    population: Arc<Population>,
    gateway: ApiGateway,
}

impl NpaisSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        Self { population, gateway: ApiGateway::new(credentials, base_url, "/oauth2/token", "urn:lv:npais:problem:") }
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
        let query: Query = self.gateway.json_body(request, "the body must be a placement query")?;
        let code = person_code(&query.person_code).map_err(|reason| self.gateway.invalid(reason))?;
        let first = parse_iso_date(&query.from_date).ok_or_else(|| self.gateway.invalid("fromDate is YYYY-MM-DD"))?;
        let last = parse_iso_date(&query.to_date).ok_or_else(|| self.gateway.invalid("toDate is YYYY-MM-DD"))?;
        if last < first {
            return Err(self.gateway.invalid("toDate is before fromDate"));
        }
        if self.population.person(&code).is_none() {
            return Err(self.gateway.problem(404, "not-found", "No such person"));
        }
        let placements = self.population.placements(&code, first, last).into_iter().filter_map(placement).collect();
        Ok(json(&Placements { person_code: code.as_str(), placements }))
    }
}

impl Respond for NpaisSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!("NPAIS simulator answered a request.");
        answer
    }
}

impl Simulator for NpaisSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(NpaisSimulator::new(on.population(), on.credentials, on.url), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("registries.npais", url).with_oauth(credentials)
    }
}

#[cfg(test)]
mod tests;
