//! The household status notification the partners behind the state API gateway take in one
//! shape (JPA, ALDIS, NVA, KIM), as `schemas/jpa/VERSION.md` first defined it: the message,
//! its receipt and its RFC 9457 problems, over the one delivery flow of [`super::delivery`].
//! A partner names only its path, receipt prefix and problem prefix ([`NotificationPartner`]);
//! one that takes notifications and nothing else is a [`NotificationSimulator`].
//!
//! `POST /oauth2/token`, then `POST <path>` with a bearer token, `X-Request-Id` and
//! `Idempotency-Key`. A new key is registered (`201 REGISTERED`), a key seen before with the
//! same notification is acknowledged (`200 ALREADY_REGISTERED`) and changes nothing.

use std::marker::PhantomData;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

use super::PROBLEM_JSON;
use super::delivery::{Admission, DeliveryContract, DeliveryWords, RefusalKind, RestDelivery, StatusMessage};
use super::token::TokenIssuer;
use crate::credentials::SimulatorCredentials;
use crate::deliveries::Accepted;
use crate::population::Population;
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The status words of the notification, as its schema writes them.
pub(crate) const NEEDY: &str = "NEEDY";
pub(crate) const LOW_INCOME: &str = "LOW_INCOME";
pub(crate) const ENDED: &str = "ENDED";

/// What one partner's notification resource is called and numbers its receipts with.
pub(crate) trait NotificationPartner: Send + Sync + 'static {
    /// The partner's name in log lines.
    const NAME: &'static str;
    /// The path notifications are posted to.
    const PATH: &'static str;
    /// What receipt numbers start with.
    const RECEIPT_PREFIX: &'static str;
    /// What every problem `type` starts with.
    const PROBLEM_PREFIX: &'static str;
    /// The gateway's settings table of the partner (`partners.jpa`).
    const TABLE: &'static str;
    /// The registered receipt of the schema's examples, which truncated answers are cut from.
    const SAMPLE: &'static [u8];
}

/// `status-notification.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct StatusNotification {
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

/// One partner's status-notification contract.
pub(crate) struct StatusNotifications<P>(PhantomData<fn() -> P>);

impl<P: NotificationPartner> DeliveryContract for StatusNotifications<P> {
    type Message = StatusNotification;
    const WORDS: DeliveryWords = DeliveryWords {
        path: P::PATH,
        operation: "status-notification",
        receipt_prefix: P::RECEIPT_PREFIX,
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
                StatusIn::Needy => NEEDY,
                StatusIn::LowIncome => LOW_INCOME,
                StatusIn::Ended => ENDED,
            },
            valid_from: notification.period.start,
            valid_to: notification.period.end,
            members: notification.persons.into_iter().map(|p| (p.person_code, p.applicant)).collect(),
        }
    }

    fn refusal(status: u16, code: &'static str, message: &str, pointer: Option<String>) -> ResponseTemplate {
        problem::<P>(status, code, message, pointer)
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

/// A problem answer of `P`'s, with the JSON pointer of what it is about.
pub(crate) fn problem<P: NotificationPartner>(
    status: u16,
    code: &str,
    title: &str,
    pointer: Option<String>,
) -> ResponseTemplate {
    let body = ProblemOut { problem_type: format!("{}{code}", P::PROBLEM_PREFIX), title, status, pointer };
    ResponseTemplate::new(status).set_body_raw(serde_json::to_vec(&body).unwrap_or_default(), PROBLEM_JSON)
}

/// The simulator of a partner that takes status notifications and nothing else.
pub(crate) struct NotificationSimulator<P: NotificationPartner> {
    delivery: RestDelivery<StatusNotifications<P>>,
}

impl<P: NotificationPartner> NotificationSimulator<P> {
    /// A simulator reachable at `base_url` (used as the token audience).
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        let tokens = TokenIssuer::new(&credentials.client_id, &credentials.client_public_key_pem, base_url);
        Self { delivery: RestDelivery::new(population, Admission::Bearer(tokens)) }
    }
}

impl<P: NotificationPartner> Respond for NotificationSimulator<P> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.delivery.respond(request);
        tracing::debug!(
            partner = P::NAME,
            operation = self.delivery.operation(request),
            "Partner simulator answered a request."
        );
        response
    }
}

impl<P: NotificationPartner> Simulator for NotificationSimulator<P> {
    async fn mount(on: &Mount<'_>) -> Handle {
        let simulator = Self::new(on.population(), on.credentials, on.url);
        let ledger = simulator.delivery.ledger();
        on.serve(simulator, P::SAMPLE).await;
        Handle::Partner(ledger)
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new(P::TABLE, url).with_oauth(credentials)
    }
}
