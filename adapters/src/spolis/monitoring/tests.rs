//! The SPOLIS monitoring adapter against a mock monitoring service built from
//! `schemas/spolis/monitoring/` examples.

use secrecy::SecretString;
use wiremock::MockServer;

use super::{SpolisMonitoringClient, SpolisMonitoringConfig};
use crate::compliance::Contract;
use crate::sink_compliance;
use crate::soap_sink_compliance::{self as soap, SoapFixture, SoapPartner};
use crate::transport::TransportConfig;

struct SpolisMonitoring;

impl SoapPartner for SpolisMonitoring {
    type Client = SpolisMonitoringClient;

    const CONTRACT: Contract = Contract::new("spolis/monitoring");
    const PATH: &'static str = "/spolis/monitoring/v1";
    const ACTION: &'static str = "urn:lv:lm:spolis:monitoring:v1:SubmitMonitoringRecord";
    const REQUEST: &'static str = "submit-monitoring-record-request";
    const ACCEPTED: &'static str = "submit-monitoring-record-response-registered";
    const DUPLICATE: &'static str = "submit-monitoring-record-response-already-registered";
    const FAULT: &'static str = "fault-unknown-person";
    const FAULT_CODE: &'static str = "UNKNOWN_PERSON";
    const PARTNER_REF: &'static str = "SPO-000000042";
    const ACCEPTED_OUTCOME: &'static str = "REGISTERED";
    const REQUEST_ELEMENTS: &'static [&'static str] = &[
        "IdempotencyKey",
        "MunicipalityCode",
        "RecordRef",
        "RecordVersion",
        "Status",
        "ValidFrom",
        "ValidTo",
        "ReportingMonth",
        "PersonCount",
        "PersonCode",
        "Applicant",
    ];

    fn client(server: &MockServer, transport: TransportConfig) -> SpolisMonitoringClient {
        SpolisMonitoringClient::new(&SpolisMonitoringConfig {
            base_url: server.uri(),
            institution: "90000000001".into(),
            municipality_code: "0901000".into(),
            username: "tukums-social-service".into(),
            password: SecretString::from("simulated-spolis-password"),
            transport,
        })
        .unwrap()
    }
}

#[tokio::test]
async fn submit_monitoring_record_passes_the_sink_compliance_suite() {
    sink_compliance::run::<SoapFixture<SpolisMonitoring>>().await;
}

#[test]
fn every_example_validates_against_the_schemas() {
    soap::examples_validate::<SpolisMonitoring>();
}

#[tokio::test]
async fn the_request_envelope_validates_and_carries_the_key_and_who_sends_it() {
    soap::request_matches_the_example::<SpolisMonitoring>().await;
}

#[tokio::test]
async fn an_open_ended_ending_leaves_valid_to_out_and_still_validates() {
    soap::open_ended_ending::<SpolisMonitoring>().await;
}

#[tokio::test]
async fn a_refused_service_account_is_for_now_and_a_reused_key_for_good() {
    soap::faults_read_as_the_partner_means_them::<SpolisMonitoring>().await;
}
