//! The UGFA Maintenance Guarantee Fund Administration simulator: REST/JSON as
//! `schemas/ugfa/VERSION.md` defines it, behind the simulated API gateway, serving the
//! maintenance the population's fund pays per child and month.
//!
//! Operations: `POST /oauth2/token` and `POST /ugfa/v1/maintenance-payments/search`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use gateway_domain::{Month, Period, PersonCode};
use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::rest::gateway::ApiGateway;
use crate::rest::json;
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path of the one operation.
pub(crate) const SEARCH_PATH: &str = "/ugfa/v1/maintenance-payments/search";
/// A valid answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/ugfa/examples/maintenance-payments.json");
/// The age from which the fund pays its higher minimum.
const OLDER_CHILD_AGE: u16 = 7;

/// `maintenance-query.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Query {
    person_code: String,
    from_month: String,
    to_month: String,
}

/// `maintenance-payments.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MaintenancePayments<'a> {
    person_code: &'a str,
    payments: Vec<Payment>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Payment {
    record_id: String,
    month: String,
    age_group: &'static str,
    amount: String,
}

/// The UGFA simulator.
pub(crate) struct UgfaSimulator {
    population: Arc<Population>,
    gateway: ApiGateway,
}

impl UgfaSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        Self { population, gateway: ApiGateway::new(credentials, base_url, "/oauth2/token", "urn:lv:ugfa:problem:") }
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
        let query: Query = self.gateway.json_body(request, "the body must be a maintenance query")?;
        let invalid = |title| self.gateway.problem(400, "invalid-request", title);
        let code = PersonCode::parse(&query.person_code).map_err(|_| invalid("personCode is not valid"))?;
        let from = Month::parse(&query.from_month).map_err(|_| invalid("fromMonth is YYYY-MM"))?;
        let to = Month::parse(&query.to_month).map_err(|_| invalid("toMonth is YYYY-MM"))?;
        let period = Period::new(from, to).map_err(|_| invalid("the period is not valid"))?;
        let Some(person) = self.population.person(&code) else {
            return Err(self.gateway.problem(404, "not-found", "No such person"));
        };
        let payments = self
            .population
            .ugfa_incomes(&code, period)
            .into_iter()
            .map(|income| Payment {
                record_id: income.record_id,
                month: income.month.to_string(),
                age_group: if person.age_on(income.month.first_day()) < OLDER_CHILD_AGE {
                    "under_7"
                } else {
                    "from_7_to_18"
                },
                amount: income.amount.to_decimal_string(),
            })
            .collect();
        Ok(json(&MaintenancePayments { person_code: code.as_str(), payments }))
    }
}

impl Respond for UgfaSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!("UGFA simulator answered a request.");
        answer
    }
}

impl Simulator for UgfaSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(UgfaSimulator::new(on.population(), on.credentials, on.url), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("registries.ugfa", url).with_oauth(credentials)
    }
}

#[cfg(test)]
mod tests;
