//! The BARIS orphans' court information system simulator: `DeliverHouseholdStatus` over
//! SOAP 1.1 as `schemas/baris/VERSION.md` defines it, checked against the synthetic population.
//!
//! `POST /baris/household-status/v1` with a WS-Security UsernameToken, a `RequestHeader` naming
//! who sends and why, and an `IdempotencyKey` header block. A new key is recorded
//! (`ACCEPTED`), a key seen before with the same message is acknowledged (`DUPLICATE`) and
//! changes nothing. Refusals are SOAP client faults with a `ServiceFault` code.

use std::sync::Arc;

use gateway_domain::PersonCode;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::deliveries::{Delivery, Ledger, unknown_member};
use crate::population::Population;
use crate::soap_delivery::{self as soap, Fault, ReceiptWords, SoapRequest, SoapService};

/// The path of the household-status service.
pub(crate) const SERVICE_PATH: &str = "/baris/household-status/v1";
const NAMESPACE: &str = "urn:lv:baris:household-status:v1";
const PREFIX: &str = "bar";
const SERVICE: SoapService = SoapService {
    path: SERVICE_PATH,
    namespace: NAMESPACE,
    prefix: PREFIX,
    action: "urn:lv:baris:household-status:v1:DeliverHouseholdStatus",
    operation: "DeliverHouseholdStatusRequest",
};
const RECEIPT_PREFIX: &str = "BAR";
const WORDS: ReceiptWords = ReceiptWords {
    accepted: "ACCEPTED",
    duplicate: "DUPLICATE",
    key_reused: "The idempotency key was accepted before with another message",
};
const MAX_MEMBERS: usize = 20;
/// The leaves a request body may hold, below the operation element.
const FIELDS: [&str; 7] =
    ["DecisionRef", "DecisionVersion", "Status", "ValidFrom", "ValidTo", "Member/PersonCode", "Member/Role"];

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
        SERVICE.route(request, |parsed| self.deliver(request, parsed))
    }

    fn deliver(&self, http: &Request, request: &SoapRequest) -> Result<Vec<u8>, Fault> {
        let key = SERVICE.check(http, request, &self.state.username, &self.state.password)?;
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
        let (outcome, accepted) = soap::record(ledger, &delivery, key, RECEIPT_PREFIX, &WORDS)?;
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
    let from = soap::date(valid_from).ok_or_else(|| Fault::invalid("ValidFrom is not a date"))?;
    let valid_to = match request.all("ValidTo").as_slice() {
        [] => None,
        [to] => Some(*to),
        _ => return Err(Fault::invalid("ValidTo is repeated")),
    };
    if let Some(to) = valid_to {
        let to = soap::date(to).ok_or_else(|| Fault::invalid("ValidTo is not a date"))?;
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
    let members = codes.iter().map(|code| soap::person_code(code)).collect::<Result<Vec<_>, _>>()?;
    Ok(Message { decision_ref, version, status, valid_from, valid_to, members })
}

#[cfg(test)]
mod tests;
