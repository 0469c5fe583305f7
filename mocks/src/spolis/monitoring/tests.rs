//! Tests of the SPOLIS monitoring simulator over HTTP: the service account, validation,
//! deduplication by idempotency key, and every answer against `schemas/spolis/monitoring/`.

use gateway_domain::System;

use crate::test_support::{SoapHarness, SoapOperation, text, unknown_code};

const OPERATION: SoapOperation = SoapOperation {
    system: System::Spolis,
    service: "/spolis/monitoring/v1",
    action: "\"urn:lv:lm:spolis:monitoring:v1:SubmitMonitoringRecord\"",
    schema: "spolis/monitoring/validate.xsd",
    example: "spolis/monitoring/examples/submit-monitoring-record-request.xml",
    example_key: "697f417db3b3e2880c8810e7b417a033",
};

fn xsd_check(body: &str) -> Result<(), String> {
    OPERATION.xsd_check(body)
}

#[tokio::test]
async fn a_delivery_is_accepted_once_and_its_repetition_acknowledged_as_a_duplicate() {
    let harness = SoapHarness::start(OPERATION).await;
    let request = harness.request("key-1");
    xsd_check(&request).expect("the request follows the schema");
    let (status, first) = harness.post(request.clone()).await;
    assert_eq!(status, 200, "{first}");
    xsd_check(&first).expect("the answer follows the schema");
    assert_eq!(text(&first, "mon:Result"), Some("REGISTERED"));
    assert_eq!(text(&first, "mon:IdempotencyKey"), Some("key-1"));
    let (status, second) = harness.post(request).await;
    assert_eq!(status, 200);
    xsd_check(&second).expect("the answer follows the schema");
    assert_eq!(text(&second, "mon:Result"), Some("ALREADY_REGISTERED"));
    assert_eq!(text(&second, "mon:RegistrationNumber"), text(&first, "mon:RegistrationNumber"));
    assert_eq!(text(&second, "mon:RegisteredAt"), text(&first, "mon:RegisteredAt"));

    let simulators = &harness.simulators;
    assert_eq!(simulators.accepted(System::Spolis), [("key-1".to_owned(), 1)].into());
    assert_eq!(simulators.duplicates(System::Spolis), [("key-1".to_owned(), 1)].into());
    assert_eq!(simulators.accepted_decisions(System::Spolis), [(("TUK-2026-000123".to_owned(), 2), 1)].into());
}

#[tokio::test]
async fn an_unknown_member_is_a_client_fault_naming_the_position_not_the_code() {
    let harness = SoapHarness::start(OPERATION).await;
    let unknown = unknown_code(harness.simulators.population());
    let applicant = harness.simulators.population().persons()[0].code.as_str().to_owned();
    let request = harness.request_naming("key-2", &applicant, unknown.as_str());
    let (status, fault) = harness.post(request).await;
    assert_eq!(status, 500);
    xsd_check(&fault).expect("the fault follows the schema");
    assert_eq!(text(&fault, "faultcode"), Some("soap:Client"));
    assert_eq!(text(&fault, "mon:Code"), Some("UNKNOWN_PERSON"));
    assert_eq!(text(&fault, "mon:MemberPosition"), Some("2"));
    assert!(!fault.contains(unknown.as_str()));
    assert!(harness.simulators.accepted(System::Spolis).is_empty());
    assert_eq!(harness.simulators.rejected(System::Spolis), [("key-2".to_owned(), 1)].into());
}

#[tokio::test]
async fn a_wrong_password_is_not_authorised() {
    let harness = SoapHarness::start(OPERATION).await;
    let request = harness.request("key-3").replace("simulated-spolis-password", "guess");
    let (status, fault) = harness.post(request).await;
    assert_eq!(status, 500);
    assert_eq!(text(&fault, "mon:Code"), Some("NOT_AUTHORISED"));
    assert_eq!(text(&fault, "mon:RequestId"), Some("6f9c3e1a-2b7d-4c55-9a0e-8d1f2e3a4b5c"));
    assert!(harness.simulators.accepted(System::Spolis).is_empty());
}

