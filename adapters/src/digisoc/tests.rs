//! The DigiSoc adapter against a mock DigiSoc built from `schemas/digisoc/` examples: the
//! delivery passes the sink suite, the report read the compliance suite, and every malformed
//! page is a `Malformed` error that names no personal code.

use async_trait::async_trait;
use gateway_domain::{
    ExecutionReport, Month, PersonCode, ReferralChannel, ReportPage, ServiceType, SinkError, SourceError, System,
    Volume,
};
use serde_json::Value;
use time::macros::date;
use wiremock::matchers::{body_json, header, header_exists, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{DigisocClient, DigisocConfig};
use crate::adapter::{Adapter, Role};
use crate::compliance::test_transport;
use crate::compliance::{self, Contract, Fixture, ctx, half, json_reply, mount_token, problem_reply, test_oauth};
use crate::sink_compliance::{self, Sink, SinkFixture, referral, referral_key};
use crate::transport::TransportConfig;

const CONTRACT: Contract = Contract::new("digisoc");
const PROBLEM: &str = "urn:lv:digisoc:problem";

const REFERRALS: &str = "/digisoc/v1/referrals";
const REPORTS: &str = "/digisoc/v1/execution-reports";
const TOKEN: &str = "Bearer c2ltdWxhdGVkLWRpZ2lzb2MtdG9rZW4tMDE";
/// The personal codes the examples name, as the wire writes them.
const EXAMPLE_CODES: [&str; 2] = ["12128211210", "32579318462"];

fn config(server: &MockServer, transport: TransportConfig) -> DigisocConfig {
    DigisocConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport }
}

async fn client(server: &MockServer) -> DigisocClient {
    mount_token(server, "/oauth2/token", CONTRACT).await;
    DigisocClient::new(&config(server, test_transport())).unwrap()
}

struct DeliveryFixture {
    client: DigisocClient,
}

#[async_trait]
impl SinkFixture for DeliveryFixture {
    async fn start(server: &MockServer, transport: TransportConfig) -> Self {
        mount_token(server, "/oauth2/token", CONTRACT).await;
        Self { client: DigisocClient::new(&config(server, transport)).unwrap() }
    }

    fn sink(&self) -> Sink<'_> {
        Sink::Referrals(&self.client)
    }

    fn delivery_path(&self) -> &'static str {
        REFERRALS
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        Mock::given(method("POST"))
            .and(path(REFERRALS))
            .and(header("Authorization", TOKEN))
            .and(header("Idempotency-Key", referral_key().as_str()))
            .and(header_exists("X-Request-Id"))
            .and(header("X-Purpose", "means_test"))
            .respond_with(template)
            .mount(server)
            .await;
    }

    fn accepted(&self) -> ResponseTemplate {
        json_reply(201, CONTRACT.example_json("referral-created"))
    }

    fn duplicate(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("referral-already-received"))
    }

    fn partner_ref(&self) -> &'static str {
        "DIGISOC-000000042"
    }

    fn rejected(&self) -> (ResponseTemplate, &'static str) {
        let problem = CONTRACT.example_json("problem-unknown-person");
        (ResponseTemplate::new(422).set_body_raw(problem, "application/problem+json"), "unknown-person")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(201, half(&CONTRACT.example_json("referral-created")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(201, CONTRACT.example_json("referral-created").replace("\"created\"", "\"pending\""))
    }
}

#[tokio::test]
async fn deliver_passes_the_sink_compliance_suite() {
    sink_compliance::run::<DeliveryFixture>().await;
}

/// The first page of the feed, as the example has it.
struct ReportsFixture {
    client: DigisocClient,
}

#[async_trait]
impl Fixture for ReportsFixture {
    type Output = ReportPage;

    async fn start(server: &MockServer) -> Self {
        Self { client: client(server).await }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        Mock::given(method("GET"))
            .and(path(REPORTS))
            .and(query_param_is_missing("after"))
            .and(query_param("limit", "100"))
            .and(header("Authorization", TOKEN))
            .and(header_exists("X-Request-Id"))
            .and(header("X-Purpose", "means_test"))
            .respond_with(template)
            .mount(server)
            .await;
    }

    async fn call(&self) -> Result<ReportPage, SourceError> {
        self.client.reports(None, 100, &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("execution-reports"))
    }

    fn check_happy(&self, page: &ReportPage) {
        let home_care = |revision, visits, amount_cents| ExecutionReport {
            report_id: "DS-REP-2026-000001".into(),
            revision,
            referral_ref: "TUK-NOS-2026-000123".into(),
            provider: "40003012345".into(),
            person: PersonCode::parse(EXAMPLE_CODES[0]).unwrap(),
            service: ServiceType::HomeCare,
            month: Month::parse("2026-06").unwrap(),
            visits: Some(visits),
            hours: None,
            days: None,
            amount_cents,
            carer: None,
        };
        let child_care = ExecutionReport {
            report_id: "DS-REP-2026-000002".into(),
            revision: 1,
            referral_ref: "TUK-NOS-2026-000124".into(),
            provider: "40003054321".into(),
            person: PersonCode::parse(EXAMPLE_CODES[1]).unwrap(),
            service: ServiceType::DisabledChildCare,
            month: Month::parse("2026-06").unwrap(),
            visits: None,
            hours: Some(78),
            days: None,
            amount_cents: 39_780,
            carer: Some("CARER-0042".into()),
        };
        assert_eq!(page.reports, [home_care(1, 14, 29_400), child_care, home_care(2, 15, 31_500)]);
        assert_eq!((page.next_cursor.as_str(), page.more), ("ds1-0000000003", false));
    }

    fn not_found(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 404, "no-such-operation")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 400, "invalid-cursor")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(200, half(&CONTRACT.example_json("execution-reports")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("execution-reports").replacen("29400", "294.5", 1))
    }
}

