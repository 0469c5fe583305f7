//! The BARIS simulator passes the partner-simulator suite over HTTP, its answers checked
//! against `schemas/baris/`.

use gateway_domain::System;

use crate::partner_suite::{self, SoapContract, SoapPartner};

struct Baris;

impl SoapContract for Baris {
    const SYSTEM: System = System::Baris;
    const SERVICE: &'static str = "/baris/household-status/v1";
    const OTHER_PATH: &'static str = "/baris/other";
    const ACTION: &'static str = "\"urn:lv:baris:household-status:v1:DeliverHouseholdStatus\"";
    const SCHEMA: &'static str = "baris/validate.xsd";
    const EXAMPLE: &'static str = "baris/examples/deliver-household-status-request.xml";
    const EXAMPLE_KEY: &'static str = "f0720fe9a37cfc38e868880a764cce35";
    const NAMESPACE: &'static str = "urn:lv:baris:household-status:v1";
    const PREFIX: &'static str = "bar";
    const PASSWORD: &'static str = "simulated-baris-password";
    const RECEIPT_ID: &'static str = "ReceiptId";
    const OUTCOME: &'static str = "Outcome";
    const RECEIVED_AT: &'static str = "ReceivedAt";
    const ACCEPTED: &'static str = "ACCEPTED";
    const DUPLICATE: &'static str = "DUPLICATE";
    const VERSION: &'static str = "DecisionVersion";
    const NOT_APPLICANT: (&'static str, &'static str) = (">APPLICANT<", ">MEMBER<");
}

#[tokio::test]
async fn baris_passes_the_partner_suite() {
    partner_suite::run::<SoapPartner<Baris>>().await;
}
