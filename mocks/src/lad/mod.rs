//! The LAD Rural Support Service simulator: REST/JSON as `schemas/lad/VERSION.md` defines it,
//! behind the simulated API gateway, serving the support the population's farmers are paid,
//! by month and scheme.
//!
//! Operations: `POST /oauth2/token` and `POST /lad/v1/support-payments/search`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use gateway_domain::{Month, Period};
use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::{Population, TrueIncome};
use crate::rest::gateway::ApiGateway;
use crate::rest::{json, person_code};
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path of the one operation.
pub(crate) const SEARCH_PATH: &str = "/lad/v1/support-payments/search";
/// A valid answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/lad/examples/support-payments.json");

/// `support-query.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Query {
    person_code: String,
    from_month: String,
    to_month: String,
}

/// `support-payments.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SupportPayments<'a> {
    person_code: &'a str,
    payments: Vec<Payment>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Payment {
    record_id: String,
    month: String,
    scheme_code: String,
    scheme_name: String,
    amount: String,
}

impl From<TrueIncome> for Payment {
    fn from(income: TrueIncome) -> Self {
        let (scheme_code, scheme_name) = income.scheme.map(|s| (s.code, s.name)).unwrap_or_default();
        Payment {
            record_id: income.record_id,
            month: income.month.to_string(),
            scheme_code,
            scheme_name,
            amount: income.amount.to_decimal_string(),
        }
    }
}

/// The LAD simulator.
pub(crate) struct LadSimulator {
    population: Arc<Population>,
    gateway: ApiGateway,
}

impl LadSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        Self { population, gateway: ApiGateway::new(credentials, base_url, "/oauth2/token", "urn:lv:lad:problem:") }
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
        let query: Query = self.gateway.json_body(request, "the body must be a support-payment query")?;
        let invalid = |detail| self.gateway.invalid(detail);
        let code = person_code(&query.person_code).map_err(invalid)?;
        let from = Month::parse(&query.from_month).map_err(|_| invalid("fromMonth is YYYY-MM"))?;
        let to = Month::parse(&query.to_month).map_err(|_| invalid("toMonth is YYYY-MM"))?;
        let period = Period::new(from, to).map_err(|_| invalid("the period is not valid"))?;
        if self.population.person(&code).is_none() {
            return Err(self.gateway.problem(404, "not-found", "No such person"));
        }
        let payments = self.population.lad_incomes(&code, period).into_iter().map(Payment::from).collect();
        Ok(json(&SupportPayments { person_code: code.as_str(), payments }))
    }
}

impl Respond for LadSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!("LAD simulator answered a request.");
        answer
    }
}

impl Simulator for LadSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(LadSimulator::new(on.population(), on.credentials, on.url), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("registries.lad", url).with_oauth(credentials)
    }
}

#[cfg(test)]
mod tests;
