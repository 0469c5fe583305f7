//! The BARIS adapter against a mock orphans' court service built from `schemas/baris/`
//! examples.

use secrecy::SecretString;
use wiremock::MockServer;

use super::{BarisClient, BarisConfig};
use crate::compliance::Contract;
use crate::sink_compliance;
use crate::soap_sink_compliance::{self as soap, SoapFixture, SoapPartner};
use crate::transport::TransportConfig;

struct Baris;

impl SoapPartner for Baris {
    type Client = BarisClient;

    const CONTRACT: Contract = Contract::new("baris");
    const PATH: &'static str = "/baris/household-status/v1";
    const ACTION: &'static str = "urn:lv:baris:household-status:v1:DeliverHouseholdStatus";
    const REQUEST: &'static str = "deliver-household-status-request";
    const ACCEPTED: &'static str = "deliver-household-status-response-accepted";
    const DUPLICATE: &'static str = "deliver-household-status-response-duplicate";
    const FAULT: &'static str = "fault-unknown-person";
    const FAULT_CODE: &'static str = "UNKNOWN_PERSON";
    const PARTNER_REF: &'static str = "BAR-000000042";
    const ACCEPTED_OUTCOME: &'static str = "ACCEPTED";
    const REQUEST_ELEMENTS: &'static [&'static str] =
        &["IdempotencyKey", "DecisionRef", "DecisionVersion", "Status", "ValidFrom", "ValidTo", "PersonCode", "Role"];

    fn client(server: &MockServer, transport: TransportConfig) -> BarisClient {
        BarisClient::new(&BarisConfig {
            base_url: server.uri(),
            institution: "90000000001".into(),
            username: "tukums-social-service".into(),
            password: SecretString::from("simulated-baris-password"),
            transport,
        })
        .unwrap()
    }
}

#[tokio::test]
async fn deliver_household_status_passes_the_sink_compliance_suite() {
    sink_compliance::run::<SoapFixture<Baris>>().await;
}

#[test]
fn every_example_validates_against_the_schemas() {
    soap::examples_validate::<Baris>();
}

#[tokio::test]
async fn the_request_envelope_validates_and_carries_the_key_and_who_sends_it() {
    soap::request_matches_the_example::<Baris>().await;
}

#[tokio::test]
async fn an_open_ended_ending_leaves_valid_to_out_and_still_validates() {
    soap::open_ended_ending::<Baris>().await;
}

#[tokio::test]
async fn a_refused_service_account_is_for_now_and_a_reused_key_for_good() {
    soap::faults_read_as_the_partner_means_them::<Baris>().await;
}