#[tokio::test]
async fn reports_pass_the_compliance_suite() {
    compliance::run::<ReportsFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for (example_name, schema) in [
        ("referral", "referral"),
        ("referral-child-care", "referral"),
        ("referral-created", "referral-receipt"),
        ("referral-already-received", "referral-receipt"),
        ("execution-reports", "execution-reports"),
        ("problem-unknown-person", "problem"),
        ("token", "token"),
    ] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(example_name)).unwrap();
        assert!(CONTRACT.json_valid(schema, &instance), "{example_name}");
    }
    for (example_name, schema, from, to) in [
        ("referral", "referral", "\"home_care_level\"", "\"hours_per_month\""),
        ("referral", "referral", "\"level\": 2", "\"level\": 4"),
        ("referral", "referral", "\"40003012345\"", "\"4000301234\""),
        ("referral", "referral", "\"active\"", "\"paused\""),
        ("referral-child-care", "referral", "\"hours\": 80", "\"hours\": 80.5"),
        ("execution-reports", "execution-reports", "29400", "294.5"),
        ("execution-reports", "execution-reports", "\"2026-06\"", "\"2026-13\""),
        ("execution-reports", "execution-reports", "\"more\": false", "\"more\": \"no\""),
    ] {
        let broken = CONTRACT.example_json(example_name).replacen(from, to, 1);
        assert!(!CONTRACT.json_valid(schema, &serde_json::from_str(&broken).unwrap()), "{to}");
    }
    let empty_but_more = serde_json::json!({ "reports": [], "next_cursor": "ds1-0000000003", "more": true });
    assert!(!CONTRACT.json_valid("execution-reports", &empty_but_more));
}

#[tokio::test]
async fn the_referral_is_the_schema_example_and_carries_the_key() {
    let server = MockServer::start().await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("referral")).unwrap();
    Mock::given(method("POST"))
        .and(path(REFERRALS))
        .and(header("Idempotency-Key", "50b4dd4ca9bb15d856f1ac521f1fdc60"))
        .and(body_json(&expected))
        .respond_with(json_reply(201, CONTRACT.example_json("referral-created")))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let receipt = client.deliver(&referral(), &referral_key(), &ctx()).await.unwrap();
    assert_eq!(
        (receipt.partner, receipt.partner_ref.as_str(), receipt.duplicate),
        (System::Digisoc, "DIGISOC-000000042", false)
    );
}

#[tokio::test]
async fn a_carer_and_the_parents_employment_travel_as_the_child_care_example_has_them() {
    let server = MockServer::start().await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("referral-child-care")).unwrap();
    let child_care = gateway_domain::Referral {
        referral_ref: "TUK-NOS-2026-000124".into(),
        decision_ref: "TUK-2026-000457".into(),
        case_ref: "TUK-LIETA-2026-000078".into(),
        person: PersonCode::parse(EXAMPLE_CODES[1]).unwrap(),
        service: ServiceType::DisabledChildCare,
        provider: "40003054321".into(),
        carer: Some("CARER-0042".into()),
        for_parents_employment: true,
        volume: Volume::HoursPerMonth { hours: 80 },
        valid_to: date!(2026 - 12 - 31),
        ..referral()
    };
    let key = gateway_domain::IdempotencyKey::derive(&child_care.referral_ref, 1, System::Digisoc);
    let receipt = CONTRACT
        .example_json("referral-created")
        .replace("TUK-NOS-2026-000123", "TUK-NOS-2026-000124")
        .replace("50b4dd4ca9bb15d856f1ac521f1fdc60", key.as_str());
    Mock::given(method("POST"))
        .and(path(REFERRALS))
        .and(body_json(&expected))
        .respond_with(json_reply(201, receipt))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).await.deliver(&child_care, &key, &ctx()).await.unwrap();
}

#[tokio::test]
async fn a_receipt_about_another_referral_version_is_malformed() {
    for (from, to) in [("\"version\": 1", "\"version\": 2"), ("TUK-NOS-2026-000123", "TUK-NOS-2026-000999")] {
        let server = MockServer::start().await;
        let receipt = CONTRACT.example_json("referral-created").replace(from, to);
        Mock::given(method("POST")).and(path(REFERRALS)).respond_with(json_reply(201, receipt)).mount(&server).await;
        let error = client(&server).await.deliver(&referral(), &referral_key(), &ctx()).await.unwrap_err();
        assert!(matches!(error, SinkError::Transient(SourceError::Malformed { .. })), "{to}: {error:?}");
    }
}

