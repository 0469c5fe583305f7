//! The NINO real-estate tax administration simulator: relief statuses over REST/JSON as
//! `schemas/nino/VERSION.md` defines them, behind a simulated API gateway (OAuth2 client
//! credentials with a JWT client assertion), checked against the synthetic population.
//!
//! `POST /oauth2/token`, then `POST /nino/v1/relief-statuses` with a bearer token,
//! `X-Request-Id` and `Idempotency-Key`. A new key is recorded (`201 created`), a key seen
//! before with the same status is acknowledged (`200 already_received`) and changes nothing.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::deliveries::Accepted;
use crate::population::Population;
use crate::rest::JSON;
use crate::rest::delivery::{Admission, DeliveryContract, DeliveryWords, RefusalKind, RestDelivery, StatusMessage};
use crate::rest::token::TokenIssuer;
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path of the relief-status resource.
pub(crate) const STATUSES_PATH: &str = "/nino/v1/relief-statuses";
/// The created receipt of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/nino/examples/relief-status-created.json");

/// `relief-status.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ReliefStatus {
    decision: DecisionIn,
    household_status: HouseholdStatusIn,
    validity: ValidityIn,
    members: Vec<MemberIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionIn {
    reference: String,
    version: u32,
}

#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum HouseholdStatusIn {
    Needy,
    LowIncome,
    Ended,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidityIn {
    from: String,
    #[serde(default)]
    to: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct MemberIn {
    person_code: String,
    applicant: bool,
}

/// `relief-status-receipt.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReceiptOut<'a> {
    status_record_id: &'a str,
    idempotency_key: &'a str,
    result: &'static str,
}

/// `error.schema.json`.
#[derive(Serialize)]
struct ErrorOut<'a> {
    error: ErrorDetailOut<'a>,
}

#[derive(Serialize)]
struct ErrorDetailOut<'a> {
    code: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<String>,
}

/// The tax administration's relief-status contract.
struct ReliefStatuses;

impl DeliveryContract for ReliefStatuses {
    type Message = ReliefStatus;
    const WORDS: DeliveryWords = DeliveryWords {
        path: STATUSES_PATH,
        operation: "relief-status",
        receipt_prefix: "NINO",
        accepted: "created",
        duplicate: "already_received",
        unauthorized: "A valid access token is required",
        not_the_message: "The body must be a relief status as relief-status.schema.json defines it",
        reference: "decision.reference or decision.version is not valid",
        valid_from: "validity.from is not a date",
        valid_to: "validity.to is not a date",
        backwards: "validity.to is before validity.from",
        member_count: "A status names 1 to 20 members",
        applicant: "The first member, and only the first, is the applicant",
        unknown_member: "A member is not known to the population register",
        key_reused: "The idempotency key was accepted before with another status",
        members_pointer: "/members",
    };

    fn code(kind: RefusalKind) -> &'static str {
        match kind {
            RefusalKind::NoSuchOperation => "not_found",
            RefusalKind::MethodNotAllowed => "method_not_allowed",
            RefusalKind::Unauthorized => "unauthorized",
            RefusalKind::UnsupportedMediaType => "unsupported_media_type",
            RefusalKind::InvalidRequest => "invalid_request",
            RefusalKind::InvalidPeriod => "invalid_period",
            RefusalKind::UnknownPerson => "unknown_taxpayer",
            RefusalKind::KeyReused => "key_reused",
        }
    }

    fn read(status: ReliefStatus) -> StatusMessage {
        StatusMessage {
            decision_ref: status.decision.reference,
            version: status.decision.version,
            status: match status.household_status {
                HouseholdStatusIn::Needy => "needy",
                HouseholdStatusIn::LowIncome => "low_income",
                HouseholdStatusIn::Ended => "ended",
            },
            valid_from: status.validity.from,
            valid_to: status.validity.to,
            members: status.members.into_iter().map(|m| (m.person_code, m.applicant)).collect(),
        }
    }

    fn refusal(status: u16, code: &'static str, message: &str, pointer: Option<String>) -> ResponseTemplate {
        let body = ErrorOut { error: ErrorDetailOut { code, message, pointer } };
        ResponseTemplate::new(status).set_body_raw(serde_json::to_vec(&body).unwrap_or_default(), JSON)
    }

    fn receipt(accepted: &Accepted, key: &str, outcome: &'static str) -> Vec<u8> {
        let receipt = ReceiptOut { status_record_id: &accepted.receipt_id, idempotency_key: key, result: outcome };
        serde_json::to_vec(&receipt).unwrap_or_default()
    }
}

/// The NINO simulator.
pub(crate) struct NinoSimulator {
    delivery: RestDelivery<ReliefStatuses>,
}

impl NinoSimulator {
    /// A simulator reachable at `base_url` (used as the token audience).
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        let tokens = TokenIssuer::new(&credentials.client_id, &credentials.client_public_key_pem, base_url);
        Self { delivery: RestDelivery::new(population, Admission::Bearer(tokens)) }
    }
}

impl Respond for NinoSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.delivery.respond(request);
        tracing::debug!(operation = self.delivery.operation(request), "NINO simulator answered a request.");
        response
    }
}

impl Simulator for NinoSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        let simulator = NinoSimulator::new(on.population(), on.credentials, on.url);
        let ledger = simulator.delivery.ledger();
        on.serve(simulator, SAMPLE).await;
        Handle::Partner(ledger)
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("partners.nino", url).with_oauth(credentials)
    }
}

#[cfg(test)]
mod tests;
