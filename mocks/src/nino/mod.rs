//! The NINO real-estate tax administration simulator: relief statuses over REST/JSON as
//! `schemas/nino/VERSION.md` defines them, behind a simulated API gateway (OAuth2 client
//! credentials with a JWT client assertion), checked against the synthetic population.
//!
//! `POST /oauth2/token`, then `POST /nino/v1/relief-statuses` with a bearer token,
//! `X-Request-Id` and `Idempotency-Key`. A new key is recorded (`201 created`), a key seen
//! before with the same status is acknowledged (`200 already_received`) and changes nothing.

use std::sync::Arc;

use gateway_domain::PersonCode;
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;
use wiremock::http::{HeaderValue, Method};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::deliveries::{Delivery, Ledger, Outcome, unknown_member, valid_key};
use crate::pmlp::token::{TOKEN_PATH, TokenIssuer};
use crate::population::Population;
use crate::rest::{JSON, has_json_body, header};

/// The path of the relief-status resource.
pub(crate) const STATUSES_PATH: &str = "/nino/v1/relief-statuses";
const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
const REQUEST_ID_HEADER: &str = "x-request-id";
const RECEIPT_PREFIX: &str = "NINO";
const MAX_MEMBERS: usize = 20;

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

/// A refusal to answer with.
struct Refusal {
    status: u16,
    code: &'static str,
    message: &'static str,
    pointer: Option<String>,
}

impl Refusal {
    fn new(status: u16, code: &'static str, message: &'static str) -> Self {
        Self { status, code, message, pointer: None }
    }

    fn invalid(message: &'static str) -> Self {
        Self::new(400, "invalid_request", message)
    }

    fn into_response(self) -> ResponseTemplate {
        let body = ErrorOut { error: ErrorDetailOut { code: self.code, message: self.message, pointer: self.pointer } };
        ResponseTemplate::new(self.status).set_body_raw(serde_json::to_vec(&body).unwrap_or_default(), JSON)
    }
}

/// The NINO simulator; cheap to clone, all clones share one state.
#[derive(Clone)]
pub(crate) struct NinoSimulator {
    state: Arc<NinoState>,
}

struct NinoState {
    population: Arc<Population>,
    tokens: TokenIssuer,
    ledger: Ledger,
}

impl NinoSimulator {
    /// A simulator reachable at `base_url` (used as the token audience).
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        let state = NinoState {
            population,
            tokens: TokenIssuer::new(&credentials.client_id, &credentials.client_public_key_pem, base_url),
            ledger: Ledger::default(),
        };
        Self { state: Arc::new(state) }
    }

    /// The deliveries NINO received and their counters.
    pub(crate) fn ledger(&self) -> Ledger {
        self.state.ledger.clone()
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, Refusal> {
        let path = request.url.path();
        if path == TOKEN_PATH || path == STATUSES_PATH {
            if request.method != Method::POST {
                let refusal = Refusal::new(405, "method_not_allowed", "Method not allowed");
                return Ok(refusal.into_response().insert_header("allow", HeaderValue::from_static("POST")));
            }
            if path == TOKEN_PATH {
                return Ok(self.state.tokens.respond(request));
            }
            return self.relief_status(request);
        }
        Err(Refusal::new(404, "not_found", "No such operation"))
    }

    fn relief_status(&self, request: &Request) -> Result<ResponseTemplate, Refusal> {
        let token = header(request, "authorization").and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
        if !token.is_some_and(|token| self.state.tokens.is_valid(token)) {
            let refusal = Refusal::new(401, "unauthorized", "A valid access token is required");
            return Ok(refusal
                .into_response()
                .insert_header("www-authenticate", HeaderValue::from_static("Bearer error=\"invalid_token\"")));
        }
        if !has_json_body(request) {
            return Err(Refusal::new(415, "unsupported_media_type", "The body must be application/json"));
        }
        if header(request, REQUEST_ID_HEADER).is_none_or(str::is_empty) {
            return Err(Refusal::invalid("X-Request-Id is required"));
        }
        let key = header(request, IDEMPOTENCY_KEY_HEADER)
            .filter(|key| valid_key(key))
            .ok_or_else(|| Refusal::invalid("Idempotency-Key is required: 1 to 128 visible characters"))?;
        let ledger = &self.state.ledger;
        let (status, members) = read_status(&request.body).inspect_err(|_| ledger.reject(key))?;
        if let Some(index) = unknown_member(&self.state.population, &members) {
            ledger.reject(key);
            return Err(Refusal {
                pointer: Some(format!("/members/{index}")),
                ..Refusal::new(422, "unknown_taxpayer", "A member is not known to the population register")
            });
        }
        let household_status = format!("{:?}", status.household_status);
        let mut parts =
            vec![household_status.as_str(), status.validity.from.as_str(), status.validity.to.as_deref().unwrap_or("")];
        parts.extend(members.iter().map(PersonCode::as_str));
        let delivery = Delivery::new(key, &status.decision.reference, status.decision.version, &parts);
        let (http_status, result, accepted) = match ledger.record(&delivery, RECEIPT_PREFIX) {
            Outcome::Accepted(accepted) => (201, "created", accepted),
            Outcome::Duplicate(accepted) => (200, "already_received", accepted),
            Outcome::KeyReused => {
                ledger.reject(key);
                return Err(Refusal::new(
                    422,
                    "key_reused",
                    "The idempotency key was accepted before with another status",
                ));
            }
        };
        let receipt = ReceiptOut { status_record_id: &accepted.receipt_id, idempotency_key: key, result };
        Ok(ResponseTemplate::new(http_status).set_body_raw(serde_json::to_vec(&receipt).unwrap_or_default(), JSON))
    }
}

