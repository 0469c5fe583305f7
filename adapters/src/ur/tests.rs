//! The UR adapter against a mock register built from `schemas/ur/` examples.

use gateway_domain::{Fact, GapTopic, HoldingRole, PersonSource, SourceError, System};
use serde_json::Value;
use time::macros::date;

use super::{UrClient, UrConfig};
use crate::compliance::{self, Contract, RestFixture, RestSource, person_query, test_oauth, test_transport};

/// UR's person-role search, as the shared REST suite asks it.
struct Ur;

type UrFixture = RestFixture<Ur>;

impl RestSource for Ur {
    type Client = UrClient;

    const CONTRACT: Contract = Contract::new("ur");
    const PROBLEM: &'static str = "urn:lv:ur:problem";
    const PATH: &'static str = "/ur/v1/person-roles/search";
    const QUERY: &'static str = "person-roles-query";
    const ANSWER: &'static str = "person-roles";

    fn config(base_url: String) -> UrConfig {
        UrConfig { base_url, token_url: None, oauth: test_oauth(), transport: test_transport() }
    }

    fn malformed(example: &str) -> String {
        example.replace("\"sharesHeld\": 1400", "\"sharesHeld\": 2801")
    }

    fn check_happy(facts: &[Fact]) {
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
}

#[tokio::test]
async fn person_roles_pass_the_compliance_suite() {
    compliance::run::<UrFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    compliance::rest_examples_validate::<Ur>();
    for broken in [
        Ur::example().replace("board_member", "chair"),
        Ur::example().replacen("\"sharesHeld\": 1400,", "", 1),
        Ur::example().replace("\"role\": \"board_member\",", "\"role\": \"board_member\", \"sharesHeld\": 1,"),
        Ur::example().replace("40003512784", "4000351278"),
    ] {
        let instance: Value = serde_json::from_str(&broken).unwrap();
        assert!(!Ur::CONTRACT.json_valid("person-roles", &instance), "{broken}");
    }
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    compliance::rest_request_is_the_example::<Ur>().await;
}

#[tokio::test]
async fn shares_off_the_company_s_a_board_seat_with_shares_or_a_repeated_role_are_malformed() {
    let example = Ur::example();
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
        assert!(matches!(UrFixture::answer(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn a_person_without_roles_has_no_holdings() {
    let answer = UrFixture::answer(r#"{"personCode":"12128211210","roles":[]}"#.into()).await;
    assert_eq!(answer.unwrap(), vec![]);
}

#[test]
fn a_failure_leaves_assets_unknown_and_nothing_else() {
    let client = UrClient::new(&Ur::config("http://127.0.0.1:9".into())).unwrap();
    assert_eq!(client.topics(), [GapTopic::Assets]);
}
