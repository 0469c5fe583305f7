//! The VID adapter against a mock employment service built from `schemas/vid/` examples.

use gateway_domain::{Fact, IncomeKind, Money, Organisation, PersonSource, SourceError, StatusDetail, StatusKind};
use secrecy::SecretString;
use time::macros::date;

use super::{VidClient, VidConfig};
use crate::compliance::{self, Contract, SoapFixture, SoapSource, soap_source_config, test_transport};

/// VID's employment operation, as the shared SOAP suite calls it.
struct Vid;

type VidFixture = SoapFixture<Vid>;

impl SoapSource for Vid {
    type Client = VidClient;

    const CONTRACT: Contract = Contract::new("vid");
    const PATH: &'static str = "/vid/employment/v1";
    const ACTION: &'static str = "urn:lv:vid:employment:v1:GetPersonEmployment";
    const REQUEST: &'static str = "get-person-employment-request";
    const RESPONSE: &'static str = "get-person-employment-response";
    const PREFIX: &'static str = "emp";

    fn config(base_url: String) -> VidConfig {
        soap_source_config!(VidConfig, base_url)
    }

    fn malformed(example: &str) -> String {
        example.replace("740.5", "740,50")
    }

    fn check_happy(facts: &[Fact]) {
        let incomes: Vec<_> = facts
            .iter()
            .filter_map(|fact| match fact {
                Fact::Income(i) => Some((
                    i.month.to_string(),
                    i.kind,
                    i.amount,
                    i.employer.clone(),
                    i.scheme.clone(),
                    i.provenance.record_id.as_str(),
                )),
                _ => None,
            })
            .collect();
        let employment = IncomeKind::EmploymentIncome;
        assert_eq!(
            incomes,
            vec![
                (
                    "2026-08".into(),
                    employment,
                    Money::from_cents(103_456),
                    Some(koks()),
                    None,
                    "vid-2026-08-000042-40003123451"
                ),
                (
                    "2026-09".into(),
                    employment,
                    Money::from_cents(74_050),
                    Some(koks()),
                    None,
                    "vid-2026-09-000042-40003123451"
                ),
                (
                    "2026-09".into(),
                    employment,
                    Money::from_cents(24_700),
                    Some(maiznica()),
                    None,
                    "vid-2026-09-000042-40103654327"
                ),
            ]
        );
        let statuses: Vec<_> = facts
            .iter()
            .filter_map(|fact| match fact {
                Fact::Status(s) => Some((
                    s.kind,
                    s.special_care,
                    s.valid_from,
                    s.valid_to,
                    s.detail.clone(),
                    s.provenance.record_id.as_str(),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            statuses,
            vec![
                (
                    StatusKind::Employed,
                    false,
                    date!(2019 - 03 - 18),
                    None,
                    Some(StatusDetail::Workplace { employer: koks() }),
                    "vid-emp-000042-01"
                ),
                (
                    StatusKind::Employed,
                    false,
                    date!(2026 - 08 - 24),
                    Some(date!(2026 - 09 - 30)),
                    Some(StatusDetail::Workplace { employer: maiznica() }),
                    "vid-emp-000042-02"
                ),
            ]
        );
        assert_eq!(facts.len(), 5, "VID reports incomes and workplaces only");
    }
}

fn koks() -> Organisation {
    Organisation { registration_number: "40003123451".into(), name: "SIA Kurzemes Koks".into() }
}

fn maiznica() -> Organisation {
    Organisation { registration_number: "40103654327".into(), name: "SIA Tukuma Maiznīca".into() }
}

/// The facts VID reports for the example answer with `from` replaced by `to` once.
async fn fetch_edited(from: &str, to: &str) -> Result<Vec<Fact>, SourceError> {
    fetch_edits(&[(from, to)]).await
}

/// The same with several replacements, each once.
async fn fetch_edits(edits: &[(&str, &str)]) -> Result<Vec<Fact>, SourceError> {
    let mut body = Vid::example();
    for (from, to) in edits {
        assert!(body.contains(from), "{from}");
        body = body.replacen(from, to, 1);
    }
    VidFixture::answer(body).await
}

fn workplaces(facts: &[Fact]) -> Vec<&str> {
    facts
        .iter()
        .filter_map(|fact| match fact {
            Fact::Status(s) => Some(s.provenance.record_id.as_str()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn get_person_employment_passes_the_compliance_suite() {
    compliance::run::<VidFixture>().await;
}

#[test]
fn every_example_validates_against_the_schemas() {
    compliance::soap_examples_validate::<Vid>();
    let response = Vid::example();
    assert!(!Vid::CONTRACT.xsd_valid(&response.replace("40103654327", "4010365432")));
    assert!(!Vid::CONTRACT.xsd_valid(&response.replace("<emp:StartDate>2019-03-18", "<emp:StartDate>18.03.2019")));
}

#[tokio::test]
async fn the_request_envelope_validates_and_carries_who_asks_and_why() {
    let body = compliance::soap_request_envelope::<Vid>().await;
    for expected in [
        "<PersonCode>12128211210</PersonCode>",
        "<FromMonth>2026-08</FromMonth>",
        "<ToMonth>2026-10</ToMonth>",
        "<Purpose>means_test</Purpose>",
        "<Officer>caseworker-17</Officer>",
        "<Institution>90000000001</Institution>",
        "<wsse:Username>tukums-social-service</wsse:Username>",
    ] {
        assert!(body.contains(expected), "{expected}");
    }
}

#[tokio::test]
async fn other_namespace_prefixes_parse_the_same() {
    compliance::soap_other_prefixes_parse_the_same::<Vid>().await;
}

#[tokio::test]
async fn an_empty_answer_is_no_employment_not_an_error() {
    compliance::soap_empty_answer_has_no_facts::<Vid>("Income", "Employment").await;
}

#[tokio::test]
async fn workplaces_that_do_not_overlap_the_period_are_dropped() {
    // Ended before the period begins.
    let ended = fetch_edits(&[
        ("<emp:StartDate>2026-08-24", "<emp:StartDate>2026-06-01"),
        ("<emp:EndDate>2026-09-30", "<emp:EndDate>2026-07-31"),
    ])
    .await;
    // Starts after the period ends (2026-10-31), the other one still open.
    let later = fetch_edited("<emp:StartDate>2019-03-18", "<emp:StartDate>2026-11-02").await;
    assert_eq!(workplaces(&ended.unwrap()), ["vid-emp-000042-01"]);
    assert_eq!(workplaces(&later.unwrap()), ["vid-emp-000042-02"]);
    // Touching the period's first and last day is overlapping.
    let first_day = fetch_edits(&[
        ("<emp:StartDate>2026-08-24", "<emp:StartDate>2026-06-01"),
        ("<emp:EndDate>2026-09-30", "<emp:EndDate>2026-08-01"),
    ])
    .await
    .unwrap();
    assert_eq!(workplaces(&first_day).len(), 2);
    let last_day = fetch_edited("<emp:StartDate>2019-03-18", "<emp:StartDate>2026-10-31").await.unwrap();
    assert_eq!(workplaces(&last_day).len(), 2);
}

#[tokio::test]
async fn bad_values_are_malformed_without_personal_data_in_the_detail() {
    let cases = [
        ("<emp:Month>2026-08", "<emp:Month>2026-05"),
        ("<emp:Month>2026-08", "<emp:Month>2026-8"),
        ("<emp:RegistrationNumber>40003123451", "<emp:RegistrationNumber>4000312345X"),
        ("<emp:RegistrationNumber>40003123451", "<emp:RegistrationNumber>400031234"),
        ("<emp:Name>SIA Kurzemes Koks", "<emp:Name> "),
        ("<emp:Gross>1450.00", "<emp:Gross>1 450"),
        ("<emp:AfterTax>1034.56", "<emp:AfterTax>-1034.56"),
        ("<emp:StartDate>2026-08-24", "<emp:StartDate>2026-10-01"),
        ("<emp:StartDate>2019-03-18", "<emp:StartDate>18.03.2019"),
        ("<emp:PersonCode>12128211210", "<emp:PersonCode>01010112345"),
    ];
    for (from, to) in cases {
        match fetch_edited(from, to).await {
            Err(SourceError::Malformed { detail }) => {
                for personal in ["12128211210", "Kurzemes", "1034", "2019-03-18"] {
                    assert!(!detail.contains(personal), "{detail}");
                }
            }
            other => panic!("{to}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn faults_map_to_their_meaning() {
    for (code, unavailable) in [("SERVICE_UNAVAILABLE", true), ("PERIOD_TOO_LONG", false)] {
        let result = VidFixture::answer_with(Vid::CONTRACT.person_fault(code)).await;
        if unavailable {
            assert!(matches!(result, Err(SourceError::Unavailable { .. })), "{result:?}");
        } else {
            assert!(matches!(&result, Err(SourceError::Rejected { code: c }) if c == code), "{result:?}");
        }
    }
}

#[test]
fn vid_reports_incomes_and_statuses() {
    let client = VidClient::new(&VidConfig {
        base_url: "http://127.0.0.1:9".into(),
        institution: "90000000001".into(),
        username: "u".into(),
        password: SecretString::from("p"),
        transport: test_transport(),
    })
    .unwrap();
    assert_eq!(client.topics(), [gateway_domain::GapTopic::Incomes, gateway_domain::GapTopic::Statuses]);
    assert_eq!(client.system(), gateway_domain::System::Vid);
}
