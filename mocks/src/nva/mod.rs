//! The NVA State Employment Agency simulator: REST/JSON as `schemas/nva/VERSION.md` defines it,
//! behind the simulated API gateway, serving the population's NVA registrations and payments.
//!
//! Operations: `POST /oauth2/token`, `POST /nva/v1/person-status/search` and, as a partner of
//! status decisions, `POST /nva/v1/status-notifications` ([`notifications`]).
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

mod notifications;

use std::sync::Arc;

use gateway_domain::{Month, Period, PersonCode, StatusKind};
use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::rest::delivery::{Admission, RestDelivery};
use crate::rest::gateway::ApiGateway;
use crate::rest::json;
use crate::rest::notification::{NotificationPartner, StatusNotifications};
use crate::simulators::{Handle, Mount, Simulator, Table};
use notifications::NvaNotifications;

/// The path of the one operation.
pub(crate) const SEARCH_PATH: &str = "/nva/v1/person-status/search";
/// A valid answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/nva/examples/person-status.json");

/// `person-status-query.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Query {
    person_code: String,
    from_month: String,
    to_month: String,
}

/// `person-status.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PersonStatus<'a> {
    person_code: &'a str,
    registrations: Vec<Registration>,
    payments: Vec<Payment>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Registration {
    record_id: String,
    status: &'static str,
    valid_from: String,
    valid_to: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Payment {
    record_id: String,
    month: String,
    kind: &'static str,
    amount: String,
}

/// The NVA simulator.
pub(crate) struct NvaSimulator {
    population: Arc<Population>,
    gateway: ApiGateway,
    /// The status notifications NVA takes, behind the same gateway.
    notifications: RestDelivery<StatusNotifications<NvaNotifications>>,
}

impl NvaSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        let gateway = ApiGateway::new(credentials, base_url, "/oauth2/token", NvaNotifications::PROBLEM_PREFIX);
        let notifications = RestDelivery::new(Arc::clone(&population), Admission::Gateway);
        Self { population, gateway, notifications }
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        if let Some(answer) = self.gateway.token(request) {
            return Ok(answer);
        }
        if request.url.path() == NvaNotifications::PATH {
            if request.method.as_str() == "POST" {
                self.gateway.admit_token(request)?;
            }
            return Ok(self.notifications.respond(request));
        }
        if request.url.path() != SEARCH_PATH {
            return Err(self.gateway.problem(404, "no-such-operation", "No such operation"));
        }
        if request.method.as_str() != "POST" {
            return Err(self.gateway.method_not_allowed("POST"));
        }
        self.gateway.admit(request)?;
        let query: Query = self.gateway.json_body(request, "the body must be a person-status query")?;
        let invalid = |title| self.gateway.problem(400, "invalid-request", title);
        let code = PersonCode::parse(&query.person_code).map_err(|_| invalid("personCode is not valid"))?;
        let from = Month::parse(&query.from_month).map_err(|_| invalid("fromMonth is YYYY-MM"))?;
        let to = Month::parse(&query.to_month).map_err(|_| invalid("toMonth is YYYY-MM"))?;
        let period = Period::new(from, to).map_err(|_| invalid("the period is not valid"))?;
        if self.population.person(&code).is_none() {
            return Err(self.gateway.problem(404, "not-found", "No such person"));
        }
        let registrations = self
            .population
            .nva_statuses(&code, from.first_day(), to.last_day())
            .into_iter()
            .map(|s| Registration {
                record_id: s.record_id,
                status: if s.kind == StatusKind::Unemployed { "unemployed" } else { "job_seeker" },
                valid_from: s.valid_from.to_string(),
                valid_to: s.valid_to.map(|d| d.to_string()),
            })
            .collect();
        let payments = self
            .population
            .nva_incomes(&code, period)
            .into_iter()
            .map(|i| Payment {
                record_id: i.record_id,
                month: i.month.to_string(),
                kind: if i.kind == gateway_domain::IncomeKind::TrainingStipend {
                    "training_stipend"
                } else {
                    "public_works_allowance"
                },
                amount: i.amount.to_decimal_string(),
            })
            .collect();
        Ok(json(&PersonStatus { person_code: code.as_str(), registrations, payments }))
    }
}

impl Respond for NvaSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!("NVA simulator answered a request.");
        answer
    }
}

impl Simulator for NvaSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        let simulator = NvaSimulator::new(on.population(), on.credentials, on.url);
        let ledger = simulator.notifications.ledger();
        on.serve(simulator, SAMPLE).await;
        Handle::Partner(ledger)
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        let registry = Table::new("registries.nva", url).with_oauth(credentials);
        let partner = Table::new(NvaNotifications::TABLE, url).with_oauth(credentials);
        format!("{registry}\n{partner}")
    }
}

#[cfg(test)]
mod tests;
