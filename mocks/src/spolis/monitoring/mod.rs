//! The SPOLIS monitoring simulator: `SubmitMonitoringRecord` over SOAP 1.1 as
//! `schemas/spolis/monitoring/VERSION.md` defines it, checked against the synthetic population
//! and the municipality of the service account.
//!
//! `POST /spolis/monitoring/v1` with a WS-Security UsernameToken, a `RequestHeader` naming who
//! sends and why, and an `IdempotencyKey` header block. A new key is registered
//! (`REGISTERED`), a key seen before with the same record is acknowledged
//! (`ALREADY_REGISTERED`) and changes nothing. Refusals are SOAP client faults with a
//! `ServiceFault` code. The simulator answers only paths under `/spolis/monitoring/`.

use std::sync::Arc;

use gateway_domain::PersonCode;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::deliveries::{Delivery, Ledger, unknown_member};
use crate::population::Population;
use crate::soap_delivery::{self as soap, Fault, ReceiptWords, SoapRequest, SoapService};

/// Every path of this contract starts so; the simulator is mounted for these only.
pub(crate) const PATH_PREFIX: &str = "/spolis/monitoring/";
/// The path of the monitoring service.
pub(crate) const SERVICE_PATH: &str = "/spolis/monitoring/v1";
const NAMESPACE: &str = "urn:lv:lm:spolis:monitoring:v1";
const PREFIX: &str = "mon";
const SERVICE: SoapService = SoapService {
    path: SERVICE_PATH,
    namespace: NAMESPACE,
    prefix: PREFIX,
    action: "urn:lv:lm:spolis:monitoring:v1:SubmitMonitoringRecord",
    operation: "SubmitMonitoringRecordRequest",
};
const RECEIPT_PREFIX: &str = "SPO";
const WORDS: ReceiptWords = ReceiptWords {
    accepted: "REGISTERED",
    duplicate: "ALREADY_REGISTERED",
    key_reused: "The idempotency key was registered before with another record",
};
const MAX_PERSONS: usize = 20;
/// The leaves a request body may hold, below the operation element.
const FIELDS: [&str; 10] = [
    "MunicipalityCode",
    "RecordRef",
    "RecordVersion",
    "Status",
    "ValidFrom",
    "ValidTo",
    "ReportingMonth",
    "PersonCount",
    "Person/PersonCode",
    "Person/Applicant",
];

/// The SPOLIS monitoring simulator; cheap to clone, all clones share one state.
#[derive(Clone)]
pub(crate) struct SpolisMonitoringSimulator {
    state: Arc<SpolisMonitoringState>,
}

struct SpolisMonitoringState {
    population: Arc<Population>,
    username: String,
    password: String,
    municipality_code: String,
    ledger: Ledger,
}

impl SpolisMonitoringSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        let state = SpolisMonitoringState {
            population,
            username: credentials.spolis_monitoring_username.clone(),
            password: credentials.spolis_monitoring_password.clone(),
            municipality_code: credentials.municipality_code.clone(),
            ledger: Ledger::default(),
        };
        Self { state: Arc::new(state) }
    }

    /// The records SPOLIS received and their counters.
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
        if message.municipality_code != self.state.municipality_code {
            ledger.reject(key);
            return Err(Fault::new("UNKNOWN_MUNICIPALITY", "The record is not for the service account's municipality"));
        }
        if let Some(index) = unknown_member(&self.state.population, &message.persons) {
            ledger.reject(key);
            return Err(Fault {
                member_position: Some(index + 1),
                ..Fault::new("UNKNOWN_PERSON", "A person is not known to the population register")
            });
        }
        let mut parts =
            vec![message.municipality_code, message.status, message.valid_from, message.valid_to.unwrap_or("")];
        parts.extend(message.persons.iter().map(PersonCode::as_str));
        let delivery = Delivery::new(key, message.record_ref, message.version, &parts);
        let (result, accepted) = soap::record(ledger, &delivery, key, RECEIPT_PREFIX, &WORDS)?;
        Ok(soap::envelope(PREFIX, NAMESPACE, |w| {
            w.create_element("mon:SubmitMonitoringRecordResponse").write_inner_content(|w| {
                soap::leaf(w, "mon:RegistrationNumber", &accepted.receipt_id)?;
                soap::leaf(w, "mon:IdempotencyKey", key)?;
                soap::leaf(w, "mon:Result", result)?;
                soap::leaf(w, "mon:RegisteredAt", &accepted.received_at)
            })?;
            Ok(())
        }))
    }
}