#[tokio::test]
async fn refusals_of_the_caller_are_for_now_and_refusals_of_the_referral_for_good() {
    for (status, kind, permanent) in [
        (401, "unauthorized", false),
        (403, "forbidden", false),
        (400, "invalid-request", true),
        (422, "invalid-period", true),
        (422, "key-reused", true),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(REFERRALS))
            .respond_with(problem_reply(PROBLEM, status, kind))
            .mount(&server)
            .await;
        let error = client(&server).await.deliver(&referral(), &referral_key(), &ctx()).await.unwrap_err();
        assert_eq!(error.is_permanent(), permanent, "{kind}: {error:?}");
        if permanent {
            assert_eq!(error, SinkError::Rejected { code: kind.into() });
        }
    }
}

#[tokio::test]
async fn a_refused_token_is_renewed_once_and_the_page_read_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(json_reply(200, CONTRACT.example_json("token")))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(REPORTS))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(REPORTS))
        .respond_with(json_reply(200, CONTRACT.example_json("execution-reports")))
        .mount(&server)
        .await;
    let client = DigisocClient::new(&config(&server, test_transport())).unwrap();
    assert_eq!(client.reports(None, 100, &ctx()).await.unwrap().reports.len(), 3);
}

#[tokio::test]
async fn the_cursor_travels_as_given_and_the_limit_is_kept_within_a_page() {
    let server = MockServer::start().await;
    let last = r#"{ "reports": [], "next_cursor": "ds1+/=?&0003", "more": false }"#;
    Mock::given(method("GET"))
        .and(path(REPORTS))
        .and(query_param("after", "ds1+/=?&0003"))
        .and(query_param("limit", "500"))
        .respond_with(json_reply(200, last.to_owned()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(REPORTS))
        .and(query_param("after", "ds1+/=?&0003"))
        .and(query_param("limit", "1"))
        .respond_with(json_reply(200, last.to_owned()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let page = client.reports(Some("ds1+/=?&0003"), 10_000, &ctx()).await.unwrap();
    assert_eq!((page.reports.len(), page.next_cursor.as_str(), page.more), (0, "ds1+/=?&0003", false));
    client.reports(Some("ds1+/=?&0003"), 0, &ctx()).await.unwrap();
}

#[tokio::test]
async fn every_malformed_page_is_malformed_and_names_no_personal_code() {
    let example = CONTRACT.example_json("execution-reports");
    let cases = [
        example.replacen("29400", "294.5", 1),
        example.replacen("29400", "-1", 1),
        example.replacen("\"12128211210\"", "\"12128211219\"", 1),
        example.replacen("\"12128211210\"", "\"121282-11210\"", 1),
        example.replacen("\"home_care\"", "\"gardening\"", 1),
        example.replacen("\"2026-06\"", "\"2026-6\"", 1),
        example.replacen("\"40003012345\"", "\"4000301234\"", 1),
        example.replacen("\"revision\": 1", "\"revision\": 0", 1),
        example.replacen("\"CARER-0042\"", "\"CARER 0042\"", 1),
        example.replacen("\"visits\": 14", "\"visits\": -14", 1),
        example.replacen("\"ds1-0000000003\"", "\"\"", 1),
        example.replacen("\"ds1-0000000003\"", "\"ds1 3\"", 1),
        example.replacen("\"next_cursor\"", "\"cursor\"", 1),
        r#"{ "reports": [], "next_cursor": "ds1-0000000003", "more": true }"#.to_owned(),
        r#"{ "reports": {}, "next_cursor": "ds1-0000000003", "more": false }"#.to_owned(),
    ];
    for (i, body) in cases.into_iter().enumerate() {
        let server = MockServer::start().await;
        Mock::given(method("GET")).and(path(REPORTS)).respond_with(json_reply(200, body)).mount(&server).await;
        let error = client(&server).await.reports(None, 100, &ctx()).await.unwrap_err();
        let SourceError::Malformed { detail } = &error else { panic!("case {i}: {error:?}") };
        for code in EXAMPLE_CODES {
            assert!(!detail.contains(code) && !detail.contains(&code[..6]), "case {i}: {detail}");
        }
    }
}

#[tokio::test]
async fn a_page_larger_than_asked_for_is_malformed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(REPORTS))
        .respond_with(json_reply(200, CONTRACT.example_json("execution-reports")))
        .mount(&server)
        .await;
    let error = client(&server).await.reports(None, 2, &ctx()).await.unwrap_err();
    assert!(matches!(error, SourceError::Malformed { .. }), "{error:?}");
}

#[test]
fn the_adapter_is_the_referral_channel() {
    let server_uri = "http://127.0.0.1:9";
    let config = DigisocConfig {
        base_url: server_uri.into(),
        token_url: None,
        oauth: test_oauth(),
        transport: test_transport(),
    };
    let role = DigisocClient::build(&config).unwrap().role();
    assert_eq!(role.name(), "referral channel");
    let Role::Referrals(channel) = role else { panic!("a referral channel") };
    assert_eq!(channel.system(), System::Digisoc);
}
