//! Tests of the VSAA simulator over HTTP: answers and faults against `schemas/vsaa/` and
//! against the population's incomes.

use gateway_domain::{Month, Period, System};

use super::response::kind_code;
use crate::Simulators;
use crate::soap::testing::SoapCall;
use crate::test_support::{EXAMPLE_REQUEST_ID, test_population, texts, unknown_code, xsd_check};

const ACTION: &str = "\"urn:lv:vsaa:income:v1:GetPersonIncomes\"";
const SCHEMA: &str = "vsaa/validate.xsd";
const CALL: SoapCall =
    SoapCall { system: System::Vsaa, path: "/vsaa/income/v1", action: ACTION, schema: SCHEMA, prefix: "inc" };

/// The parts of a request a test varies.
struct Envelope<'a> {
    username: &'a str,
    password: &'a str,
    header: bool,
    request_id: &'a str,
    code: &'a str,
    from: &'a str,
    to: &'a str,
}

impl<'a> Envelope<'a> {
    fn new(simulators: &'a Simulators, code: &'a str, from: &'a str, to: &'a str) -> Self {
        let credentials = simulators.credentials();
        Self {
            username: &credentials.vsaa_username,
            password: &credentials.vsaa_password,
            header: true,
            request_id: EXAMPLE_REQUEST_ID,
            code,
            from,
            to,
        }
    }

    /// The request as the example writes it, with the `soap`, `wsse` and `inc` prefixes.
    fn xml(&self) -> String {
        let header = if self.header {
            format!(
                "<inc:RequestHeader><inc:Institution>90000000001</inc:Institution>\
                 <inc:Officer>caseworker-17</inc:Officer><inc:Purpose>means_test</inc:Purpose>\
                 <inc:LegalBasis>Social Services and Social Assistance Law, art. 33</inc:LegalBasis>\
                 <inc:RequestId>{}</inc:RequestId></inc:RequestHeader>",
                escape(self.request_id)
            )
        } else {
            String::new()
        };
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:inc="urn:lv:vsaa:income:v1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">
  <soap:Header>
    <wsse:Security><wsse:UsernameToken><wsse:Username>{}</wsse:Username><wsse:Password>{}</wsse:Password></wsse:UsernameToken></wsse:Security>
    {header}
  </soap:Header>
  <soap:Body>
    <inc:GetPersonIncomesRequest><inc:PersonCode>{}</inc:PersonCode><inc:FromMonth>{}</inc:FromMonth><inc:ToMonth>{}</inc:ToMonth></inc:GetPersonIncomesRequest>
  </soap:Body>
</soap:Envelope>"#,
            escape(self.username),
            escape(self.password),
            self.code,
            self.from,
            self.to
        )
    }
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

#[tokio::test]
async fn incomes_are_served_per_the_schema_and_match_the_population() {
    let simulators = Simulators::start_all(test_population()).await;
    let population = simulators.population().clone();
    let period = Period::new(Month::parse("2024-11").expect("month"), Month::parse("2026-10").expect("month"))
        .expect("a 24-month period");
    let mut with_incomes = 0;
    for person in population.persons().iter().step_by(83) {
        let envelope = Envelope::new(&simulators, person.code.as_str(), "2024-11", "2026-10");
        let (status, body) = CALL.post(&simulators, envelope.xml()).await;
        assert_eq!(status, 200);
        assert!(texts(&body, "inc:PersonCode") == [person.code.as_str()], "another person's incomes");
        let expected = population.incomes(&person.code, period);
        with_incomes += usize::from(!expected.is_empty());
        assert_eq!(texts(&body, "inc:RecordId"), expected.iter().map(|i| i.record_id.clone()).collect::<Vec<_>>());
        assert_eq!(texts(&body, "inc:Month"), expected.iter().map(|i| i.month.to_string()).collect::<Vec<_>>());
        assert_eq!(
            texts(&body, "inc:Kind"),
            expected.iter().map(|i| kind_code(i.kind).unwrap_or_default().to_owned()).collect::<Vec<_>>()
        );
        let amounts = texts(&body, "inc:Amount");
        let expected_amounts: Vec<String> = expected.iter().map(|i| i.amount.to_decimal_string()).collect();
        assert!(amounts == expected_amounts, "amounts differ from the population's");
    }
    assert!(with_incomes > 5);
    assert_eq!(simulators.received_requests(System::Vsaa).await, population.persons().len().div_ceil(83));
}

