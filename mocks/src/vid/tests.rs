//! Tests of the VID simulator over HTTP: answers and faults against `schemas/vid/` and against
//! the population's employment income and workplaces.

use gateway_domain::{IncomeKind, Month, Period, StatusDetail, System};

use crate::Simulators;
use crate::soap::TEXT_XML;
use crate::soap::testing::SoapCall;
use crate::test_support::{EXAMPLE_REQUEST_ID, schema_path, test_population, texts, unknown_code, xsd_check};

const ACTION: &str = "\"urn:lv:vid:employment:v1:GetPersonEmployment\"";
const SCHEMA: &str = "vid/validate.xsd";
const CALL: SoapCall =
    SoapCall { system: System::Vid, path: "/vid/employment/v1", action: ACTION, schema: SCHEMA, prefix: "emp" };

/// The example request for `code` and the months `from` to `to`.
fn request(code: &str, from: &str, to: &str) -> String {
    let example = std::fs::read_to_string(schema_path("vid/examples/get-person-employment-request.xml"))
        .expect("the example request is readable");
    example
        .replace("<emp:PersonCode>12128211210", &format!("<emp:PersonCode>{code}"))
        .replace("<emp:FromMonth>2026-08", &format!("<emp:FromMonth>{from}"))
        .replace("<emp:ToMonth>2026-10", &format!("<emp:ToMonth>{to}"))
}

fn period(from: &str, to: &str) -> Period {
    Period::new(Month::parse(from).expect("month"), Month::parse(to).expect("month")).expect("period")
}

#[tokio::test]
async fn employment_is_served_per_the_schema_and_matches_the_population() {
    let simulators = Simulators::start_all(test_population()).await;
    let population = simulators.population().clone();
    let window = period("2024-11", "2026-10");
    let (first, last) = (window.from().first_day(), window.to().last_day());
    let (mut earners, mut two_employers) = (0, 0);
    let sample: Vec<_> = population.persons().iter().step_by(61).collect();
    for person in &sample {
        let (status, body) = CALL.post(&simulators, request(person.code.as_str(), "2024-11", "2026-10")).await;
        assert_eq!(status, 200);
        assert!(texts(&body, "emp:PersonCode") == [person.code.as_str()], "another person's employment");
        let incomes = population.vid_incomes(&person.code, window);
        let workplaces = population.workplaces(&person.code, first, last);
        earners += usize::from(!incomes.is_empty());
        two_employers += usize::from(incomes.windows(2).any(|pair| pair[0].month == pair[1].month));
        let record_ids: Vec<String> =
            incomes.iter().map(|i| i.record_id.clone()).chain(workplaces.iter().map(|w| w.record_id.clone())).collect();
        assert_eq!(texts(&body, "emp:RecordId"), record_ids);
        assert_eq!(texts(&body, "emp:Month"), incomes.iter().map(|i| i.month.to_string()).collect::<Vec<_>>());
        let amounts: Vec<String> = incomes.iter().map(|i| i.amount.to_decimal_string()).collect();
        assert!(texts(&body, "emp:AfterTax") == amounts, "amounts differ from the population's");
        let employers: Vec<String> = incomes
            .iter()
            .filter_map(|i| i.employer.as_ref())
            .chain(workplaces.iter().filter_map(|w| match &w.detail {
                Some(StatusDetail::Workplace { employer }) => Some(employer),
                _ => None,
            }))
            .map(|e| e.registration_number.clone())
            .collect();
        assert_eq!(texts(&body, "emp:RegistrationNumber"), employers);
        assert_eq!(
            texts(&body, "emp:StartDate"),
            workplaces.iter().map(|w| w.valid_from.to_string()).collect::<Vec<_>>()
        );
        let ends: Vec<String> = workplaces.iter().filter_map(|w| w.valid_to).map(|d| d.to_string()).collect();
        assert_eq!(texts(&body, "emp:EndDate"), ends);
        assert!(texts(&body, "emp:Gross").is_empty());
    }
    assert!(earners > 10, "{earners}");
    assert!(two_employers > 0, "someone in the sample has two employers in a month");
    assert_eq!(simulators.received_requests(System::Vid).await, sample.len());
}

#[tokio::test]
async fn the_answer_sums_to_vsaa_insured_income_per_month() {
    let simulators = Simulators::start_all(test_population()).await;
    let population = simulators.population().clone();
    let window = period("2025-01", "2025-12");
    let person = population
        .persons()
        .iter()
        .find(|p| {
            let incomes = population.vid_incomes(&p.code, window);
            incomes.windows(2).any(|pair| pair[0].month == pair[1].month)
        })
        .expect("someone has two employers");
    let (_, body) = CALL.post(&simulators, request(person.code.as_str(), "2025-01", "2025-12")).await;
    let months = texts(&body, "emp:Month");
    let amounts = texts(&body, "emp:AfterTax");
    for insured in population.incomes(&person.code, window).iter().filter(|i| i.kind == IncomeKind::InsuredIncome) {
        let month = insured.month.to_string();
        let cents: i64 = months
            .iter()
            .zip(&amounts)
            .filter(|(m, _)| **m == month)
            .map(|(_, a)| gateway_domain::Money::parse_decimal(a).expect("a decimal").cents())
            .sum();
        assert_eq!(cents, insured.amount.cents(), "{month}");
    }
}

