//! The SPOLIS co-financing simulator: REST/JSON as `schemas/spolis/cofinancing/VERSION.md`
//! defines it, with its own token endpoint, serving the population's co-financing
//! confirmations. It answers only under [`PATH_PREFIX`], so that the other SPOLIS contract's
//! responder can be mounted beside it on the same server.
//!
//! Operations: `POST /spolis/cofinancing/oauth2/token` and
//! `GET /spolis/cofinancing/v1/confirmations/{municipality}/{month}`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use gateway_domain::Month;
use serde::Serialize;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::rest::gateway::ApiGateway;
use crate::rest::json;

/// Every path this contract answers starts with this.
pub(crate) const PATH_PREFIX: &str = "/spolis/cofinancing/";
/// The confirmations of the schema's examples.
pub(crate) const SAMPLE: &[u8] = include_bytes!("../../../../schemas/spolis/cofinancing/examples/confirmations.json");
/// The path of a statement; `{municipality}/{month}` follows it.
const CONFIRMATIONS_PATH: &str = "/spolis/cofinancing/v1/confirmations/";
const TOKEN_PATH: &str = "/spolis/cofinancing/oauth2/token";

/// `confirmations.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Confirmations<'a> {
    municipality: &'a str,
    month: String,
    confirmations: Vec<Confirmation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Confirmation {
    record_id: String,
    benefit: &'static str,
    households: u32,
    paid_amount: String,
    co_financed_amount: String,
}

/// The SPOLIS co-financing simulator.
pub(crate) struct SpolisCoFinancingSimulator {
    population: Arc<Population>,
    gateway: ApiGateway,
}

impl SpolisCoFinancingSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        Self { population, gateway: ApiGateway::new(credentials, base_url, TOKEN_PATH, "urn:lv:spolis:problem:") }
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        if let Some(answer) = self.gateway.token(request) {
            return Ok(answer);
        }
        let Some(key) = request.url.path().strip_prefix(CONFIRMATIONS_PATH) else {
            return Err(self.gateway.problem(404, "no-such-operation", "No such operation"));
        };
        if request.method.as_str() != "GET" {
            return Err(self.gateway.method_not_allowed("GET"));
        }
        self.gateway.admit(request)?;
        let invalid = |title| self.gateway.problem(400, "invalid-request", title);
        let (municipality, month) = key.split_once('/').ok_or_else(|| invalid("The path is {municipality}/{month}"))?;
        let shaped = !municipality.is_empty()
            && municipality.len() <= 40
            && municipality.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()));
        if !shaped {
            return Err(invalid("A municipality is its lowercase key"));
        }
        let month = Month::parse(month).map_err(|_| invalid("A month is YYYY-MM"))?;
        let truth = self.population.cofinancing(municipality, month).ok_or_else(|| {
            self.gateway.problem(404, "not-found", "No confirmations for this municipality and month")
        })?;
        let confirmations = truth
            .into_iter()
            .map(|c| Confirmation {
                record_id: c.record_id,
                benefit: c.benefit,
                households: c.households,
                paid_amount: c.paid.to_decimal_string(),
                co_financed_amount: c.co_financed.to_decimal_string(),
            })
            .collect();
        Ok(json(&Confirmations { municipality, month: month.to_string(), confirmations }))
    }
}

impl Respond for SpolisCoFinancingSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!("SPOLIS co-financing simulator answered a request.");
        answer
    }
}

#[cfg(test)]
mod tests;
