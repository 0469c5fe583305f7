//! The JPA Legal Aid Administration simulator: status notifications over REST/JSON as
//! `schemas/jpa/VERSION.md` defines them, behind a simulated API gateway (OAuth2 client
//! credentials with a JWT client assertion), checked against the synthetic population.
//!
//! `POST /oauth2/token`, then `POST /jpa/v1/status-notifications` with a bearer token,
//! `X-Request-Id` and `Idempotency-Key`. A new key is registered (`201 REGISTERED`), a key seen
//! before with the same notification is acknowledged (`200 ALREADY_REGISTERED`) and changes
//! nothing.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::deliveries::Accepted;
use crate::population::Population;
use crate::rest::PROBLEM_JSON;
use crate::rest::delivery::{Admission, DeliveryContract, DeliveryWords, RefusalKind, RestDelivery, StatusMessage};
use crate::rest::token::TokenIssuer;
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path of the status-notification resource.
pub(crate) const NOTIFICATIONS_PATH: &str = "/jpa/v1/status-notifications";
/// The registered receipt of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/jpa/examples/notification-registered.json");
/// What every problem `type` starts with.
const PROBLEM_PREFIX: &str = "urn:lv:jpa:problem:";

/// `status-notification.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct StatusNotification {
    decision_number: String,
    decision_version: u32,
    status: StatusIn,
    period: PeriodIn,
    persons: Vec<PersonIn>,
}

#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum StatusIn {
    Needy,
    LowIncome,
    Ended,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodIn {
    start: String,
    #[serde(default)]
    end: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PersonIn {
    person_code: String,
    applicant: bool,
}

/// `notification-receipt.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReceiptOut<'a> {
    notification_id: &'a str,
    idempotency_key: &'a str,
    outcome: &'static str,
    registered_at: &'a str,
}

/// `problem.schema.json` (RFC 9457).
#[derive(Serialize)]
struct ProblemOut<'a> {
    #[serde(rename = "type")]
    problem_type: String,
    title: &'a str,
    status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<String>,
}

/// The Legal Aid Administration's status-notification contract.
struct StatusNotifications;

impl DeliveryContract for StatusNotifications {
    type Message = StatusNotification;
    const WORDS: DeliveryWords = DeliveryWords {
        path: NOTIFICATIONS_PATH,
        operation: "status-notification",
        receipt_prefix: "JPA",
        accepted: "REGISTERED",
        duplicate: "ALREADY_REGISTERED",
        unauthorized: "A valid access token is required",
        not_the_message: "The body must be a status notification as status-notification.schema.json defines it",
        reference: "decisionNumber or decisionVersion is not valid",
        valid_from: "period.start is not a date",
        valid_to: "period.end is not a date",
        backwards: "period.end is before period.start",
        member_count: "A notification names 1 to 20 persons",
        applicant: "The first person, and only the first, is the applicant",
        unknown_member: "A person is not known to the population register",
        key_reused: "The idempotency key was registered before with another notification",
        members_pointer: "/persons",
    };

    fn code(kind: RefusalKind) -> &'static str {
        match kind {
            RefusalKind::NoSuchOperation => "not-found",
            RefusalKind::MethodNotAllowed => "method-not-allowed",
            RefusalKind::Unauthorized => "unauthorized",
            RefusalKind::UnsupportedMediaType => "unsupported-media-type",
            RefusalKind::InvalidRequest => "invalid-request",
            RefusalKind::InvalidPeriod => "invalid-period",
            RefusalKind::UnknownPerson => "unknown-person",
            RefusalKind::KeyReused => "key-reused",
        }
    }

    fn read(notification: StatusNotification) -> StatusMessage {
        StatusMessage {
            decision_ref: notification.decision_number,
            version: notification.decision_version,
            status: match notification.status {
                StatusIn::Needy => "NEEDY",
                StatusIn::LowIncome => "LOW_INCOME",
                StatusIn::Ended => "ENDED",
            },
            valid_from: notification.period.start,
            valid_to: notification.period.end,
            members: notification.persons.into_iter().map(|p| (p.person_code, p.applicant)).collect(),
        }
    }

    fn refusal(status: u16, code: &'static str, message: &str, pointer: Option<String>) -> ResponseTemplate {
        let body = ProblemOut { problem_type: format!("{PROBLEM_PREFIX}{code}"), title: message, status, pointer };
        ResponseTemplate::new(status).set_body_raw(serde_json::to_vec(&body).unwrap_or_default(), PROBLEM_JSON)
    }

    fn receipt(accepted: &Accepted, key: &str, outcome: &'static str) -> Vec<u8> {
        let receipt = ReceiptOut {
            notification_id: &accepted.receipt_id,
            idempotency_key: key,
            outcome,
            registered_at: &accepted.received_at,
        };
        serde_json::to_vec(&receipt).unwrap_or_default()
    }
}

/// The JPA simulator.
pub(crate) struct JpaSimulator {
    delivery: RestDelivery<StatusNotifications>,
}

impl JpaSimulator {
    /// A simulator reachable at `base_url` (used as the token audience).
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        let tokens = TokenIssuer::new(&credentials.client_id, &credentials.client_public_key_pem, base_url);
        Self { delivery: RestDelivery::new(population, Admission::Bearer(tokens)) }
    }
}

impl Respond for JpaSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.delivery.respond(request);
        tracing::debug!(operation = self.delivery.operation(request), "JPA simulator answered a request.");
        response
    }
}

impl Simulator for JpaSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        let simulator = JpaSimulator::new(on.population(), on.credentials, on.url);
        let ledger = simulator.delivery.ledger();
        on.serve(simulator, SAMPLE).await;
        Handle::Partner(ledger)
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("partners.jpa", url).with_oauth(credentials)
    }
}

#[cfg(test)]
mod tests;
