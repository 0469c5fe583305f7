//! The VIIS adapter against a mock education system built from `schemas/viis/` examples.

use async_trait::async_trait;
use gateway_domain::{
    EducationLevel, Fact, GapTopic, Organisation, PersonCode, PersonQuery, PersonSource, SourceError, StatusDetail,
    StatusKind, System,
};
use serde_json::Value;
use time::macros::date;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{ViisClient, ViisConfig};
use crate::compliance::{
    self, Contract, Fixture, ctx, half, json_reply, mount_rest_source, mount_token, person_query, problem_reply,
    test_oauth, test_transport,
};

const CONTRACT: Contract = Contract::new("viis");
const PROBLEM: &str = "urn:lv:viis:problem";
const SEARCH: &str = "/viis/v1/enrolments/search";

fn config(server: &MockServer) -> ViisConfig {
    ViisConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport: test_transport() }
}

/// The child and months the examples answer for (2026-08-01 to 2026-10-31).
fn child_query() -> PersonQuery {
    PersonQuery { person: PersonCode::parse("32579318462").unwrap(), period: person_query().period }
}

struct ViisFixture {
    client: ViisClient,
}

#[async_trait]
impl Fixture for ViisFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        // The contract has no token example of its own; PMLP's serves.
        mount_token(server, "/oauth2/token", Contract::new("pmlp")).await;
        Self { client: ViisClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_rest_source(server, "POST", SEARCH, template).await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&child_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("enrolments"))
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        let statuses: Vec<_> = facts
            .iter()
            .map(|fact| {
                let Fact::Status(status) = fact else { panic!("only statuses") };
                assert_eq!(status.person, child_query().person);
                assert_eq!((status.kind, status.provenance.system), (StatusKind::Enrolled, System::Viis));
                assert!(!status.special_care);
                (status.provenance.record_id.as_str(), status.valid_from, status.valid_to, status.detail.clone())
            })
            .collect();
        let enrolment = |number: &str, name: &str, level| {
            Some(StatusDetail::Enrolment {
                institution: Organisation { registration_number: number.into(), name: name.into() },
                level,
                full_time: true,
            })
        };
        assert_eq!(
            statuses,
            [
                (
                    "viis-000042-01",
                    date!(2024 - 09 - 01),
                    Some(date!(2026 - 08 - 31)),
                    enrolment(
                        "90000100014",
                        "Tukuma pirmsskolas izglītības iestāde \"Zīlīte\"",
                        EducationLevel::PreSchool
                    ),
                ),
                (
                    "viis-000042-02",
                    date!(2026 - 09 - 01),
                    None,
                    enrolment("90000100113", "Tukuma Dzirnavu pamatskola", EducationLevel::Basic),
                ),
            ]
        );
    }

    fn not_found(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 404, "not-found")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 403, "forbidden")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(200, half(&CONTRACT.example_json("enrolments")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("enrolments").replace("\"basic\"", "\"grade_school\""))
    }
}

async fn answer(body: String) -> Result<Vec<Fact>, SourceError> {
    let server = MockServer::start().await;
    let fixture = ViisFixture::start(&server).await;
    fixture.mount(&server, json_reply(200, body)).await;
    fixture.call().await
}

#[tokio::test]
async fn enrolments_pass_the_compliance_suite() {
    compliance::run::<ViisFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for (schema, example) in
        [("enrolment-query", "enrolment-query"), ("enrolments", "enrolments"), ("problem", "problem")]
    {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(example)).unwrap();
        assert!(CONTRACT.json_valid(schema, &instance), "{example}");
    }
    let example = CONTRACT.example_json("enrolments");
    for broken in [
        example.replace("\"basic\"", "\"grade_school\""),
        example.replace("90000100113", "9000010011"),
        example.replace("\"fullTime\": true", "\"fullTime\": \"yes\""),
        example.replace("\"validTo\": null", "\"validTo\": \"2026-9-1\""),
    ] {
        assert!(!CONTRACT.json_valid("enrolments", &serde_json::from_str(&broken).unwrap()), "{broken}");
    }
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    let server = MockServer::start().await;
    let fixture = ViisFixture::start(&server).await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("enrolment-query")).unwrap();
    Mock::given(method("POST"))
        .and(path(SEARCH))
        .and(body_json(&expected))
        .respond_with(fixture.happy())
        .expect(1)
        .mount(&server)
        .await;
    fixture.call().await.unwrap();
}

#[tokio::test]
async fn an_enrolment_on_none_of_the_days_asked_is_left_out() {
    let example = CONTRACT.example_json("enrolments");
    // The pre-school enrolment now ends the day before the first day asked.
    let facts = answer(example.replace("\"2026-08-31\"", "\"2026-07-31\"")).await.unwrap();
    let ids: Vec<_> = facts
        .iter()
        .map(|fact| match fact {
            Fact::Status(status) => status.provenance.record_id.as_str(),
            _ => panic!("only statuses"),
        })
        .collect();
    assert_eq!(ids, ["viis-000042-02"]);
    // And the basic-school one starts the day after the last.
    let later = example.replace("\"2026-08-31\"", "\"2026-07-31\"").replace("\"2026-09-01\"", "\"2026-11-01\"");
    assert_eq!(answer(later).await.unwrap(), vec![]);
}

#[tokio::test]
async fn an_end_before_the_start_or_an_answer_off_the_contract_is_malformed() {
    let example = CONTRACT.example_json("enrolments");
    for broken in [
        example.replace("\"2026-08-31\"", "\"2024-08-31\""),
        example.replace("\"basic\"", "\"grade_school\""),
        example.replace("90000100113", "9000010011"),
        example.replace("90000100113", "9000010011X"),
        example.replace("\"Tukuma Dzirnavu pamatskola\"", "\" \""),
        example.replace("\"2024-09-01\"", "\"2024-9-1\""),
        example.replace("\"viis-000042-02\"", "\"\""),
        example.replacen("32579318462", "12128211210", 1),
    ] {
        assert!(matches!(answer(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn a_malformed_answer_names_no_person_or_institution() {
    let broken = CONTRACT.example_json("enrolments").replace("\"2026-08-31\"", "\"2024-08-31\"");
    let Err(SourceError::Malformed { detail }) = answer(broken).await else { panic!("malformed") };
    for personal in ["32579318462", "Zīlīte", "90000100014", "2024"] {
        assert!(!detail.contains(personal), "{detail}");
    }
}

#[tokio::test]
async fn a_person_enrolled_nowhere_has_no_statuses() {
    assert_eq!(answer(r#"{"personCode":"32579318462","enrolments":[]}"#.into()).await.unwrap(), vec![]);
}

#[test]
fn a_failure_leaves_statuses_unknown_and_nothing_else() {
    let config = ViisConfig {
        base_url: "http://127.0.0.1:9".into(),
        token_url: None,
        oauth: test_oauth(),
        transport: test_transport(),
    };
    assert_eq!(ViisClient::new(&config).unwrap().topics(), [GapTopic::Statuses]);
}
