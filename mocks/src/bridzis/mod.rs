//! The BRIDZIS municipal housing register simulator: status notices over REST/JSON as
//! `schemas/bridzis/VERSION.md` defines them, checked against the synthetic population.
//!
//! `POST /bridzis/v1/status-notices` with `X-Api-Key`, `X-Request-Id` and `Idempotency-Key`.
//! A new key is recorded (`201 ACCEPTED`), a key seen before with the same notice is
//! acknowledged (`200 DUPLICATE`) and changes nothing. Refusals are RFC 9457 problems with the
//! register's `code`.

use std::sync::Arc;

use gateway_domain::PersonCode;
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;
use wiremock::http::{HeaderValue, Method};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::deliveries::{Delivery, Ledger, Outcome, unknown_member, valid_key};
use crate::population::Population;
use crate::rest::{JSON, has_json_body, header};

/// The path of the notice resource.
pub(crate) const NOTICES_PATH: &str = "/bridzis/v1/status-notices";
const API_KEY_HEADER: &str = "x-api-key";
const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
const REQUEST_ID_HEADER: &str = "x-request-id";
const PROBLEM_JSON: &str = "application/problem+json";
const PROBLEM_PREFIX: &str = "urn:lv:tukums:bridzis:problem:";
const RECEIPT_PREFIX: &str = "BRZ";
const MAX_PERSONS: usize = 20;

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

/// A refusal to answer with.
struct Refusal {
    status: u16,
    code: &'static str,
    title: &'static str,
    detail: Option<String>,
}

impl Refusal {
    fn new(status: u16, code: &'static str, title: &'static str) -> Self {
        Self { status, code, title, detail: None }
    }

    fn invalid(title: &'static str) -> Self {
        Self::new(400, "INVALID_REQUEST", title)
    }

    fn into_response(self) -> ResponseTemplate {
        let problem = ProblemOut {
            problem_type: format!("{PROBLEM_PREFIX}{}", self.code.to_ascii_lowercase().replace('_', "-")),
            title: self.title,
            status: self.status,
            code: self.code,
            detail: self.detail,
        };
        ResponseTemplate::new(self.status).set_body_raw(serde_json::to_vec(&problem).unwrap_or_default(), PROBLEM_JSON)
    }
}

/// The BRIDZIS simulator; cheap to clone, all clones share one state.
#[derive(Clone)]
pub(crate) struct BridzisSimulator {
    state: Arc<BridzisState>,
}

struct BridzisState {
    population: Arc<Population>,
    api_key: String,
    ledger: Ledger,
}

