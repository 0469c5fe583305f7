//! The LAD adapter against a mock service built from `schemas/lad/` examples.

use gateway_domain::{
    Fact, GapTopic, IncomeKind, Money, Month, Period, PersonQuery, PersonSource, SourceError, SupportScheme, System,
};

use super::{LadClient, LadConfig};
use crate::compliance::{self, Contract, RestFixture, RestSource, person_query, test_oauth, test_transport};

const ISIP: &str = "Ilgtspēju sekmējošais ienākumu pamatatbalsts";

/// LAD's support-payment search, as the shared REST suite asks it.
struct Lad;

type LadFixture = RestFixture<Lad>;

impl RestSource for Lad {
    type Client = LadClient;

    const CONTRACT: Contract = Contract::new("lad");
    const PROBLEM: &'static str = "urn:lv:lad:problem";
    const PATH: &'static str = "/lad/v1/support-payments/search";
    const QUERY: &'static str = "support-query";
    const ANSWER: &'static str = "support-payments";

    fn config(base_url: String) -> LadConfig {
        LadConfig { base_url, token_url: None, oauth: test_oauth(), transport: test_transport() }
    }

    /// The farmer and months the examples answer for: one claim year's advances and balances.
    fn query() -> PersonQuery {
        let period = Period::new(Month::parse("2025-10").unwrap(), Month::parse("2026-03").unwrap()).unwrap();
        PersonQuery { person: person_query().person, period }
    }

    fn malformed(example: &str) -> String {
        example.replace("\"1377.60\"", "\"1377,60\"")
    }

    fn check_happy(facts: &[Fact]) {
        let incomes: Vec<_> = facts
            .iter()
            .map(|fact| {
                let Fact::Income(income) = fact else { panic!("only incomes") };
                assert_eq!(income.person, Self::query().person, "the applicant's income");
                assert_eq!((income.kind, income.provenance.system), (IncomeKind::AgriculturalSupport, System::Lad));
                assert_eq!(income.employer, None, "support has no employer");
                let scheme = income.scheme.as_ref().expect("every payment names its scheme");
                (income.month.to_string(), scheme.code.as_str(), income.amount, income.provenance.record_id.as_str())
            })
            .collect();
        assert_eq!(
            incomes,
            [
                ("2025-10".to_owned(), "ISIP", Money::from_cents(137_760), "lad-2025-10-000042-ISIP"),
                ("2025-11".to_owned(), "ADSI", Money::from_cents(94_095), "lad-2025-11-000042-ADSI"),
                ("2026-01".to_owned(), "JAL", Money::from_cents(86_001), "lad-2026-01-000042-JAL"),
                ("2026-01".to_owned(), "PPIA", Money::from_cents(115_020), "lad-2026-01-000042-PPIA"),
                ("2026-03".to_owned(), "ISIP", Money::from_cents(59_040), "lad-2026-03-000042-ISIP"),
            ]
        );
        let Fact::Income(first) = &facts[0] else { unreachable!() };
        assert_eq!(first.scheme, Some(SupportScheme { code: "ISIP".into(), name: ISIP.into() }));
    }
}

#[tokio::test]
async fn support_payments_pass_the_compliance_suite() {
    compliance::run::<LadFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    compliance::rest_examples_validate::<Lad>();
    for broken in [
        Lad::example().replacen("\"schemeCode\": \"ISIP\"", "\"schemeCode\": \"isip\"", 1),
        Lad::example().replacen("\"1377.60\"", "1377.60", 1),
        Lad::example().replacen(", \"amount\": \"1377.60\"", "", 1),
    ] {
        assert!(!Lad::CONTRACT.json_valid("support-payments", &serde_json::from_str(&broken).unwrap()), "{broken}");
    }
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    compliance::rest_request_is_the_example::<Lad>().await;
}

#[tokio::test]
async fn a_scheme_the_adapter_does_not_know_is_kept_as_the_service_names_it() {
    let renamed = Lad::example().replacen(
        "\"schemeCode\": \"ADSI\", \"schemeName\": \"Maksājumi apgabaliem, kuros ir dabas vai citi specifiski ierobežojumi\"",
        "\"schemeCode\": \"EKO9\", \"schemeName\": \" Jauna ekoshēma \"",
        1,
    );
    assert_ne!(renamed, Lad::example(), "the example names ADSI as the test expects");
    let facts = LadFixture::answer(renamed).await.unwrap();
    assert_eq!(facts.len(), 5);
    let Fact::Income(income) = &facts[1] else { panic!("only incomes") };
    assert_eq!(income.scheme, Some(SupportScheme { code: "EKO9".into(), name: "Jauna ekoshēma".into() }));
    assert_eq!((income.kind, income.amount), (IncomeKind::AgriculturalSupport, Money::from_cents(94_095)));
}

#[tokio::test]
async fn payments_without_a_valid_month_amount_or_scheme_are_malformed() {
    let example = Lad::example();
    for broken in [
        example.replacen(", \"amount\": \"1377.60\"", "", 1),
        example.replacen("\"month\": \"2025-10\", ", "", 1),
        example.replacen("\"month\": \"2025-10\"", "\"month\": \"2025-13\"", 1),
        example.replacen("\"month\": \"2025-10\"", "\"month\": \"2025/10\"", 1),
        example.replacen("\"1377.60\"", "1377.60", 1),
        example.replacen("\"1377.60\"", "\"1377.605\"", 1),
        example.replacen("\"1377.60\"", "\"0\"", 1),
        example.replacen("\"1377.60\"", "\"-1377.60\"", 1),
        example.replacen("\"schemeCode\": \"ISIP\"", "\"schemeCode\": \" \"", 1),
        example.replacen(&format!("\"schemeName\": \"{ISIP}\""), "\"schemeName\": \"\"", 1),
        example.replacen("\"lad-2025-10-000042-ISIP\"", "\"\"", 1),
    ] {
        assert_ne!(broken, example, "each case changes the example");
        assert!(matches!(LadFixture::answer(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn payments_outside_the_period_twice_in_a_month_or_about_another_person_are_malformed() {
    let example = Lad::example();
    for broken in [
        example.replacen("\"month\": \"2025-10\"", "\"month\": \"2025-09\"", 1),
        example.replacen("\"month\": \"2026-03\"", "\"month\": \"2026-04\"", 1),
        example.replacen("\"month\": \"2026-03\"", "\"month\": \"2025-10\"", 1),
        example.replacen("12128211210", "32579318462", 1),
    ] {
        assert_ne!(broken, example, "each case changes the example");
        assert!(matches!(LadFixture::answer(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn two_schemes_in_one_month_are_two_incomes() {
    let facts = LadFixture::answer(Lad::example()).await.unwrap();
    let january: Vec<_> = facts
        .iter()
        .filter_map(|fact| match fact {
            Fact::Income(income) if income.month.to_string() == "2026-01" => income.scheme.clone(),
            _ => None,
        })
        .map(|scheme| scheme.code)
        .collect();
    assert_eq!(january, ["JAL", "PPIA"]);
}

#[tokio::test]
async fn a_person_the_service_paid_nothing_has_no_incomes() {
    let facts = LadFixture::answer(r#"{"personCode":"12128211210","payments":[]}"#.into()).await.unwrap();
    assert_eq!(facts, vec![]);
}

#[test]
fn a_failure_leaves_incomes_unknown_and_nothing_else() {
    let client = LadClient::new(&Lad::config("http://127.0.0.1:9".into())).unwrap();
    assert_eq!(client.topics(), [GapTopic::Incomes]);
}
