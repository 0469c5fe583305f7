//! The NPAIS adapter against a mock minors' support system built from `schemas/npais/`
//! examples.

use gateway_domain::{
    CareForm, Fact, GapTopic, Organisation, PersonQuery, PersonSource, SourceError, StatusDetail, StatusKind, System,
};
use time::macros::date;

use super::{NpaisClient, NpaisConfig};
use crate::compliance::{self, Contract, RestFixture, RestSource, child_query, test_oauth, test_transport};

/// NPAIS's placement search, as the shared REST suite asks it.
struct Npais;

type NpaisFixture = RestFixture<Npais>;

impl RestSource for Npais {
    type Client = NpaisClient;

    const CONTRACT: Contract = Contract::new("npais");
    const PROBLEM: &'static str = "urn:lv:npais:problem";
    const PATH: &'static str = "/npais/v1/placements/search";
    const QUERY: &'static str = "placement-query";
    const ANSWER: &'static str = "placements";

    fn config(base_url: String) -> NpaisConfig {
        NpaisConfig { base_url, token_url: None, oauth: test_oauth(), transport: test_transport() }
    }

    fn query() -> PersonQuery {
        child_query()
    }

    fn malformed(example: &str) -> String {
        example.replace("\"foster_family\"", "\"relatives\"")
    }

    fn check_happy(facts: &[Fact]) {
        let statuses =
            compliance::status_rows(facts, &Self::query().person, StatusKind::InOutOfFamilyCare, System::Npais);
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
    compliance::rest_examples_validate::<Npais>();
    let example = Npais::example();
    let family_with_institution = example.replacen("\"form\": \"institution\"", "\"form\": \"guardianship\"", 1);
    for broken in [
        example.replace("\"foster_family\"", "\"relatives\""),
        example.replace("90000200018", "9000020001"),
        without_institution(&example),
        family_with_institution,
        example.replace("\"validTo\": null", "\"validTo\": \"2026-9-1\""),
    ] {
        assert!(!Npais::CONTRACT.json_valid("placements", &serde_json::from_str(&broken).unwrap()), "{broken}");
    }
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    compliance::rest_request_is_the_example::<Npais>().await;
}

#[tokio::test]
async fn a_placement_on_none_of_the_days_asked_is_left_out() {
    let example = Npais::example();
    // The institutional placement now ends the day before the first day asked.
    let facts = NpaisFixture::answer(example.replace("\"2026-08-15\"", "\"2026-07-31\"")).await.unwrap();
    assert_eq!(compliance::status_ids(&facts), ["npais-000042-02"]);
    // And the foster family's starts the day after the last.
    let later = example.replace("\"2026-08-15\"", "\"2026-07-31\"").replace("\"2026-08-16\"", "\"2026-11-01\"");
    assert_eq!(NpaisFixture::answer(later).await.unwrap(), vec![]);
}

#[tokio::test]
async fn an_end_before_the_start_an_institution_missing_or_misplaced_or_an_answer_off_the_contract_is_malformed() {
    let example = Npais::example();
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
        assert!(matches!(NpaisFixture::answer(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn a_malformed_answer_names_no_person_or_institution() {
    let answer = NpaisFixture::answer(without_institution(&Npais::example())).await;
    compliance::assert_malformed_naming_none(answer, &["32579318462", "Saulstari", "90000200018", "2025"]);
}

#[tokio::test]
async fn a_child_never_placed_has_no_statuses() {
    assert_eq!(NpaisFixture::answer(r#"{"personCode":"32579318462","placements":[]}"#.into()).await.unwrap(), vec![]);
}

#[test]
fn a_failure_leaves_statuses_unknown_and_nothing_else() {
    let client = NpaisClient::new(&Npais::config("http://127.0.0.1:9".into())).unwrap();
    assert_eq!(client.topics(), [GapTopic::Statuses]);
}
