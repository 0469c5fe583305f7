//! The BARIS orphans' court information system simulator: `DeliverHouseholdStatus` over
//! SOAP 1.1 as `schemas/baris/VERSION.md` defines it, checked against the synthetic population.
//!
//! `POST /baris/household-status/v1` with a WS-Security UsernameToken, a `RequestHeader` naming
//! who sends and why, and an `IdempotencyKey` header block. A new key is recorded
//! (`ACCEPTED`), a key seen before with the same message is acknowledged (`DUPLICATE`) and
//! changes nothing. Refusals are SOAP client faults with a `ServiceFault` code.

use std::sync::Arc;

use gateway_domain::PersonCode;
use time::Date;
use time::macros::format_description;
use wiremock::http::{HeaderValue, Method};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::deliveries::{Delivery, Ledger, Outcome, unknown_member};
use crate::population::Population;
use crate::soap_delivery::{self as soap, EnvelopeRefusal, EnvelopeRules, NotAnEnvelope, SoapRequest};

/// The path of the household-status service.
pub(crate) const SERVICE_PATH: &str = "/baris/household-status/v1";
const NAMESPACE: &str = "urn:lv:baris:household-status:v1";
const PREFIX: &str = "bar";
const SOAP_ACTION: &str = "urn:lv:baris:household-status:v1:DeliverHouseholdStatus";
const OPERATION: &str = "DeliverHouseholdStatusRequest";
const RECEIPT_PREFIX: &str = "BAR";
const MAX_MEMBERS: usize = 20;
/// The leaves a request body may hold, below the operation element.
const FIELDS: [&str; 7] =
    ["DecisionRef", "DecisionVersion", "Status", "ValidFrom", "ValidTo", "Member/PersonCode", "Member/Role"];

/// A fault to answer with.
struct Fault {
    code: &'static str,
    reason: &'static str,
    member_position: Option<usize>,
}

impl Fault {
    fn new(code: &'static str, reason: &'static str) -> Self {
        Self { code, reason, member_position: None }
    }

    fn invalid(reason: &'static str) -> Self {
        Self::new("INVALID_REQUEST", reason)
    }
}

/// The BARIS simulator; cheap to clone, all clones share one state.
#[derive(Clone)]
pub(crate) struct BarisSimulator {
    state: Arc<BarisState>,
}

struct BarisState {
    population: Arc<Population>,
    username: String,
    password: String,
    ledger: Ledger,
}

impl BarisSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        let state = BarisState {
            population,
            username: credentials.baris_username.clone(),
            password: credentials.baris_password.clone(),
            ledger: Ledger::default(),
        };
        Self { state: Arc::new(state) }
    }

    /// The deliveries BARIS received and their counters.
    pub(crate) fn ledger(&self) -> Ledger {
        self.state.ledger.clone()
    }

    fn route(&self, request: &Request) -> ResponseTemplate {
        if request.url.path() != SERVICE_PATH {
            return ResponseTemplate::new(404);
        }
        if request.method != Method::POST {
            return ResponseTemplate::new(405).insert_header("allow", HeaderValue::from_static("POST"));
        }
        let parsed = match soap::parse(&request.body, NAMESPACE) {
            Ok(parsed) => parsed,
            Err(NotAnEnvelope::Xml) => return fault(Fault::invalid("The request is not well-formed XML"), None),
            Err(NotAnEnvelope::Root) => return fault(Fault::invalid("The request is not a SOAP 1.1 envelope"), None),
        };
        let request_id = parsed.request_header("RequestId");
        match self.deliver(request, &parsed) {
            Ok(body) => soap::answer(body),
            Err(refusal) => fault(refusal, request_id),
        }
    }

    fn deliver(&self, http: &Request, request: &SoapRequest) -> Result<Vec<u8>, Fault> {
        let rules = EnvelopeRules {
            username: &self.state.username,
            password: &self.state.password,
            action: SOAP_ACTION,
            operation: OPERATION,
        };
        let key = soap::check_envelope(http, request, &rules).map_err(|refusal| match refusal {
            EnvelopeRefusal::NotAuthorised => Fault::new("NOT_AUTHORISED", "The service account is not authorised"),
            EnvelopeRefusal::Invalid(reason) => Fault::invalid(reason),
        })?;
        let ledger = &self.state.ledger;
        let message = read_message(request).inspect_err(|_| ledger.reject(key))?;
        if let Some(index) = unknown_member(&self.state.population, &message.members) {
            ledger.reject(key);
            return Err(Fault {
                member_position: Some(index + 1),
                ..Fault::new("UNKNOWN_PERSON", "A member is not known to the population register")
            });
        }
        let mut parts = vec![message.status, message.valid_from, message.valid_to.unwrap_or("")];
        parts.extend(message.members.iter().map(PersonCode::as_str));
        let delivery = Delivery::new(key, message.decision_ref, message.version, &parts);
        let (outcome, accepted) = match ledger.record(&delivery, RECEIPT_PREFIX) {
            Outcome::Accepted(accepted) => ("ACCEPTED", accepted),
            Outcome::Duplicate(accepted) => ("DUPLICATE", accepted),
            Outcome::KeyReused => {
                ledger.reject(key);
                return Err(Fault::new("KEY_REUSED", "The idempotency key was accepted before with another message"));
            }
        };
        Ok(soap::envelope(PREFIX, NAMESPACE, |w| {
            w.create_element("bar:DeliverHouseholdStatusResponse").write_inner_content(|w| {
                soap::leaf(w, "bar:ReceiptId", &accepted.receipt_id)?;
                soap::leaf(w, "bar:IdempotencyKey", key)?;
                soap::leaf(w, "bar:Outcome", outcome)?;
                soap::leaf(w, "bar:ReceivedAt", &accepted.received_at)
            })?;
            Ok(())
        }))
    }
}

