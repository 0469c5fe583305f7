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
use crate::deliveries::{Ledger, Message};
use crate::population::Population;
use crate::soap::delivery::{ReceiptElements, ReceiptWords, SoapDelivery, SoapDeliveryContract, StatusFields};
use crate::soap::{self, Fault, ServiceAccount, SoapRequest, SoapService};

/// Every path of this contract starts so; the simulator is mounted for these only.
pub(crate) const PATH_PREFIX: &str = "/spolis/monitoring/";
/// The path of the monitoring service.
pub(crate) const SERVICE_PATH: &str = "/spolis/monitoring/v1";
const CONTRACT: SoapDeliveryContract = SoapDeliveryContract {
    service: SoapService {
        path: SERVICE_PATH,
        namespace: "urn:lv:lm:spolis:monitoring:v1",
        prefix: "mon",
        action: "urn:lv:lm:spolis:monitoring:v1:SubmitMonitoringRecord",
        operation: "SubmitMonitoringRecordRequest",
    },
    receipt_prefix: "SPO",
    words: ReceiptWords {
        accepted: "REGISTERED",
        duplicate: "ALREADY_REGISTERED",
        key_reused: "The idempotency key was registered before with another record",
    },
    receipt: ReceiptElements {
        response: "mon:SubmitMonitoringRecordResponse",
        receipt_id: "mon:RegistrationNumber",
        key: "mon:IdempotencyKey",
        outcome: "mon:Result",
        received_at: "mon:RegisteredAt",
    },
    unknown_member: "A person is not known to the population register",
};
/// The registered answer of the schema's examples.
pub(crate) const SAMPLE: &[u8] =
    include_bytes!("../../../../schemas/spolis/monitoring/examples/submit-monitoring-record-response-registered.xml");
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

/// The SPOLIS monitoring simulator.
pub(crate) struct SpolisMonitoringSimulator {
    delivery: SoapDelivery,
    /// The municipality of the service account, which every record must be for.
    municipality_code: String,
}

impl SpolisMonitoringSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        let account =
            ServiceAccount::new(&credentials.spolis_monitoring_username, &credentials.spolis_monitoring_password);
        Self {
            delivery: SoapDelivery::new(&CONTRACT, population, account),
            municipality_code: credentials.municipality_code.clone(),
        }
    }

    /// The records SPOLIS received and their counters.
    pub(crate) fn ledger(&self) -> Ledger {
        self.delivery.ledger()
    }
}

impl Respond for SpolisMonitoringSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.delivery.respond(request, |parsed| read_message(parsed, &self.municipality_code));
        let operation = if request.url.path() == SERVICE_PATH { "SubmitMonitoringRecord" } else { "unknown" };
        tracing::debug!(operation, "SPOLIS monitoring simulator answered a request.");
        response
    }
}

/// Reads and checks a record, which must be for `municipality_code`.
fn read_message<'r>(request: &'r SoapRequest, municipality: &str) -> Result<Message<'r>, Fault> {
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
    let fields = StatusFields::read(request, "RecordRef", "RecordVersion", "RecordRef or RecordVersion is not valid")?;
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
    let persons: Vec<PersonCode> = codes.iter().map(|code| soap::person_code(code)).collect::<Result<_, _>>()?;
    // The checks a monitoring record answers for beyond its schema.
    fields.check_period()?;
    let StatusFields { reference: record_ref, version, status, valid_from, valid_to, .. } = fields;
    if !valid_from.starts_with(reporting_month) {
        return Err(Fault::new("INVALID_PERIOD", "ReportingMonth is not the month of ValidFrom"));
    }
    if count != persons.len() {
        return Err(Fault::new("COUNT_MISMATCH", "PersonCount differs from the persons listed"));
    }
    if municipality_code != municipality {
        return Err(Fault::new("UNKNOWN_MUNICIPALITY", "The record is not for the service account's municipality"));
    }
    let content = vec![municipality_code, status, valid_from, valid_to.unwrap_or("")];
    Ok(Message { decision_ref: record_ref, version, content, members: persons })
}

#[cfg(test)]
mod tests;