#[tokio::test]
async fn other_prefixes_and_a_default_namespace_are_understood() {
    let simulators = Simulators::start_all(test_population()).await;
    let person = &simulators.population().persons()[5];
    let credentials = simulators.credentials();
    let body = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
  <s:Header>
    <sec:Security xmlns:sec="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">
      <sec:UsernameToken><sec:Username>{}</sec:Username><sec:Password Type="PasswordText">{}</sec:Password></sec:UsernameToken>
    </sec:Security>
    <RequestHeader xmlns="urn:lv:vsaa:income:v1"><Institution>{}</Institution><Officer>o</Officer><Purpose>means_test</Purpose><LegalBasis>art. 33</LegalBasis><RequestId>r-7</RequestId></RequestHeader>
  </s:Header>
  <s:Body>
    <v:GetPersonIncomesRequest xmlns:v="urn:lv:vsaa:income:v1"><v:PersonCode>{}</v:PersonCode><v:FromMonth>2025-10</v:FromMonth><v:ToMonth>2025-12Z</v:ToMonth></v:GetPersonIncomesRequest>
  </s:Body>
</s:Envelope>"#,
        credentials.vsaa_username,
        credentials.vsaa_password,
        credentials.institution,
        person.code.as_str()
    );
    let (status, answer) = CALL.post(&simulators, body).await;
    assert_eq!(status, 200);
    let period = Period::new(Month::parse("2025-10").expect("m"), Month::parse("2025-12").expect("m")).expect("p");
    assert_eq!(texts(&answer, "inc:Income").len(), simulators.population().incomes(&person.code, period).len());
}

#[tokio::test]
async fn a_wrong_password_is_not_authorised() {
    let simulators = Simulators::start_all(test_population()).await;
    let code = simulators.population().persons()[0].code.as_str().to_owned();
    let mut envelope = Envelope::new(&simulators, &code, "2025-01", "2025-03");
    envelope.password = "guess";
    let (status, body) = CALL.post(&simulators, envelope.xml()).await;
    assert_eq!(status, 500);
    assert_eq!(CALL.fault_code(&body), "NOT_AUTHORISED");
    assert_eq!(texts(&body, "faultcode"), ["soap:Client"]);
    assert_eq!(texts(&body, "inc:RequestId"), [EXAMPLE_REQUEST_ID]);
    let mut envelope = Envelope::new(&simulators, &code, "2025-01", "2025-03");
    envelope.username = "someone-else";
    assert_eq!(CALL.fault_code(&CALL.post(&simulators, envelope.xml()).await.1), "NOT_AUTHORISED");
}

#[tokio::test]
async fn a_request_without_its_header_is_invalid() {
    let simulators = Simulators::start_all(test_population()).await;
    let code = simulators.population().persons()[0].code.as_str().to_owned();
    let mut envelope = Envelope::new(&simulators, &code, "2025-01", "2025-03");
    envelope.header = false;
    let (status, body) = CALL.post(&simulators, envelope.xml()).await;
    assert_eq!(status, 500);
    assert_eq!(CALL.fault_code(&body), "INVALID_REQUEST");
    let mut envelope = Envelope::new(&simulators, &code, "2025-01", "2025-03");
    envelope.request_id = "";
    assert_eq!(CALL.fault_code(&CALL.post(&simulators, envelope.xml()).await.1), "INVALID_REQUEST");
}

#[tokio::test]
async fn an_unknown_person_is_a_client_fault() {
    let simulators = Simulators::start_all(test_population()).await;
    let unknown = unknown_code(simulators.population());
    let envelope = Envelope::new(&simulators, unknown.as_str(), "2025-01", "2025-03");
    let (status, body) = CALL.post(&simulators, envelope.xml()).await;
    assert_eq!(status, 500);
    assert_eq!(CALL.fault_code(&body), "PERSON_NOT_FOUND");
    assert_eq!(texts(&body, "faultcode"), ["soap:Client"]);
}

