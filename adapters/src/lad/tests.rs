//! The LAD adapter against a mock service built from `schemas/lad/` examples.

use async_trait::async_trait;
use gateway_domain::{
    Fact, GapTopic, IncomeKind, Money, Month, Period, PersonQuery, PersonSource, SourceError, SupportScheme, System,
};
use serde_json::Value;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{LadClient, LadConfig};
use crate::compliance::{
    self, Contract, Fixture, ctx, half, json_reply, mount_rest_source, mount_token, person_query, problem_reply,
    test_oauth, test_transport,
};

const CONTRACT: Contract = Contract::new("lad");
const PROBLEM: &str = "urn:lv:lad:problem";
const SEARCH: &str = "/lad/v1/support-payments/search";
const ISIP: &str = "Ilgtspēju sekmējošais ienākumu pamatatbalsts";

fn config(server: &MockServer) -> LadConfig {
    LadConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport: test_transport() }
}

/// The farmer and months the examples answer for: one claim year's advances and balances.
fn farmer_query() -> PersonQuery {
    let period = Period::new(Month::parse("2025-10").unwrap(), Month::parse("2026-03").unwrap()).unwrap();
    PersonQuery { person: person_query().person, period }
}

fn example() -> String {
    CONTRACT.example_json("support-payments")
}

struct LadFixture {
    client: LadClient,
}

#[async_trait]
impl Fixture for LadFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        // The contract has no token example of its own; PMLP's serves.
        mount_token(server, "/oauth2/token", Contract::new("pmlp")).await;
        Self { client: LadClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_rest_source(server, "POST", SEARCH, template).await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&farmer_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json_reply(200, example())
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        let incomes: Vec<_> = facts
            .iter()
            .map(|fact| {
                let Fact::Income(income) = fact else { panic!("only incomes") };
                assert_eq!(income.person, farmer_query().person, "the applicant's income");
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
        json_reply(200, example().replace("\"1377.60\"", "\"1377,60\""))
    }
}

async fn answer_to(body: String) -> Result<Vec<Fact>, SourceError> {
    let server = MockServer::start().await;
    let fixture = LadFixture::start(&server).await;
    fixture.mount(&server, json_reply(200, body)).await;
    fixture.call().await
}

#[tokio::test]
async fn support_payments_pass_the_compliance_suite() {
    compliance::run::<LadFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["support-query", "support-payments", "problem"] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(name)).unwrap();
        assert!(CONTRACT.json_valid(name, &instance), "{name}");
    }
    for broken in [
        example().replacen("\"schemeCode\": \"ISIP\"", "\"schemeCode\": \"isip\"", 1),
        example().replacen("\"1377.60\"", "1377.60", 1),
        example().replacen(", \"amount\": \"1377.60\"", "", 1),
    ] {
        assert!(!CONTRACT.json_valid("support-payments", &serde_json::from_str(&broken).unwrap()), "{broken}");
    }
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    let server = MockServer::start().await;
    let fixture = LadFixture::start(&server).await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("support-query")).unwrap();
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
async fn a_scheme_the_adapter_does_not_know_is_kept_as_the_service_names_it() {
    let renamed = example().replacen(
        "\"schemeCode\": \"ADSI\", \"schemeName\": \"Maksājumi apgabaliem, kuros ir dabas vai citi specifiski ierobežojumi\"",
        "\"schemeCode\": \"EKO9\", \"schemeName\": \" Jauna ekoshēma \"",
        1,
    );
    assert_ne!(renamed, example(), "the example names ADSI as the test expects");
    let facts = answer_to(renamed).await.unwrap();
    assert_eq!(facts.len(), 5);
    let Fact::Income(income) = &facts[1] else { panic!("only incomes") };
    assert_eq!(income.scheme, Some(SupportScheme { code: "EKO9".into(), name: "Jauna ekoshēma".into() }));
    assert_eq!((income.kind, income.amount), (IncomeKind::AgriculturalSupport, Money::from_cents(94_095)));
}

#[tokio::test]
async fn payments_without_a_valid_month_amount_or_scheme_are_malformed() {
    let example = example();
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
        assert!(matches!(answer_to(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn payments_outside_the_period_twice_in_a_month_or_about_another_person_are_malformed() {
    let example = example();
    for broken in [
        example.replacen("\"month\": \"2025-10\"", "\"month\": \"2025-09\"", 1),
        example.replacen("\"month\": \"2026-03\"", "\"month\": \"2026-04\"", 1),
        example.replacen("\"month\": \"2026-03\"", "\"month\": \"2025-10\"", 1),
        example.replacen("12128211210", "32579318462", 1),
    ] {
        assert_ne!(broken, example, "each case changes the example");
        assert!(matches!(answer_to(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn two_schemes_in_one_month_are_two_incomes() {
    let facts = answer_to(example()).await.unwrap();
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
    let facts = answer_to(r#"{"personCode":"12128211210","payments":[]}"#.into()).await.unwrap();
    assert_eq!(facts, vec![]);
}

#[test]
fn a_failure_leaves_incomes_unknown_and_nothing_else() {
    let config = LadConfig {
        base_url: "http://127.0.0.1:9".into(),
        token_url: None,
        oauth: test_oauth(),
        transport: test_transport(),
    };
    assert_eq!(LadClient::new(&config).unwrap().topics(), [GapTopic::Incomes]);
}
