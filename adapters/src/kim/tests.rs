//! The KIM adapter against a mock kit module built from `schemas/kim/` examples: the sink
//! suite for its notifications, and its read of the kits issued.

use gateway_domain::{FoodAidKits, KitKind, Month, SourceError, System};
use serde_json::{Value, json};
use wiremock::matchers::{header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::KimClient;
use crate::compliance::{Contract, ctx, json_reply, mount_token, test_oauth, test_transport};
use crate::rest_sink_compliance::notification_partner_tests;
use crate::status_notification::NotificationConfig;

notification_partner_tests!(
    KimClient,
    "kim",
    "/kim/v1/status-notifications",
    "Bearer c2ltdWxhdGVkLWtpbS10b2tlbi0wMDAx",
    "KIM-000000042"
);

const CONTRACT: Contract = Contract::new("kim");
const KIT_ISSUES: &str = "/kim/v1/kit-issues";

fn month() -> Month {
    Month::parse("2026-11").unwrap()
}

fn page_example() -> Value {
    serde_json::from_str(&CONTRACT.example_json("kit-issues")).unwrap()
}

async fn client(server: &MockServer) -> KimClient {
    mount_token(server, "/oauth2/token", CONTRACT).await;
    let config = NotificationConfig {
        base_url: server.uri(),
        token_url: None,
        oauth: test_oauth(),
        transport: test_transport(),
    };
    KimClient::new(&config).unwrap()
}

async fn mount_page(server: &MockServer, page: u32, template: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(KIT_ISSUES))
        .and(query_param("month", "2026-11"))
        .and(query_param("page", page.to_string()))
        .and(header_exists("X-Purpose"))
        .and(header_exists("X-Request-Id"))
        .respond_with(template)
        .expect(1)
        .mount(server)
        .await;
}

#[test]
fn the_page_example_validates_and_a_page_with_an_unknown_kind_does_not() {
    assert!(CONTRACT.json_valid("kit-issues", &page_example()));
    let mut broken = page_example();
    broken["issues"][0]["kitKind"] = json!("TOYS");
    assert!(!CONTRACT.json_valid("kit-issues", &broken));
}

#[tokio::test]
async fn every_page_of_the_month_is_read_in_order() {
    let server = MockServer::start().await;
    let kim = client(&server).await;
    let mut first = page_example();
    first["more"] = json!(true);
    let mut second = page_example();
    second["page"] = json!(2);
    second["issues"] = json!([second["issues"][1].clone()]);
    mount_page(&server, 1, json_reply(200, first.to_string())).await;
    mount_page(&server, 2, json_reply(200, second.to_string())).await;
    let issues = kim.kits_issued(month(), &ctx()).await.unwrap();
    let example = page_example();
    let kinds: Vec<KitKind> = issues.iter().map(|issue| issue.kind).collect();
    assert_eq!(kinds.len(), example["issues"].as_array().unwrap().len() + 1);
    assert_eq!(kinds[0], KitKind::Food);
    let first_issue = &issues[0];
    let wire = &example["issues"][0];
    assert_eq!(first_issue.decision_ref, wire["decisionNumber"].as_str().unwrap());
    assert_eq!(first_issue.recipient.as_str(), wire["recipientPersonCode"].as_str().unwrap());
    assert_eq!(first_issue.count, wire["count"].as_u64().unwrap() as u32);
    assert_eq!(first_issue.issued_on.to_string(), wire["issuedOn"].as_str().unwrap());
    assert_eq!(
        first_issue.distributor.registration_number,
        wire["distributor"]["registrationNumber"].as_str().unwrap()
    );
    assert_eq!(first_issue.distributor.name, wire["distributor"]["name"].as_str().unwrap());
    assert_eq!(first_issue.provenance.system, System::Kim);
    assert_eq!(first_issue.provenance.record_id, wire["recordId"].as_str().unwrap());
    assert_eq!(issues.last().unwrap().provenance.record_id, example["issues"][1]["recordId"].as_str().unwrap());
}

#[tokio::test]
async fn a_page_that_breaks_the_contract_is_malformed() {
    let cases: [(&str, Value); 5] = [
        ("/issues/0/kitKind", json!("TOYS")),
        ("/issues/0/recipientPersonCode", json!("12128211211")),
        ("/issues/0/issuedOn", json!("2026-12-01")),
        ("/issues/0/count", json!(0)),
        ("/month", json!("2026-10")),
    ];
    for (pointer, value) in cases {
        let server = MockServer::start().await;
        let kim = client(&server).await;
        let mut page = page_example();
        *page.pointer_mut(pointer).unwrap() = value;
        mount_page(&server, 1, json_reply(200, page.to_string())).await;
        let result = kim.kits_issued(month(), &ctx()).await;
        assert!(matches!(result, Err(SourceError::Malformed { .. })), "{pointer}: {result:?}");
    }
}

#[tokio::test]
async fn a_failing_later_page_fails_the_read_as_any_read_fails() {
    let server = MockServer::start().await;
    let kim = client(&server).await;
    let mut first = page_example();
    first["more"] = json!(true);
    mount_page(&server, 1, json_reply(200, first.to_string())).await;
    Mock::given(method("GET"))
        .and(path(KIT_ISSUES))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let result = kim.kits_issued(month(), &ctx()).await;
    assert!(matches!(result, Err(SourceError::Unavailable { .. })), "{result:?}");
}