#[tokio::test]
async fn periods_over_24_months_are_refused() {
    let simulators = Simulators::start_all(test_population()).await;
    let code = simulators.population().persons()[0].code.as_str().to_owned();
    let envelope = Envelope::new(&simulators, &code, "2024-01", "2026-01");
    let (status, body) = CALL.post(&simulators, envelope.xml()).await;
    assert_eq!(status, 500);
    assert_eq!(CALL.fault_code(&body), "PERIOD_TOO_LONG");
    let envelope = Envelope::new(&simulators, &code, "2024-01", "2025-12");
    assert_eq!(CALL.post(&simulators, envelope.xml()).await.0, 200);
    let envelope = Envelope::new(&simulators, &code, "2025-12", "2025-01");
    assert_eq!(CALL.fault_code(&CALL.post(&simulators, envelope.xml()).await.1), "INVALID_REQUEST");
}

#[tokio::test]
async fn malformed_requests_are_invalid() {
    let simulators = Simulators::start_all(test_population()).await;
    let code = simulators.population().persons()[0].code.as_str().to_owned();
    let cases = [
        "<not-closed".to_owned(),
        "<Envelope/>".to_owned(),
        r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body/></soap:Envelope>"#
            .to_owned(),
        Envelope::new(&simulators, "12128211211", "2025-01", "2025-03").xml(),
        Envelope::new(&simulators, &code, "2025-1", "2025-03").xml(),
        Envelope::new(&simulators, &code, "2025-01", "March").xml(),
    ];
    for body in cases {
        let (status, answer) = CALL.post(&simulators, body).await;
        assert_eq!(status, 500);
        assert_eq!(CALL.fault_code(&answer), "INVALID_REQUEST");
    }
    let envelope = Envelope::new(&simulators, &code, "2025-01", "2025-03");
    let (_, answer) = CALL.post_with(&simulators, envelope.xml(), None, "text/xml").await;
    assert_eq!(CALL.fault_code(&answer), "INVALID_REQUEST");
    let (_, answer) = CALL.post_with(&simulators, envelope.xml(), Some(ACTION), "application/soap+xml").await;
    assert_eq!(CALL.fault_code(&answer), "INVALID_REQUEST");
}

#[tokio::test]
async fn text_from_the_request_is_escaped_in_the_answer() {
    let simulators = Simulators::start_all(test_population()).await;
    let unknown = unknown_code(simulators.population());
    let mut envelope = Envelope::new(&simulators, unknown.as_str(), "2025-01", "2025-03");
    envelope.request_id = "a<b>&\"c\"";
    let (status, body) = CALL.post(&simulators, envelope.xml()).await;
    assert_eq!(status, 500);
    assert_eq!(texts(&body, "inc:RequestId"), ["a&lt;b&gt;&amp;&quot;c&quot;"]);
}

#[tokio::test]
async fn a_person_without_incomes_gets_an_empty_answer() {
    let simulators = Simulators::start_all(test_population()).await;
    let population = simulators.population().clone();
    let period = Period::new(Month::parse("2025-01").expect("m"), Month::parse("2025-03").expect("m")).expect("p");
    let person = population
        .persons()
        .iter()
        .find(|p| population.incomes(&p.code, period).is_empty())
        .expect("someone has no income");
    let envelope = Envelope::new(&simulators, person.code.as_str(), "2025-01", "2025-03");
    let (status, body) = CALL.post(&simulators, envelope.xml()).await;
    assert_eq!(status, 200);
    assert!(texts(&body, "inc:Income").is_empty());
    assert_eq!(texts(&body, "inc:PersonCode").len(), 1);
}

#[tokio::test]
async fn other_paths_and_methods_are_not_served() {
    let simulators = Simulators::start_all(test_population()).await;
    CALL.assert_only_the_service_is_served(&simulators, "/vsaa/income/v2").await;
}

#[tokio::test]
async fn the_xsd_check_catches_an_answer_off_the_contract() {
    let simulators = Simulators::start_all(test_population()).await;
    let population = simulators.population().clone();
    let period = Period::new(Month::parse("2025-01").expect("m"), Month::parse("2025-03").expect("m")).expect("p");
    let person = population
        .persons()
        .iter()
        .find(|p| {
            population.incomes(&p.code, period).iter().any(|i| i.kind == gateway_domain::IncomeKind::InsuredIncome)
        })
        .expect("someone earns");
    let envelope = Envelope::new(&simulators, person.code.as_str(), "2025-01", "2025-03");
    let (_, body) = CALL.post(&simulators, envelope.xml()).await;
    assert!(xsd_check(SCHEMA, body.replace("INSURED_INCOME", "SALARY").as_bytes()).is_err());
    assert!(xsd_check(SCHEMA, body.replace("<inc:Month>", "<inc:Month>x").as_bytes()).is_err());
}
