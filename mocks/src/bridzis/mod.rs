//! The BRIDZIS municipal housing register simulator: status notices over REST/JSON as
//! `schemas/bridzis/VERSION.md` defines them, checked against the synthetic population.
//!
//! `POST /bridzis/v1/status-notices` with `X-Api-Key`, `X-Request-Id` and `Idempotency-Key`.
//! A new key is recorded (`201 ACCEPTED`), a key seen before with the same notice is
//! acknowledged (`200 DUPLICATE`) and changes nothing. Refusals are RFC 9457 problems with the
//! register's `code`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::deliveries::Accepted;
use crate::population::Population;
use crate::rest::PROBLEM_JSON;
use crate::rest::delivery::{Admission, DeliveryContract, DeliveryWords, RefusalKind, RestDelivery, StatusMessage};
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path of the notice resource.
pub(crate) const NOTICES_PATH: &str = "/bridzis/v1/status-notices";
const API_KEY_HEADER: &str = "x-api-key";
const PROBLEM_PREFIX: &str = "urn:lv:tukums:bridzis:problem:";
/// The accepted receipt of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/bridzis/examples/receipt-accepted.json");

/// `status-notice.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct StatusNotice {
    decision_ref: String,
    decision_version: u32,
    social_status: SocialStatus,
    valid_from: String,
    #[serde(default)]
    valid_to: Option<String>,
    persons: Vec<NoticePerson>,
}

#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum SocialStatus {
    Needy,
    LowIncome,
    Ended,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct NoticePerson {
    person_code: String,
    role: Role,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Role {
    Applicant,
    Member,
}

/// `receipt.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReceiptOut<'a> {
    notice_id: &'a str,
    idempotency_key: &'a str,
    outcome: &'static str,
    received_at: &'a str,
}

/// `problem.schema.json`.
#[derive(Serialize)]
struct ProblemOut<'a> {
    #[serde(rename = "type")]
    problem_type: String,
    title: &'a str,
    status: u16,
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

/// The register's status-notice contract.
struct StatusNotices;

impl DeliveryContract for StatusNotices {
    type Message = StatusNotice;
    const WORDS: DeliveryWords = DeliveryWords {
        path: NOTICES_PATH,
        operation: "status-notice",
        receipt_prefix: "BRZ",
        accepted: "ACCEPTED",
        duplicate: "DUPLICATE",
        unauthorized: "A valid X-Api-Key is required",
        not_the_message: "The body must be a status notice as status-notice.schema.json defines it",
        reference: "decisionRef or decisionVersion is not valid",
        valid_from: "validFrom is not a date",
        valid_to: "validTo is not a date",
        backwards: "validTo is before validFrom",
        member_count: "A notice names 1 to 20 persons",
        applicant: "The first person, and only the first, is the APPLICANT",
        unknown_member: "A person in the notice is not known to the population register",
        key_reused: "The idempotency key was accepted before with another notice",
        members_pointer: "/persons",
    };

    fn code(kind: RefusalKind) -> &'static str {
        match kind {
            RefusalKind::NoSuchOperation => "NO_SUCH_OPERATION",
            RefusalKind::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            RefusalKind::Unauthorized => "UNAUTHORIZED",
            RefusalKind::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            RefusalKind::InvalidRequest => "INVALID_REQUEST",
            RefusalKind::InvalidPeriod => "INVALID_PERIOD",
            RefusalKind::UnknownPerson => "UNKNOWN_PERSON",
            RefusalKind::KeyReused => "KEY_REUSED",
        }
    }

    fn read(notice: StatusNotice) -> StatusMessage {
        StatusMessage {
            decision_ref: notice.decision_ref,
            version: notice.decision_version,
            status: match notice.social_status {
                SocialStatus::Needy => "NEEDY",
                SocialStatus::LowIncome => "LOW_INCOME",
                SocialStatus::Ended => "ENDED",
            },
            valid_from: notice.valid_from,
            valid_to: notice.valid_to,
            members: notice.persons.into_iter().map(|p| (p.person_code, p.role == Role::Applicant)).collect(),
        }
    }

    fn refusal(status: u16, code: &'static str, message: &str, pointer: Option<String>) -> ResponseTemplate {
        let problem = ProblemOut {
            problem_type: format!("{PROBLEM_PREFIX}{}", code.to_ascii_lowercase().replace('_', "-")),
            title: message,
            status,
            code,
            detail: pointer,
        };
        ResponseTemplate::new(status).set_body_raw(serde_json::to_vec(&problem).unwrap_or_default(), PROBLEM_JSON)
    }

    fn receipt(accepted: &Accepted, key: &str, outcome: &'static str) -> Vec<u8> {
        let receipt = ReceiptOut {
            notice_id: &accepted.receipt_id,
            idempotency_key: key,
            outcome,
            received_at: &accepted.received_at,
        };
        serde_json::to_vec(&receipt).unwrap_or_default()
    }
}

/// The BRIDZIS simulator.
pub(crate) struct BridzisSimulator {
    delivery: RestDelivery<StatusNotices>,
}

impl BridzisSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        let admission = Admission::ApiKey { header: API_KEY_HEADER, key: credentials.bridzis_api_key.clone() };
        Self { delivery: RestDelivery::new(population, admission) }
    }
}

impl Respond for BridzisSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.delivery.respond(request);
        tracing::debug!(operation = self.delivery.operation(request), "BRIDZIS simulator answered a request.");
        response
    }
}

impl Simulator for BridzisSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        let simulator = BridzisSimulator::new(on.population(), on.credentials);
        let ledger = simulator.delivery.ledger();
        on.serve(simulator, SAMPLE).await;
        Handle::Partner(ledger)
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("partners.bridzis", url).value("api_key", &credentials.bridzis_api_key).finish()
    }
}

#[cfg(test)]
mod tests;
