//! The VIIS adapter against a mock education system built from `schemas/viis/` examples.

use gateway_domain::{
    EducationLevel, Fact, GapTopic, Organisation, PersonQuery, PersonSource, SourceError, StatusDetail, StatusKind,
    System,
};
use time::macros::date;

use super::{ViisClient, ViisConfig};
use crate::compliance::{self, Contract, RestFixture, RestSource, child_query, test_oauth, test_transport};

/// VIIS's enrolment search, as the shared REST suite asks it.
struct Viis;

type ViisFixture = RestFixture<Viis>;

impl RestSource for Viis {
    type Client = ViisClient;

    const CONTRACT: Contract = Contract::new("viis");
    const PROBLEM: &'static str = "urn:lv:viis:problem";
    const PATH: &'static str = "/viis/v1/enrolments/search";
    const QUERY: &'static str = "enrolment-query";
    const ANSWER: &'static str = "enrolments";

    fn config(base_url: String) -> ViisConfig {
        ViisConfig { base_url, token_url: None, oauth: test_oauth(), transport: test_transport() }
    }

    fn query() -> PersonQuery {
        child_query()
    }

    fn malformed(example: &str) -> String {
        example.replace("\"basic\"", "\"grade_school\"")
    }

    fn check_happy(facts: &[Fact]) {
        let statuses = compliance::status_rows(facts, &Self::query().person, StatusKind::Enrolled, System::Viis);
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
}

#[tokio::test]
async fn enrolments_pass_the_compliance_suite() {
    compliance::run::<ViisFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    compliance::rest_examples_validate::<Viis>();
    let example = Viis::example();
    for broken in [
        example.replace("\"basic\"", "\"grade_school\""),
        example.replace("90000100113", "9000010011"),
        example.replace("\"fullTime\": true", "\"fullTime\": \"yes\""),
        example.replace("\"validTo\": null", "\"validTo\": \"2026-9-1\""),
    ] {
        assert!(!Viis::CONTRACT.json_valid("enrolments", &serde_json::from_str(&broken).unwrap()), "{broken}");
    }
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    compliance::rest_request_is_the_example::<Viis>().await;
}

#[tokio::test]
async fn an_enrolment_on_none_of_the_days_asked_is_left_out() {
    let example = Viis::example();
    // The pre-school enrolment now ends the day before the first day asked.
    let facts = ViisFixture::answer(example.replace("\"2026-08-31\"", "\"2026-07-31\"")).await.unwrap();
    assert_eq!(compliance::status_ids(&facts), ["viis-000042-02"]);
    // And the basic-school one starts the day after the last.
    let later = example.replace("\"2026-08-31\"", "\"2026-07-31\"").replace("\"2026-09-01\"", "\"2026-11-01\"");
    assert_eq!(ViisFixture::answer(later).await.unwrap(), vec![]);
}

#[tokio::test]
async fn an_end_before_the_start_or_an_answer_off_the_contract_is_malformed() {
    let example = Viis::example();
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
        assert!(matches!(ViisFixture::answer(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn a_malformed_answer_names_no_person_or_institution() {
    let broken = Viis::example().replace("\"2026-08-31\"", "\"2024-08-31\"");
    let answer = ViisFixture::answer(broken).await;
    compliance::assert_malformed_naming_none(answer, &["32579318462", "Zīlīte", "90000100014", "2024"]);
}

#[tokio::test]
async fn a_person_enrolled_nowhere_has_no_statuses() {
    assert_eq!(ViisFixture::answer(r#"{"personCode":"32579318462","enrolments":[]}"#.into()).await.unwrap(), vec![]);
}

#[test]
fn a_failure_leaves_statuses_unknown_and_nothing_else() {
    let client = ViisClient::new(&Viis::config("http://127.0.0.1:9".into())).unwrap();
    assert_eq!(client.topics(), [GapTopic::Statuses]);
}