impl BridzisSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        let state =
            BridzisState { population, api_key: credentials.bridzis_api_key.clone(), ledger: Ledger::default() };
        Self { state: Arc::new(state) }
    }

    /// The deliveries the register received and their counters.
    pub(crate) fn ledger(&self) -> Ledger {
        self.state.ledger.clone()
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, Refusal> {
        if request.url.path() != NOTICES_PATH {
            return Err(Refusal::new(404, "NO_SUCH_OPERATION", "No such operation"));
        }
        if request.method != Method::POST {
            let refusal = Refusal::new(405, "METHOD_NOT_ALLOWED", "Method not allowed");
            return Ok(refusal.into_response().insert_header("allow", HeaderValue::from_static("POST")));
        }
        if header(request, API_KEY_HEADER) != Some(self.state.api_key.as_str()) {
            return Err(Refusal::new(401, "UNAUTHORIZED", "A valid X-Api-Key is required"));
        }
        if !has_json_body(request) {
            return Err(Refusal::new(415, "UNSUPPORTED_MEDIA_TYPE", "The body must be application/json"));
        }
        if header(request, REQUEST_ID_HEADER).is_none_or(str::is_empty) {
            return Err(Refusal::invalid("X-Request-Id is required"));
        }
        let key = header(request, IDEMPOTENCY_KEY_HEADER)
            .filter(|key| valid_key(key))
            .ok_or_else(|| Refusal::invalid("Idempotency-Key is required: 1 to 128 visible characters"))?;
        let ledger = &self.state.ledger;
        let (notice, members) = read_notice(&request.body).inspect_err(|_| ledger.reject(key))?;
        if let Some(index) = unknown_member(&self.state.population, &members) {
            ledger.reject(key);
            return Err(Refusal {
                detail: Some(format!("/persons/{index}")),
                ..Refusal::new(422, "UNKNOWN_PERSON", "A person in the notice is not known to the population register")
            });
        }
        let codes: Vec<&str> = members.iter().map(PersonCode::as_str).collect();
        let status = format!("{:?}", notice.social_status);
        let mut parts = vec![status.as_str(), notice.valid_from.as_str(), notice.valid_to.as_deref().unwrap_or("")];
        parts.extend(codes);
        let delivery = Delivery::new(key, &notice.decision_ref, notice.decision_version, &parts);
        let (status, outcome, accepted) = match ledger.record(&delivery, RECEIPT_PREFIX) {
            Outcome::Accepted(accepted) => (201, "ACCEPTED", accepted),
            Outcome::Duplicate(accepted) => (200, "DUPLICATE", accepted),
            Outcome::KeyReused => {
                ledger.reject(key);
                return Err(Refusal::new(
                    422,
                    "KEY_REUSED",
                    "The idempotency key was accepted before with another notice",
                ));
            }
        };
        let receipt = ReceiptOut {
            notice_id: &accepted.receipt_id,
            idempotency_key: key,
            outcome,
            received_at: &accepted.received_at,
        };
        Ok(ResponseTemplate::new(status).set_body_raw(serde_json::to_vec(&receipt).unwrap_or_default(), JSON))
    }
}

impl Respond for BridzisSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.route(request).unwrap_or_else(Refusal::into_response);
        tracing::debug!(operation = operation(request), "BRIDZIS simulator answered a request.");
        response
    }
}

/// The operation a request names, for log lines.
fn operation(request: &Request) -> &'static str {
    if request.url.path() == NOTICES_PATH { "status-notice" } else { "unknown" }
}

/// Reads and checks a notice; the members come back parsed.
fn read_notice(body: &[u8]) -> Result<(StatusNotice, Vec<PersonCode>), Refusal> {
    let shape = || Refusal::invalid("The body must be a status notice as status-notice.schema.json defines it");
    // Parsed through a `Value` first: serde would also take a struct from a JSON array.
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| shape())?;
    if !value.is_object() {
        return Err(shape());
    }
    let notice: StatusNotice = serde_json::from_value(value).map_err(|_| shape())?;
    let reference_ok = !notice.decision_ref.is_empty()
        && notice.decision_ref.len() <= 64
        && notice.decision_ref.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_/.".contains(&b));
    if !reference_ok || notice.decision_version == 0 {
        return Err(Refusal::invalid("decisionRef or decisionVersion is not valid"));
    }
    let from = date(&notice.valid_from).ok_or_else(|| Refusal::invalid("validFrom is not a date"))?;
    let to = notice.valid_to.as_deref().map(|to| date(to).ok_or_else(|| Refusal::invalid("validTo is not a date")));
    if let Some(to) = to.transpose()?
        && to < from
    {
        return Err(Refusal::new(422, "INVALID_PERIOD", "validTo is before validFrom"));
    }
    if notice.persons.is_empty() || notice.persons.len() > MAX_PERSONS {
        return Err(Refusal::invalid("A notice names 1 to 20 persons"));
    }
    let mut members = Vec::with_capacity(notice.persons.len());
    for person in &notice.persons {
        let code = &person.person_code;
        if code.len() != 11 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Refusal::invalid("personCode must be 11 digits"));
        }
        members.push(PersonCode::parse(code).map_err(|_| Refusal::invalid("personCode is not a valid personal code"))?);
    }
    let applicants = notice.persons.iter().filter(|p| p.role == Role::Applicant).count();
    if applicants != 1 || notice.persons[0].role != Role::Applicant {
        return Err(Refusal::invalid("The first person, and only the first, is the APPLICANT"));
    }
    Ok((notice, members))
}

fn date(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

#[cfg(test)]
mod tests;
