//! Tests of the BARIS simulator over HTTP: the service account, validation, deduplication by
//! idempotency key, and every answer against `schemas/baris/`.

use gateway_domain::System;

use crate::test_support::{SoapHarness, SoapOperation, text, unknown_code};

const OPERATION: SoapOperation = SoapOperation {
    system: System::Baris,
    service: "/baris/household-status/v1",
    action: "\"urn:lv:baris:household-status:v1:DeliverHouseholdStatus\"",
    schema: "baris/validate.xsd",
    example: "baris/examples/deliver-household-status-request.xml",
    example_key: "f0720fe9a37cfc38e868880a764cce35",
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
    assert_eq!(text(&first, "bar:Outcome"), Some("ACCEPTED"));
    assert_eq!(text(&first, "bar:IdempotencyKey"), Some("key-1"));
    let (status, second) = harness.post(request).await;
    assert_eq!(status, 200);
    xsd_check(&second).expect("the answer follows the schema");
    assert_eq!(text(&second, "bar:Outcome"), Some("DUPLICATE"));
    assert_eq!(text(&second, "bar:ReceiptId"), text(&first, "bar:ReceiptId"));
    assert_eq!(text(&second, "bar:ReceivedAt"), text(&first, "bar:ReceivedAt"));

    let simulators = &harness.simulators;
    assert_eq!(simulators.accepted(System::Baris), [("key-1".to_owned(), 1)].into());
    assert_eq!(simulators.duplicates(System::Baris), [("key-1".to_owned(), 1)].into());
    assert_eq!(simulators.accepted_decisions(System::Baris), [(("TUK-2026-000123".to_owned(), 2), 1)].into());
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
    assert_eq!(text(&fault, "bar:Code"), Some("UNKNOWN_PERSON"));
    assert_eq!(text(&fault, "bar:MemberPosition"), Some("2"));
    assert!(!fault.contains(unknown.as_str()));
    assert!(harness.simulators.accepted(System::Baris).is_empty());
    assert_eq!(harness.simulators.rejected(System::Baris), [("key-2".to_owned(), 1)].into());
}

#[tokio::test]
async fn a_wrong_password_is_not_authorised() {
    let harness = SoapHarness::start(OPERATION).await;
    let request = harness.request("key-3").replace("simulated-baris-password", "guess");
    let (status, fault) = harness.post(request).await;
    assert_eq!(status, 500);
    assert_eq!(text(&fault, "bar:Code"), Some("NOT_AUTHORISED"));
    assert_eq!(text(&fault, "bar:RequestId"), Some("6f9c3e1a-2b7d-4c55-9a0e-8d1f2e3a4b5c"));
    assert!(harness.simulators.accepted(System::Baris).is_empty());
}

#[tokio::test]
async fn invalid_messages_are_client_faults_and_change_nothing() {
    let harness = SoapHarness::start(OPERATION).await;
    let request = harness.request("key-4");
    let cases = [
        "<not-closed".to_owned(),
        "<Envelope/>".to_owned(),
        request.replace(">NEEDY<", ">POOR<"),
        request.replace("<bar:DecisionVersion>2<", "<bar:DecisionVersion>0<"),
        request.replace("2026-11-01", "1 November"),
        request.replace("<bar:IdempotencyKey>key-4</bar:IdempotencyKey>", ""),
        request.replace("<bar:RequestId>6f9c3e1a-2b7d-4c55-9a0e-8d1f2e3a4b5c</bar:RequestId>", ""),
        request.replace(">APPLICANT<", ">MEMBER<"),
        request.replace("<bar:Status>", "<bar:Colour>red</bar:Colour><bar:Status>"),
        request.replace("urn:lv:baris:household-status:v1", "urn:lv:baris:household-status:v2"),
    ];
    for body in cases {
        let (status, fault) = harness.post(body).await;
        assert_eq!(status, 500);
        xsd_check(&fault).expect("the fault follows the schema");
        assert_eq!(text(&fault, "bar:Code"), Some("INVALID_REQUEST"), "{fault}");
    }
    let (status, fault) = harness.post(request.replace("2027-04-30", "2026-10-31")).await;
    assert_eq!((status, text(&fault, "bar:Code")), (500, Some("INVALID_PERIOD")));
    assert!(harness.simulators.accepted(System::Baris).is_empty());
}

#[tokio::test]
async fn other_prefixes_are_understood_and_a_reused_key_is_refused() {
    let harness = SoapHarness::start(OPERATION).await;
    let request = harness
        .request("key-5")
        .replace("bar:", "b:")
        .replace("xmlns:bar", "xmlns:b")
        .replace("soap:", "s:")
        .replace("xmlns:soap", "xmlns:s");
    let (status, answer) = harness.post(request.clone()).await;
    assert_eq!((status, text(&answer, "bar:Outcome")), (200, Some("ACCEPTED")));
    let (status, fault) = harness.post(request.replace(">NEEDY<", ">ENDED<")).await;
    assert_eq!((status, text(&fault, "bar:Code")), (500, Some("KEY_REUSED")));
    assert_eq!(harness.simulators.accepted(System::Baris).len(), 1);
}

#[tokio::test]
async fn other_paths_and_methods_are_not_served() {
    let harness = SoapHarness::start(OPERATION).await;
    let base = harness.simulators.url(System::Baris);
    assert_eq!(harness.client.get(format!("{base}{}", OPERATION.service)).send().await.expect("answers").status(), 405);
    assert_eq!(harness.client.post(format!("{base}/baris/other")).send().await.expect("answers").status(), 404);
}
