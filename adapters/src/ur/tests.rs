//! The UR adapter against a mock register built from `schemas/ur/` examples.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, HoldingRole, PersonSource, SourceError, System};
use serde_json::Value;
use time::macros::date;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{UrClient, UrConfig};
use crate::compliance::{
    self, Contract, Fixture, ctx, half, json_reply, mount_rest_source, mount_token, person_query, problem_reply,
    test_oauth, test_transport,
};

const CONTRACT: Contract = Contract::new("ur");
const PROBLEM: &str = "urn:lv:ur:problem";
const SEARCH: &str = "/ur/v1/person-roles/search";

fn config(server: &MockServer) -> UrConfig {
    UrConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport: test_transport() }
}

fn example() -> String {
    CONTRACT.example_json("person-roles")
}

struct UrFixture {
    client: UrClient,
}

#[async_trait]
impl Fixture for UrFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        // The contract has no token example of its own; PMLP's serves.
        mount_token(server, "/oauth2/token", Contract::new("pmlp")).await;
        Self { client: UrClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_rest_source(server, "POST", SEARCH, template).await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&person_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json_reply(200, example())
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        let holdings: Vec<_> = facts
            .iter()
            .map(|fact| {
                let Fact::Holding(holding) = fact else { panic!("only holdings") };
                assert_eq!(holding.person, person_query().person, "the asked person's holding");
                assert_eq!(holding.provenance.system, System::Ur);
                (
                    holding.provenance.record_id.as_str(),
                    holding.company.registration_number.as_str(),
                    holding.company.name.as_str(),
                    holding.role,
                    holding.share.map(|s| (s.numerator(), s.denominator())),
                    holding.since,
                )
            })
            .collect();
        assert_eq!(
            holdings,
            [
                (
                    "ur-40003512784-01",
                    "40003512784",
                    "SIA \"Kalnāju Koks\"",
                    HoldingRole::Shareholder,
                    Some((1400, 2800)),
                    date!(2011 - 04 - 18)
                ),
                (
                    "ur-40003512784-03",
                    "40003512784",
                    "SIA \"Kalnāju Koks\"",
                    HoldingRole::BoardMember,
                    None,
                    date!(2011 - 04 - 18)
                ),
                (
                    "ur-44203087215-02",
                    "44203087215",
                    "SIA \"Engures Zvejnieki\"",
                    HoldingRole::BoardMember,
                    None,
                    date!(2023 - 09 - 01)
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
        json_reply(200, half(&example()))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(200, example().replace("\"sharesHeld\": 1400", "\"sharesHeld\": 2801"))
    }
}

#[tokio::test]
async fn person_roles_pass_the_compliance_suite() {
    compliance::run::<UrFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["person-roles-query", "person-roles", "problem"] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(name)).unwrap();
        assert!(CONTRACT.json_valid(name, &instance), "{name}");
    }
    for broken in [
        example().replace("board_member", "chair"),
        example().replacen("\"sharesHeld\": 1400,", "", 1),
        example().replace("\"role\": \"board_member\",", "\"role\": \"board_member\", \"sharesHeld\": 1,"),
        example().replace("40003512784", "4000351278"),
    ] {
        let instance: Value = serde_json::from_str(&broken).unwrap();
        assert!(!CONTRACT.json_valid("person-roles", &instance), "{broken}");
    }
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    let server = MockServer::start().await;
    let fixture = UrFixture::start(&server).await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("person-roles-query")).unwrap();
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
async fn shares_off_the_company_s_a_board_seat_with_shares_or_a_repeated_role_are_malformed() {
    let example = example();
    for broken in [
        // More shares held than the company has, none held, or none in the company.
        example.replacen("\"sharesHeld\": 1400", "\"sharesHeld\": 2801", 1),
        example.replacen("\"sharesHeld\": 1400", "\"sharesHeld\": 0", 1),
        example.replacen("\"sharesTotal\": 2800", "\"sharesTotal\": 0", 1),
        // A shareholding without its shares, a board seat with some.
        example.replacen("\"sharesHeld\": 1400,", "", 1),
        example.replacen(
            "\"role\": \"board_member\",",
            "\"role\": \"board_member\", \"sharesHeld\": 1, \"sharesTotal\": 2,",
            1,
        ),
        // The same role in one company twice.
        example.replacen(
            "\"role\": \"board_member\"",
            "\"role\": \"shareholder\", \"sharesHeld\": 1, \"sharesTotal\": 2800",
            1,
        ),
        example.replacen("board_member", "chair", 1),
        example.replacen("\"registrationNumber\": \"40003512784\"", "\"registrationNumber\": \"4000351278X\"", 1),
        example.replacen("\"SIA \\\"Engures Zvejnieki\\\"\"", "\" \"", 1),
        example.replacen("2023-09-01", "01.09.2023", 1),
        example.replacen("ur-44203087215-02", "", 1),
        example.replacen("12128211210", "32579318462", 1),
    ] {
        assert_ne!(broken, example, "each case changes the example");
        let server = MockServer::start().await;
        let fixture = UrFixture::start(&server).await;
        fixture.mount(&server, json_reply(200, broken.clone())).await;
        assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn a_person_without_roles_has_no_holdings() {
    let server = MockServer::start().await;
    let fixture = UrFixture::start(&server).await;
    fixture.mount(&server, json_reply(200, r#"{"personCode":"12128211210","roles":[]}"#.into())).await;
    assert_eq!(fixture.call().await.unwrap(), vec![]);
}

#[test]
fn a_failure_leaves_assets_unknown_and_nothing_else() {
    let config = UrConfig {
        base_url: "http://127.0.0.1:9".into(),
        token_url: None,
        oauth: test_oauth(),
        transport: test_transport(),
    };
    assert_eq!(UrClient::new(&config).unwrap().topics(), [GapTopic::Assets]);
}