impl Respond for BarisSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.route(request);
        let operation = if request.url.path() == SERVICE_PATH { "DeliverHouseholdStatus" } else { "unknown" };
        tracing::debug!(operation, "BARIS simulator answered a request.");
        response
    }
}

/// A request body, checked.
struct Message<'r> {
    decision_ref: &'r str,
    version: u32,
    status: &'r str,
    valid_from: &'r str,
    valid_to: Option<&'r str>,
    members: Vec<PersonCode>,
}

fn read_message(request: &SoapRequest) -> Result<Message<'_>, Fault> {
    if request.paths().iter().any(|path| !FIELDS.contains(path)) {
        return Err(Fault::invalid("The request holds an element the contract does not define"));
    }
    let required = |name: &'static str| {
        request.one(name).ok_or_else(|| Fault::invalid("A required element is missing or repeated"))
    };
    let decision_ref = required("DecisionRef")?;
    let reference_ok = !decision_ref.is_empty()
        && decision_ref.len() <= 64
        && decision_ref.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_/.".contains(&b));
    let version = required("DecisionVersion")?.parse::<u32>().ok().filter(|v| *v > 0);
    let (true, Some(version)) = (reference_ok, version) else {
        return Err(Fault::invalid("DecisionRef or DecisionVersion is not valid"));
    };
    let status = required("Status")?;
    if !["NEEDY", "LOW_INCOME", "ENDED"].contains(&status) {
        return Err(Fault::invalid("Status is not NEEDY, LOW_INCOME or ENDED"));
    }
    let valid_from = required("ValidFrom")?;
    let from = date(valid_from).ok_or_else(|| Fault::invalid("ValidFrom is not a date"))?;
    let valid_to = match request.all("ValidTo").as_slice() {
        [] => None,
        [to] => Some(*to),
        _ => return Err(Fault::invalid("ValidTo is repeated")),
    };
    if let Some(to) = valid_to {
        let to = date(to).ok_or_else(|| Fault::invalid("ValidTo is not a date"))?;
        if to < from {
            return Err(Fault::new("INVALID_PERIOD", "ValidTo is before ValidFrom"));
        }
    }
    let codes = request.all("Member/PersonCode");
    let roles = request.all("Member/Role");
    if codes.is_empty() || codes.len() > MAX_MEMBERS || codes.len() != roles.len() {
        return Err(Fault::invalid("A message names 1 to 20 members, each with a PersonCode and a Role"));
    }
    let roles_ok = roles.iter().enumerate().all(|(i, role)| *role == if i == 0 { "APPLICANT" } else { "MEMBER" });
    if !roles_ok {
        return Err(Fault::invalid("The first member is the APPLICANT, every other a MEMBER"));
    }
    let members = codes
        .iter()
        .map(|code| {
            if code.len() != 11 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Fault::invalid("PersonCode must be 11 digits"));
            }
            PersonCode::parse(code).map_err(|_| Fault::invalid("PersonCode is not a valid personal code"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Message { decision_ref, version, status, valid_from, valid_to, members })
}

/// An `xs:date` without a time zone, or in UTC.
fn date(text: &str) -> Option<Date> {
    Date::parse(text.strip_suffix('Z').unwrap_or(text), format_description!("[year]-[month]-[day]")).ok()
}

fn fault(fault: Fault, request_id: Option<&str>) -> ResponseTemplate {
    soap::client_fault(PREFIX, NAMESPACE, fault.code, fault.reason, fault.member_position, request_id)
}

#[cfg(test)]
mod tests;
