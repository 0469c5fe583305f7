//! The NPAIS adapter against a mock minors' support system built from `schemas/npais/`
//! examples.

use async_trait::async_trait;
use gateway_domain::{
    CareForm, Fact, GapTopic, Organisation, PersonCode, PersonQuery, PersonSource, SourceError, StatusDetail,
    StatusKind, System,
};
use serde_json::Value;
use time::macros::date;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{NpaisClient, NpaisConfig};
use crate::compliance::{
    self, Contract, Fixture, ctx, half, json_reply, mount_rest_source, mount_token, person_query, problem_reply,
    test_oauth, test_transport,
};

const CONTRACT: Contract = Contract::new("npais");
const PROBLEM: &str = "urn:lv:npais:problem";
const SEARCH: &str = "/npais/v1/placements/search";

fn config(server: &MockServer) -> NpaisConfig {
    NpaisConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport: test_transport() }
}

/// The child and months the examples answer for (2026-08-01 to 2026-10-31).
fn child_query() -> PersonQuery {
    PersonQuery { person: PersonCode::parse("32579318462").unwrap(), period: person_query().period }
}

struct NpaisFixture {
    client: NpaisClient,
}

#[async_trait]
impl Fixture for NpaisFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        // The contract has no token example of its own; PMLP's serves.
        mount_token(server, "/oauth2/token", Contract::new("pmlp")).await;
        Self { client: NpaisClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_rest_source(server, "POST", SEARCH, template).await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&child_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("placements"))
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        let statuses: Vec<_> = facts
            .iter()
            .map(|fact| {
                let Fact::Status(status) = fact else { panic!("only statuses") };
                assert_eq!(status.person, child_query().person);
                assert_eq!((status.kind, status.provenance.system), (StatusKind::InOutOfFamilyCare, System::Npais));
                assert!(!status.special_care);
                (status.provenance.record_id.as_str(), status.valid_from, status.valid_to, status.detail.clone())
            })
            .collect();
        let institution = Organisation {
            registration_number: "90000200018".into(),
            name: "Tukuma novada bērnu aprūpes centrs \"Saulstari\"".into(),
        };
        assert_eq!(
            statuses,
            [
                (
                    "npais-000042-01",
                    date!(2025 - 11 - 03),
                    Some(date!(2026 - 08 - 15)),
                    Some(StatusDetail::Placement { form: CareForm::Institution, institution: Some(institution) }),
                ),
                (
                    "npais-000042-02",
                    date!(2026 - 08 - 16),
                    None,
                    Some(StatusDetail::Placement { form: CareForm::FosterFamily, institution: None }),
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
        json_reply(200, half(&CONTRACT.example_json("placements")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("placements").replace("\"foster_family\"", "\"relatives\""))
    }
}

async fn answer(body: String) -> Result<Vec<Fact>, SourceError> {
    let server = MockServer::start().await;
    let fixture = NpaisFixture::start(&server).await;
    fixture.mount(&server, json_reply(200, body)).await;
    fixture.call().await
}

/// The example with its institutional placement's institution left out.
fn without_institution(example: &str) -> String {
    let start = example.find("\"institution\": {").unwrap();
    let end = start + example[start..].find("},").unwrap() + 2;
    format!("{}{}", &example[..start], &example[end..])
}

#[tokio::test]
async fn placements_pass_the_compliance_suite() {
    compliance::run::<NpaisFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["placement-query", "placements", "problem"] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(name)).unwrap();
        assert!(CONTRACT.json_valid(name, &instance), "{name}");
    }
    let example = CONTRACT.example_json("placements");
    let family_with_institution = example.replacen("\"form\": \"institution\"", "\"form\": \"guardianship\"", 1);
    for broken in [
        example.replace("\"foster_family\"", "\"relatives\""),
        example.replace("90000200018", "9000020001"),
        without_institution(&example),
        family_with_institution,
        example.replace("\"validTo\": null", "\"validTo\": \"2026-9-1\""),
    ] {
        assert!(!CONTRACT.json_valid("placements", &serde_json::from_str(&broken).unwrap()), "{broken}");
    }
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    let server = MockServer::start().await;
    let fixture = NpaisFixture::start(&server).await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("placement-query")).unwrap();
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
async fn a_placement_on_none_of_the_days_asked_is_left_out() {
    let example = CONTRACT.example_json("placements");
    // The institutional placement now ends the day before the first day asked.
    let facts = answer(example.replace("\"2026-08-15\"", "\"2026-07-31\"")).await.unwrap();
    let ids: Vec<_> = facts
        .iter()
        .map(|fact| match fact {
            Fact::Status(status) => status.provenance.record_id.as_str(),
            _ => panic!("only statuses"),
        })
        .collect();
    assert_eq!(ids, ["npais-000042-02"]);
    // And the foster family's starts the day after the last.
    let later = example.replace("\"2026-08-15\"", "\"2026-07-31\"").replace("\"2026-08-16\"", "\"2026-11-01\"");
    assert_eq!(answer(later).await.unwrap(), vec![]);
}

#[tokio::test]
async fn an_end_before_the_start_an_institution_missing_or_misplaced_or_an_answer_off_the_contract_is_malformed() {
    let example = CONTRACT.example_json("placements");
    for broken in [
        example.replace("\"2026-08-15\"", "\"2025-08-15\""),
        without_institution(&example),
        example.replacen("\"form\": \"institution\"", "\"form\": \"guardianship\"", 1),
        example.replace("\"foster_family\"", "\"relatives\""),
        example.replace("90000200018", "9000020001"),
        example.replace("\"Tukuma novada bērnu aprūpes centrs \\\"Saulstari\\\"\"", "\"\""),
        example.replace("\"2025-11-03\"", "\"3.11.2025\""),
        example.replace("\"npais-000042-02\"", "\" \""),
        example.replacen("32579318462", "12128211210", 1),
    ] {
        assert_ne!(broken, example);
        assert!(matches!(answer(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn a_malformed_answer_names_no_person_or_institution() {
    let Err(SourceError::Malformed { detail }) =
        answer(without_institution(&CONTRACT.example_json("placements"))).await
    else {
        panic!("malformed")
    };
    for personal in ["32579318462", "Saulstari", "90000200018", "2025"] {
        assert!(!detail.contains(personal), "{detail}");
    }
}

#[tokio::test]
async fn a_child_never_placed_has_no_statuses() {
    assert_eq!(answer(r#"{"personCode":"32579318462","placements":[]}"#.into()).await.unwrap(), vec![]);
}

#[test]
fn a_failure_leaves_statuses_unknown_and_nothing_else() {
    let config = NpaisConfig {
        base_url: "http://127.0.0.1:9".into(),
        token_url: None,
        oauth: test_oauth(),
        transport: test_transport(),
    };
    assert_eq!(NpaisClient::new(&config).unwrap().topics(), [GapTopic::Statuses]);
}