impl Respond for NinoSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.route(request).unwrap_or_else(Refusal::into_response);
        let operation = match request.url.path() {
            TOKEN_PATH => "token",
            STATUSES_PATH => "relief-status",
            _ => "unknown",
        };
        tracing::debug!(operation, "NINO simulator answered a request.");
        response
    }
}

/// Reads and checks a relief status; the members come back parsed.
fn read_status(body: &[u8]) -> Result<(ReliefStatus, Vec<PersonCode>), Refusal> {
    let shape = || Refusal::invalid("The body must be a relief status as relief-status.schema.json defines it");
    // Parsed through a `Value` first: serde would also take a struct from a JSON array.
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| shape())?;
    if !value.is_object() {
        return Err(shape());
    }
    let status: ReliefStatus = serde_json::from_value(value).map_err(|_| shape())?;
    let reference = &status.decision.reference;
    let reference_ok = !reference.is_empty()
        && reference.len() <= 64
        && reference.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_/.".contains(&b));
    if !reference_ok || status.decision.version == 0 {
        return Err(Refusal::invalid("decision.reference or decision.version is not valid"));
    }
    let from = date(&status.validity.from).ok_or_else(|| Refusal::invalid("validity.from is not a date"))?;
    let to =
        status.validity.to.as_deref().map(|to| date(to).ok_or_else(|| Refusal::invalid("validity.to is not a date")));
    if let Some(to) = to.transpose()?
        && to < from
    {
        return Err(Refusal::new(422, "invalid_period", "validity.to is before validity.from"));
    }
    if status.members.is_empty() || status.members.len() > MAX_MEMBERS {
        return Err(Refusal::invalid("A status names 1 to 20 members"));
    }
    let mut members = Vec::with_capacity(status.members.len());
    for member in &status.members {
        let code = &member.person_code;
        if code.len() != 11 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Refusal::invalid("personCode must be 11 digits"));
        }
        members.push(PersonCode::parse(code).map_err(|_| Refusal::invalid("personCode is not a valid personal code"))?);
    }
    if !status.members[0].applicant || status.members.iter().filter(|m| m.applicant).count() != 1 {
        return Err(Refusal::invalid("The first member, and only the first, is the applicant"));
    }
    Ok((status, members))
}

fn date(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

#[cfg(test)]
mod tests;