#[tokio::test]
async fn invalid_messages_are_client_faults_and_change_nothing() {
    let harness = SoapHarness::start(OPERATION).await;
    let request = harness.request("key-4");
    let cases = [
        "<not-closed".to_owned(),
        "<Envelope/>".to_owned(),
        request.replace(">NEEDY<", ">POOR<"),
        request.replace("<mon:RecordVersion>2<", "<mon:RecordVersion>0<"),
        request.replace("2026-11-01", "1 November"),
        request.replace("<mon:IdempotencyKey>key-4</mon:IdempotencyKey>", ""),
        request.replace("<mon:RequestId>6f9c3e1a-2b7d-4c55-9a0e-8d1f2e3a4b5c</mon:RequestId>", ""),
        request.replace("<mon:Applicant>true<", "<mon:Applicant>false<"),
        request.replace("<mon:Status>", "<mon:Colour>red</mon:Colour><mon:Status>"),
        request.replace("urn:lv:lm:spolis:monitoring:v1", "urn:lv:lm:spolis:monitoring:v2"),
    ];
    for body in cases {
        let (status, fault) = harness.post(body).await;
        assert_eq!(status, 500);
        xsd_check(&fault).expect("the fault follows the schema");
        assert_eq!(text(&fault, "mon:Code"), Some("INVALID_REQUEST"), "{fault}");
    }
    let (status, fault) = harness.post(request.replace("2027-04-30", "2026-10-31")).await;
    assert_eq!((status, text(&fault, "mon:Code")), (500, Some("INVALID_PERIOD")));
    let (status, fault) =
        harness.post(request.replace("<mon:ReportingMonth>2026-11<", "<mon:ReportingMonth>2026-12<")).await;
    assert_eq!((status, text(&fault, "mon:Code")), (500, Some("INVALID_PERIOD")));
    let (status, fault) = harness.post(request.replace("<mon:PersonCount>2<", "<mon:PersonCount>3<")).await;
    assert_eq!((status, text(&fault, "mon:Code")), (500, Some("COUNT_MISMATCH")));
    let (status, fault) =
        harness.post(request.replace("<mon:MunicipalityCode>0901000<", "<mon:MunicipalityCode>0001000<")).await;
    assert_eq!((status, text(&fault, "mon:Code")), (500, Some("UNKNOWN_MUNICIPALITY")));
    assert!(harness.simulators.accepted(System::Spolis).is_empty());
}

#[tokio::test]
async fn other_prefixes_are_understood_and_a_reused_key_is_refused() {
    let harness = SoapHarness::start(OPERATION).await;
    let request = harness
        .request("key-5")
        .replace("mon:", "m:")
        .replace("xmlns:mon", "xmlns:m")
        .replace("soap:", "s:")
        .replace("xmlns:soap", "xmlns:s");
    let (status, answer) = harness.post(request.clone()).await;
    assert_eq!((status, text(&answer, "mon:Result")), (200, Some("REGISTERED")));
    let (status, fault) = harness.post(request.replace(">NEEDY<", ">ENDED<")).await;
    assert_eq!((status, text(&fault, "mon:Code")), (500, Some("KEY_REUSED")));
    assert_eq!(harness.simulators.accepted(System::Spolis).len(), 1);
}

#[tokio::test]
async fn paths_outside_the_monitoring_prefix_are_left_to_other_responders() {
    let harness = SoapHarness::start(OPERATION).await;
    let base = harness.simulators.url(System::Spolis);
    let status = harness.client.post(format!("{base}/spolis/other/v1")).send().await.expect("answers").status();
    assert_eq!(status, 404);
    // Nothing outside the prefix reached the monitoring simulator's fault wrapper either.
    assert_eq!(harness.simulators.received_requests(System::Spolis).await, 0);
}

#[tokio::test]
async fn other_paths_and_methods_are_not_served() {
    let harness = SoapHarness::start(OPERATION).await;
    let base = harness.simulators.url(System::Spolis);
    assert_eq!(harness.client.get(format!("{base}{}", OPERATION.service)).send().await.expect("answers").status(), 405);
    assert_eq!(
        harness.client.post(format!("{base}/spolis/monitoring/v2")).send().await.expect("answers").status(),
        404
    );
}
