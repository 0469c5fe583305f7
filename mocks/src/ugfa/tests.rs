//! The UGFA simulator's answers follow `schemas/ugfa/` and match the population, behind the
//! shared fault injection.

use gateway_domain::System;
use serde_json::json;

use crate::rest::person_source_fixture::{Search, SearchContract};
use crate::test_support::{first_known, test_population, two_years, unknown_code};

const CONTRACT: SearchContract = SearchContract {
    system: System::Ugfa,
    folder: "ugfa",
    path: "/ugfa/v1/maintenance-payments/search",
    other_path: "/ugfa/v2/maintenance-payments/search",
    query: "maintenance-query",
    answer: "maintenance-payments",
};

#[tokio::test]
async fn payments_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let search = Search::start(&CONTRACT).await;
    let period = two_years();
    let paid_for = first_known(&population, System::Ugfa, period, 5);
    assert_eq!(paid_for.len(), 5, "the fund pays for some children");
    let adult = population.persons().iter().find(|p| p.age_on(period.from().first_day()) >= 30).unwrap().code.clone();
    let query = |code: &gateway_domain::PersonCode| json!({ "personCode": code.as_str(), "fromMonth": "2025-01", "toMonth": "2026-12" });
    search
        .assert_answers(paid_for.iter().chain([&adult, &unknown_code(&population)]), query, |code, answer| {
            let truth = population.ugfa_incomes(code, period);
            let wire = answer["payments"].as_array().unwrap();
            assert_eq!(wire.len(), truth.len());
            assert_eq!(truth.is_empty(), code == &adult, "the fund pays for children only");
            for (wire, income) in wire.iter().zip(&truth) {
                assert_eq!(wire["recordId"], income.record_id.as_str());
                assert_eq!(wire["month"], income.month.to_string().as_str());
                assert_eq!(wire["amount"], income.amount.to_decimal_string().as_str());
            }
        })
        .await;
    search.assert_a_token_is_required().await;
}

#[tokio::test]
async fn the_shared_faults_apply_and_other_paths_are_not_served() {
    let body = json!({ "personCode": "32579318462", "fromMonth": "2026-08", "toMonth": "2026-10" });
    Search::start(&CONTRACT).await.assert_faults_apply_and_other_paths_are_not_served(&body).await;
}
