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
use crate::deliveries::Message;
use crate::population::Population;
use crate::simulators::{Handle, Mount, Simulator, Table};
use crate::soap::delivery::{ReceiptElements, ReceiptWords, SoapDelivery, SoapDeliveryContract, StatusFields};
use crate::soap::{self, Fault, ServiceAccount, SoapRequest, SoapService};

/// The path of the household-status service.
pub(crate) const SERVICE_PATH: &str = "/baris/household-status/v1";
const CONTRACT: SoapDeliveryContract = SoapDeliveryContract {
    service: SoapService {
        path: SERVICE_PATH,
        namespace: "urn:lv:baris:household-status:v1",
        prefix: "bar",
        action: "urn:lv:baris:household-status:v1:DeliverHouseholdStatus",
        operation: "DeliverHouseholdStatusRequest",
    },
    receipt_prefix: "BAR",
    words: ReceiptWords {
        accepted: "ACCEPTED",
        duplicate: "DUPLICATE",
        key_reused: "The idempotency key was accepted before with another message",
    },
    receipt: ReceiptElements {
        response: "bar:DeliverHouseholdStatusResponse",
        receipt_id: "bar:ReceiptId",
        key: "bar:IdempotencyKey",
        outcome: "bar:Outcome",
        received_at: "bar:ReceivedAt",
    },
    unknown_member: "A member is not known to the population register",
};
/// The accepted answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/baris/examples/deliver-household-status-response-accepted.xml");
const MAX_MEMBERS: usize = 20;
/// The leaves a request body may hold, below the operation element.
const FIELDS: [&str; 7] =
    ["DecisionRef", "DecisionVersion", "Status", "ValidFrom", "ValidTo", "Member/PersonCode", "Member/Role"];

/// The BARIS simulator.
pub(crate) struct BarisSimulator {
    delivery: SoapDelivery,
}

impl BarisSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        let account = ServiceAccount::new(&credentials.baris_username, &credentials.baris_password);
        Self { delivery: SoapDelivery::new(&CONTRACT, population, account) }
    }
}

impl Respond for BarisSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.delivery.respond(request, read_message);
        let operation = if request.url.path() == SERVICE_PATH { "DeliverHouseholdStatus" } else { "unknown" };
        tracing::debug!(operation, "BARIS simulator answered a request.");
        response
    }
}

impl Simulator for BarisSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        let simulator = BarisSimulator::new(on.population(), on.credentials);
        let ledger = simulator.delivery.ledger();
        on.serve(simulator, SAMPLE).await;
        Handle::Partner(ledger)
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("partners.baris", url)
            .service_account(credentials, &credentials.baris_username, &credentials.baris_password)
            .finish()
    }
}

fn read_message(request: &SoapRequest) -> Result<Message<'_>, Fault> {
    if request.paths().iter().any(|path| !FIELDS.contains(path)) {
        return Err(Fault::invalid("The request holds an element the contract does not define"));
    }
    let fields =
        StatusFields::read(request, "DecisionRef", "DecisionVersion", "DecisionRef or DecisionVersion is not valid")?;
    fields.check_period()?;
    let StatusFields { reference: decision_ref, version, status, valid_from, valid_to, .. } = fields;
    let codes = request.all("Member/PersonCode");
    let roles = request.all("Member/Role");
    if codes.is_empty() || codes.len() > MAX_MEMBERS || codes.len() != roles.len() {
        return Err(Fault::invalid("A message names 1 to 20 members, each with a PersonCode and a Role"));
    }
    let roles_ok = roles.iter().enumerate().all(|(i, role)| *role == if i == 0 { "APPLICANT" } else { "MEMBER" });
    if !roles_ok {
        return Err(Fault::invalid("The first member is the APPLICANT, every other a MEMBER"));
    }
    let members: Vec<PersonCode> = codes.iter().map(|code| soap::person_code(code)).collect::<Result<_, _>>()?;
    let content = vec![status, valid_from, valid_to.unwrap_or("")];
    Ok(Message { decision_ref, version, content, members })
}

#[cfg(test)]
mod tests;