#[tokio::test]
async fn a_person_without_employment_gets_an_empty_answer() {
    let simulators = Simulators::start_all(test_population()).await;
    let population = simulators.population().clone();
    let window = period("2025-01", "2025-03");
    let person = population
        .persons()
        .iter()
        .find(|p| {
            population.vid_incomes(&p.code, window).is_empty()
                && population.workplaces(&p.code, window.from().first_day(), window.to().last_day()).is_empty()
        })
        .expect("someone does not work");
    let (status, body) = CALL.post(&simulators, request(person.code.as_str(), "2025-01", "2025-03")).await;
    assert_eq!(status, 200);
    assert!(texts(&body, "emp:Income").is_empty() && texts(&body, "emp:Employment").is_empty());
    assert_eq!(texts(&body, "emp:PersonCode").len(), 1);
}

#[tokio::test]
async fn a_wrong_password_is_not_authorised() {
    let simulators = Simulators::start_all(test_population()).await;
    let code = simulators.population().persons()[0].code.as_str().to_owned();
    let body = request(&code, "2025-01", "2025-03").replace("simulated-password", "guess");
    let (status, answer) = CALL.post(&simulators, body).await;
    assert_eq!(status, 500);
    assert_eq!(CALL.fault_code(&answer), "NOT_AUTHORISED");
    assert_eq!(texts(&answer, "faultcode"), ["soap:Client"]);
    assert_eq!(texts(&answer, "emp:RequestId"), [EXAMPLE_REQUEST_ID]);
}

#[tokio::test]
async fn an_unknown_person_is_a_client_fault() {
    let simulators = Simulators::start_all(test_population()).await;
    let unknown = unknown_code(simulators.population());
    let (status, body) = CALL.post(&simulators, request(unknown.as_str(), "2025-01", "2025-03")).await;
    assert_eq!(status, 500);
    assert_eq!(CALL.fault_code(&body), "PERSON_NOT_FOUND");
    assert_eq!(texts(&body, "faultcode"), ["soap:Client"]);
}

#[tokio::test]
async fn periods_over_24_months_are_refused() {
    let simulators = Simulators::start_all(test_population()).await;
    let code = simulators.population().persons()[0].code.as_str().to_owned();
    let (status, body) = CALL.post(&simulators, request(&code, "2024-01", "2026-01")).await;
    assert_eq!(status, 500);
    assert_eq!(CALL.fault_code(&body), "PERIOD_TOO_LONG");
    assert_eq!(CALL.post(&simulators, request(&code, "2024-01", "2025-12")).await.0, 200);
    assert_eq!(
        CALL.fault_code(&CALL.post(&simulators, request(&code, "2025-12", "2025-01")).await.1),
        "INVALID_REQUEST"
    );
}

#[tokio::test]
async fn malformed_requests_are_invalid() {
    let simulators = Simulators::start_all(test_population()).await;
    let code = simulators.population().persons()[0].code.as_str().to_owned();
    let without_header = {
        let body = request(&code, "2025-01", "2025-03");
        let start = body.find("<emp:RequestHeader>").expect("a header");
        let end = body.find("</emp:RequestHeader>").expect("a header") + "</emp:RequestHeader>".len();
        format!("{}{}", &body[..start], &body[end..])
    };
    let cases = [
        "<not-closed".to_owned(),
        request("12128211211", "2025-01", "2025-03"),
        request(&code, "2025-1", "2025-03"),
        request(&code, "2025-01", "March"),
        without_header,
    ];
    for body in cases {
        let (status, answer) = CALL.post(&simulators, body).await;
        assert_eq!(status, 500);
        assert_eq!(CALL.fault_code(&answer), "INVALID_REQUEST");
    }
    let (_, answer) = CALL.post_with(&simulators, request(&code, "2025-01", "2025-03"), None, TEXT_XML).await;
    assert_eq!(CALL.fault_code(&answer), "INVALID_REQUEST");
}

#[tokio::test]
async fn other_paths_and_methods_are_not_served() {
    let simulators = Simulators::start_all(test_population()).await;
    CALL.assert_only_the_service_is_served(&simulators, "/vid/employment/v2").await;
}

#[tokio::test]
async fn the_xsd_check_catches_an_answer_off_the_contract() {
    let simulators = Simulators::start_all(test_population()).await;
    let population = simulators.population().clone();
    let window = period("2025-01", "2025-03");
    let person = population
        .persons()
        .iter()
        .find(|p| !population.vid_incomes(&p.code, window).is_empty())
        .expect("someone earns");
    let (_, body) = CALL.post(&simulators, request(person.code.as_str(), "2025-01", "2025-03")).await;
    assert!(
        xsd_check(SCHEMA, body.replace("<emp:RegistrationNumber>", "<emp:RegistrationNumber>x").as_bytes()).is_err()
    );
    assert!(xsd_check(SCHEMA, body.replace("<emp:Month>", "<emp:Month>x").as_bytes()).is_err());
}
