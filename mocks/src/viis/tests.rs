//! The VIIS simulator's answers follow `schemas/viis/` and match the population, behind the
//! shared fault injection.

use gateway_domain::{PersonCode, System};
use serde_json::{Value, json};
use time::macros::date;

use crate::rest::person_source_fixture::{Search, SearchContract, dates_queries_off_the_schema};
use crate::test_support::{test_population, unknown_code};

const CONTRACT: SearchContract = SearchContract {
    system: System::Viis,
    folder: "viis",
    path: "/viis/v1/enrolments/search",
    other_path: "/viis/v2/enrolments/search",
    query: "enrolment-query",
    answer: "enrolments",
};

#[tokio::test]
async fn enrolments_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let search = Search::start(&CONTRACT).await;
    let (first, last) = (date!(2025 - 01 - 01), date!(2026 - 12 - 31));
    let enrolled: Vec<_> = population
        .persons()
        .iter()
        .filter(|p| population.enrolments(&p.code, first, last).len() >= 2)
        .take(5)
        .map(|p| p.code.clone())
        .collect();
    assert_eq!(enrolled.len(), 5, "some change stage in these two years");
    let adult = population.persons().iter().find(|p| p.age_on(first) >= 40).unwrap().code.clone();
    let query =
        |code: &PersonCode| json!({ "personCode": code.as_str(), "fromDate": "2025-01-01", "toDate": "2026-12-31" });
    search
        .assert_answers(enrolled.iter().chain([&adult, &unknown_code(&population)]), query, |code, answer| {
            let truth = population.enrolments(code, first, last);
            let wire = answer["enrolments"].as_array().unwrap();
            assert_eq!(wire.len(), truth.len());
            assert_eq!(truth.is_empty(), code == &adult, "a 40-year-old is enrolled nowhere");
            for (wire, status) in wire.iter().zip(&truth) {
                let Some(gateway_domain::StatusDetail::Enrolment { institution, full_time, .. }) = &status.detail
                else {
                    panic!("an enrolment has its detail")
                };
                assert_eq!(wire["recordId"], status.record_id.as_str());
                assert_eq!(wire["institution"]["registrationNumber"], institution.registration_number.as_str());
                assert_eq!(wire["institution"]["name"], institution.name.as_str());
                assert_eq!(wire["fullTime"], *full_time);
                assert_eq!(wire["validFrom"], status.valid_from.to_string().as_str());
                assert_eq!(wire["validTo"], status.valid_to.map_or(Value::Null, |to| to.to_string().into()));
            }
        })
        .await;
    search.assert_a_token_is_required().await;
}

#[tokio::test]
async fn a_query_off_the_schema_is_an_invalid_request_problem() {
    let population = test_population();
    let search = Search::start(&CONTRACT).await;
    let code = population.persons()[0].code.as_str();
    search.assert_invalid(dates_queries_off_the_schema(code)).await;
}

#[tokio::test]
async fn the_shared_faults_apply_and_other_paths_are_not_served() {
    let body = json!({ "personCode": "32579318462", "fromDate": "2026-08-01", "toDate": "2026-10-31" });
    Search::start(&CONTRACT).await.assert_faults_apply_and_other_paths_are_not_served(&body).await;
}