impl Respond for SpolisMonitoringSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.route(request);
        let operation = if request.url.path() == SERVICE_PATH { "SubmitMonitoringRecord" } else { "unknown" };
        tracing::debug!(operation, "SPOLIS monitoring simulator answered a request.");
        response
    }
}

/// A record, checked.
struct Message<'r> {
    municipality_code: &'r str,
    record_ref: &'r str,
    version: u32,
    status: &'r str,
    valid_from: &'r str,
    valid_to: Option<&'r str>,
    persons: Vec<PersonCode>,
}

fn read_message(request: &SoapRequest) -> Result<Message<'_>, Fault> {
    if request.paths().iter().any(|path| !FIELDS.contains(path)) {
        return Err(Fault::invalid("The request holds an element the contract does not define"));
    }
    let required = |name: &'static str| {
        request.one(name).ok_or_else(|| Fault::invalid("A required element is missing or repeated"))
    };
    let municipality_code = required("MunicipalityCode")?;
    if municipality_code.len() != 7 || !municipality_code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Fault::invalid("MunicipalityCode has seven digits"));
    }
    let record_ref = required("RecordRef")?;
    let reference_ok = !record_ref.is_empty()
        && record_ref.len() <= 64
        && record_ref.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_/.".contains(&b));
    let version = required("RecordVersion")?.parse::<u32>().ok().filter(|v| *v > 0);
    let (true, Some(version)) = (reference_ok, version) else {
        return Err(Fault::invalid("RecordRef or RecordVersion is not valid"));
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
    let reporting_month = required("ReportingMonth")?;
    let month_ok = reporting_month.len() == 7
        && reporting_month.as_bytes()[4] == b'-'
        && reporting_month.bytes().enumerate().all(|(i, b)| i == 4 || b.is_ascii_digit());
    if !month_ok {
        return Err(Fault::invalid("ReportingMonth is a month, YYYY-MM"));
    }
    let count = required("PersonCount")?.parse::<usize>().ok().filter(|n| *n > 0);
    let Some(count) = count else {
        return Err(Fault::invalid("PersonCount is a positive number"));
    };
    let codes = request.all("Person/PersonCode");
    let applicants = request.all("Person/Applicant");
    if codes.is_empty() || codes.len() > MAX_PERSONS || codes.len() != applicants.len() {
        return Err(Fault::invalid("A record names 1 to 20 persons, each with a PersonCode and Applicant"));
    }
    let flags = applicants
        .iter()
        .map(|flag| match *flag {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(Fault::invalid("Applicant is a boolean")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if flags.iter().enumerate().any(|(i, applicant)| *applicant != (i == 0)) {
        return Err(Fault::invalid("The first person, and only the first, is the applicant"));
    }
    let persons = codes.iter().map(|code| soap::person_code(code)).collect::<Result<Vec<_>, _>>()?;
    // The checks a monitoring record answers for beyond its schema.
    if let Some(to) = valid_to {
        let to = soap::date(to).ok_or_else(|| Fault::invalid("ValidTo is not a date"))?;
        if to < from {
            return Err(Fault::new("INVALID_PERIOD", "ValidTo is before ValidFrom"));
        }
    }
    if !valid_from.starts_with(reporting_month) {
        return Err(Fault::new("INVALID_PERIOD", "ReportingMonth is not the month of ValidFrom"));
    }
    if count != persons.len() {
        return Err(Fault::new("COUNT_MISMATCH", "PersonCount differs from the persons listed"));
    }
    Ok(Message { municipality_code, record_ref, version, status, valid_from, valid_to, persons })
}

#[cfg(test)]
mod tests;
