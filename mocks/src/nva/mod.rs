//! The NVA State Employment Agency simulator: REST/JSON as `schemas/nva/VERSION.md` defines it,
//! behind the simulated API gateway, serving the population's NVA registrations and payments.
//!
//! Operations: `POST /oauth2/token`, `POST /nva/v1/person-status/search` and, as a partner of
//! status decisions, `POST /nva/v1/status-notifications` ([`notifications`]).

mod notifications;

use std::sync::Arc;

use gateway_domain::{IncomeKind, StatusKind};
use serde::Serialize;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::{Population, SyntheticPerson};
use crate::rest::delivery::{Admission, RestDelivery};
use crate::rest::notification::{NotificationPartner, StatusNotifications};
use crate::rest::person_source::{Asked, MonthsQuery, PersonRegistry, PersonSource, Refusals};
use crate::simulators::{Handle, Mount, Simulator, Table};
use notifications::NvaNotifications;

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

/// NVA's person-status search in its own words.
pub(crate) struct Nva;

impl PersonRegistry for Nva {
    const NAME: &'static str = "NVA";
    const PATH: &'static str = "/nva/v1/person-status/search";
    const SAMPLE: &'static [u8] = include_bytes!("../../../schemas/nva/examples/person-status.json");
    const PROBLEM_PREFIX: &'static str = NvaNotifications::PROBLEM_PREFIX;
    const TABLE: &'static str = "registries.nva";
    const SHAPE: &'static str = "the body must be a person-status query";
    const REFUSALS: Refusals = Refusals::Titled;

    /// `person-status-query.schema.json`.
    type Query = MonthsQuery;

    fn answer(population: &Population, person: &SyntheticPerson, period: Asked<Self>) -> impl Serialize {
        let registrations = population
            .nva_statuses(&person.code, period.from().first_day(), period.to().last_day())
            .into_iter()
            .map(|s| Registration {
                record_id: s.record_id,
                status: if s.kind == StatusKind::Unemployed { "unemployed" } else { "job_seeker" },
                valid_from: s.valid_from.to_string(),
                valid_to: s.valid_to.map(|d| d.to_string()),
            })
            .collect();
        let payments = population
            .nva_incomes(&person.code, period)
            .into_iter()
            .map(|i| Payment {
                record_id: i.record_id,
                month: i.month.to_string(),
                kind: if i.kind == IncomeKind::TrainingStipend { "training_stipend" } else { "public_works_allowance" },
                amount: i.amount.to_decimal_string(),
            })
            .collect();
        PersonStatus { person_code: person.code.as_str(), registrations, payments }
    }
}

/// The NVA simulator: its person-status search, and the status notifications it takes behind
/// the same gateway.
pub(crate) struct NvaSimulator {
    search: PersonSource<Nva>,
    notifications: RestDelivery<StatusNotifications<NvaNotifications>>,
}

impl NvaSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        let notifications = RestDelivery::new(Arc::clone(&population), Admission::Gateway);
        Self { search: PersonSource::new(population, credentials, base_url), notifications }
    }
}

impl Respond for NvaSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if request.url.path() != NvaNotifications::PATH {
            return self.search.respond(request);
        }
        // Notifications ask for a live token only, not the search's headers.
        let answer = if request.method.as_str() == "POST"
            && let Err(refusal) = self.search.gateway().admit_token(request)
        {
            refusal
        } else {
            self.notifications.respond(request)
        };
        tracing::debug!(registry = Nva::NAME, "Registry simulator answered a request.");
        answer
    }
}

impl Simulator for NvaSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        let simulator = NvaSimulator::new(on.population(), on.credentials, on.url);
        let ledger = simulator.notifications.ledger();
        on.serve(simulator, Nva::SAMPLE).await;
        Handle::Partner(ledger)
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        let registry = <PersonSource<Nva> as Simulator>::config_toml(url, credentials);
        let partner = Table::new(NvaNotifications::TABLE, url).with_oauth(credentials);
        format!("{registry}\n{partner}")
    }
}

#[cfg(test)]
mod tests;
