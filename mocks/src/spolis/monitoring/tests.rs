//! The SPOLIS monitoring simulator passes the partner-simulator suite over HTTP, with the
//! refusals only a monitoring record has, its answers checked against
//! `schemas/spolis/monitoring/`; and it answers only under its own path prefix.

use gateway_domain::System;

use crate::Simulators;
use crate::partner_suite::{self, SoapContract, SoapPartner};
use crate::test_support::test_population;

struct SpolisMonitoring;

impl SoapContract for SpolisMonitoring {
    const SYSTEM: System = System::Spolis;
    const SERVICE: &'static str = "/spolis/monitoring/v1";
    const OTHER_PATH: &'static str = "/spolis/monitoring/v2";
    const ACTION: &'static str = "\"urn:lv:lm:spolis:monitoring:v1:SubmitMonitoringRecord\"";
    const SCHEMA: &'static str = "spolis/monitoring/validate.xsd";
    const EXAMPLE: &'static str = "spolis/monitoring/examples/submit-monitoring-record-request.xml";
    const EXAMPLE_KEY: &'static str = "697f417db3b3e2880c8810e7b417a033";
    const NAMESPACE: &'static str = "urn:lv:lm:spolis:monitoring:v1";
    const PREFIX: &'static str = "mon";
    const PASSWORD: &'static str = "simulated-spolis-password";
    const RECEIPT_ID: &'static str = "RegistrationNumber";
    const OUTCOME: &'static str = "Result";
    const RECEIVED_AT: &'static str = "RegisteredAt";
    const ACCEPTED: &'static str = "REGISTERED";
    const DUPLICATE: &'static str = "ALREADY_REGISTERED";
    const VERSION: &'static str = "RecordVersion";
    const NOT_APPLICANT: (&'static str, &'static str) = ("<mon:Applicant>true<", "<mon:Applicant>false<");

    fn other_refusals(request: &str) -> Vec<(String, &'static str)> {
        vec![
            (request.replace("<mon:ReportingMonth>2026-11<", "<mon:ReportingMonth>2026-12<"), "INVALID_PERIOD"),
            (request.replace("<mon:PersonCount>2<", "<mon:PersonCount>3<"), "COUNT_MISMATCH"),
            (
                request.replace("<mon:MunicipalityCode>0901000<", "<mon:MunicipalityCode>0001000<"),
                "UNKNOWN_MUNICIPALITY",
            ),
        ]
    }
}

#[tokio::test]
async fn spolis_monitoring_passes_the_partner_suite() {
    partner_suite::run::<SoapPartner<SpolisMonitoring>>().await;
}

#[tokio::test]
async fn paths_outside_the_monitoring_prefix_are_left_to_other_responders() {
    let simulators = Simulators::start_all(test_population()).await;
    let base = simulators.url(System::Spolis);
    let status = reqwest::Client::new().post(format!("{base}/spolis/other/v1")).send().await.expect("answers").status();
    assert_eq!(status, 404);
    // Nothing outside the prefix reached the monitoring simulator's fault wrapper either.
    assert_eq!(simulators.received_requests(System::Spolis).await, 0);
}
