//! The KIM simulator: the kit module of the EU food and basic material aid programme over
//! REST/JSON as `schemas/kim/VERSION.md` defines it, behind a simulated state API gateway
//! (OAuth2 client credentials with a JWT client assertion). It takes status notifications
//! once per idempotency key (the shared notification of [`crate::rest::notification`] in KIM's
//! words), checked against the contract and the synthetic population, and serves the kits
//! issued under the needy and low-income statuses it accepted, as the population's truth
//! ([`crate::population::TrueKitIssue`]) says, in pages; tests read both through its
//! [`KimDesk`].
//!
//! `POST /oauth2/token`; `POST /kim/v1/status-notifications` with a bearer token,
//! `X-Request-Id` and `Idempotency-Key`; `GET /kim/v1/kit-issues?month=YYYY-MM&page=N` with a
//! bearer token, `X-Request-Id` and `X-Purpose`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

mod desk;

use std::sync::Arc;

use gateway_domain::{HouseholdStatus, KitKind, Month, PersonCode, StatusDecision, parse_iso_date};
use serde::Serialize;
use wiremock::{Request, Respond, ResponseTemplate};

pub use desk::KimDesk;

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::rest::delivery::{Admission, RestDelivery, StatusMessage};
use crate::rest::gateway::ApiGateway;
use crate::rest::json;
use crate::rest::notification::{ENDED, LOW_INCOME, NEEDY, NotificationPartner, StatusNotifications};
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path the kits issued are read from.
pub(crate) const KIT_ISSUES_PATH: &str = "/kim/v1/kit-issues";
/// Issues per page.
const PAGE_SIZE: usize = 100;
const PAGE_SAMPLE: &[u8] = include_bytes!("../../../schemas/kim/examples/kit-issues.json");

/// KIM's words for its notification resource.
pub(crate) struct Kim;

impl NotificationPartner for Kim {
    const NAME: &'static str = "KIM";
    const PATH: &'static str = "/kim/v1/status-notifications";
    const RECEIPT_PREFIX: &'static str = "KIM";
    const PROBLEM_PREFIX: &'static str = "urn:lv:kim:problem:";
    const TABLE: &'static str = "partners.kim";
    const SAMPLE: &'static [u8] = include_bytes!("../../../schemas/kim/examples/notification-registered.json");
}

/// `kit-issues.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KitIssuePage<'a> {
    month: String,
    page: usize,
    page_size: usize,
    more: bool,
    issues: Vec<KitIssueOut<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KitIssueOut<'a> {
    record_id: &'a str,
    decision_number: &'a str,
    recipient_person_code: &'a str,
    kit_kind: &'static str,
    count: u32,
    issued_on: String,
    distributor: DistributorOut<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DistributorOut<'a> {
    registration_number: &'a str,
    name: &'a str,
}

struct State {
    gateway: ApiGateway,
    notifications: RestDelivery<StatusNotifications<Kim>>,
    desk: KimDesk,
}

/// The KIM simulator; clones answer from the same desk.
#[derive(Clone)]
pub(crate) struct KimSimulator {
    state: Arc<State>,
}

fn kind_word(kind: KitKind) -> &'static str {
    match kind {
        KitKind::Food => "FOOD",
        KitKind::Hygiene => "HYGIENE",
        KitKind::Infant => "INFANT",
        KitKind::SchoolSupplies => "SCHOOL_SUPPLIES",
    }
}

/// A notification the contract's checks passed, as a decision.
fn decision(message: StatusMessage) -> Option<StatusDecision> {
    let status = match message.status {
        NEEDY => HouseholdStatus::Needy,
        LOW_INCOME => HouseholdStatus::LowIncome,
        ENDED => HouseholdStatus::Ended,
        _ => return None,
    };
    Some(StatusDecision {
        decision_ref: message.decision_ref,
        version: message.version,
        status,
        members: message.members.iter().map(|(code, _)| PersonCode::parse(code).ok()).collect::<Option<_>>()?,
        valid_from: parse_iso_date(&message.valid_from)?,
        valid_to: match &message.valid_to {
            Some(to) => Some(parse_iso_date(to)?),
            None => None,
        },
    })
}

impl KimSimulator {
    /// A simulator reachable at `base_url` (its token endpoint's audience).
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        let gateway = ApiGateway::new(credentials, base_url, "/oauth2/token", Kim::PROBLEM_PREFIX);
        let notifications = RestDelivery::new(Arc::clone(&population), Admission::Gateway);
        let desk = KimDesk::new(population, notifications.ledger());
        Self { state: Arc::new(State { gateway, notifications, desk }) }
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        let state = &self.state;
        if let Some(answer) = state.gateway.token(request) {
            return Ok(answer);
        }
        match request.url.path() {
            Kim::PATH => {
                if request.method.as_str() == "POST" {
                    state.gateway.admit_token(request)?;
                }
                let (answer, accepted) = state.notifications.take(request);
                if let Some(decision) = accepted.and_then(decision) {
                    state.desk.keep(decision);
                }
                Ok(answer)
            }
            KIT_ISSUES_PATH => self.kit_issues(request),
            _ => Err(state.gateway.problem(404, "not-found", "No such operation")),
        }
    }

    fn kit_issues(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        let gateway = &self.state.gateway;
        if request.method.as_str() != "GET" {
            return Err(gateway.method_not_allowed("GET"));
        }
        gateway.admit(request)?;
        let query = |name: &str| request.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value);
        let month = query("month")
            .and_then(|month| Month::parse(&month).ok())
            .ok_or_else(|| gateway.invalid("month is required: YYYY-MM"))?;
        let page = query("page")
            .and_then(|page| page.parse::<usize>().ok())
            .filter(|&page| page >= 1)
            .ok_or_else(|| gateway.invalid("page is required: 1 or more"))?;
        let kits = self.state.desk.kits(month);
        let from = (page - 1).saturating_mul(PAGE_SIZE).min(kits.len());
        let to = (from + PAGE_SIZE).min(kits.len());
        let issues = kits[from..to]
            .iter()
            .map(|kit| KitIssueOut {
                record_id: &kit.record_id,
                decision_number: &kit.decision_ref,
                recipient_person_code: kit.recipient.as_str(),
                kit_kind: kind_word(kit.kind),
                count: kit.count,
                issued_on: kit.issued_on.to_string(),
                distributor: DistributorOut {
                    registration_number: &kit.distributor.registration_number,
                    name: &kit.distributor.name,
                },
            })
            .collect();
        let answer =
            KitIssuePage { month: month.to_string(), page, page_size: PAGE_SIZE, more: to < kits.len(), issues };
        Ok(json(&answer))
    }
}

impl Respond for KimSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!(operation = self.state.notifications.operation(request), "KIM simulator answered a request.");
        answer
    }
}

impl Simulator for KimSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        let simulator = KimSimulator::new(on.population(), on.credentials, on.url);
        let desk = simulator.state.desk.clone();
        // Each operation's faulty answers are cut from its own example.
        on.serve_under(KIT_ISSUES_PATH, simulator.clone(), PAGE_SAMPLE).await;
        on.serve(simulator, Kim::SAMPLE).await;
        Handle::Kim(desk)
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new(Kim::TABLE, url).with_oauth(credentials)
    }
}

#[cfg(test)]
mod tests;
