//! The LAD simulator's answers follow `schemas/lad/` and match the population, behind the
//! shared fault injection.

use gateway_domain::{PersonCode, System};
use serde_json::json;

use crate::rest::person_source_fixture::{Search, SearchContract};
use crate::test_support::{first_known, test_population, two_years, unknown_code};

const CONTRACT: SearchContract = SearchContract {
    system: System::Lad,
    folder: "lad",
    path: "/lad/v1/support-payments/search",
    other_path: "/lad/v2/support-payments/search",
    query: "support-query",
    answer: "support-payments",
};

#[tokio::test]
async fn payments_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let search = Search::start(&CONTRACT).await;
    let period = two_years();
    let farmers = first_known(&population, System::Lad, period, 5);
    assert_eq!(farmers.len(), 5, "LAD pays some farmers");
    let child = population.persons().iter().find(|p| p.age_on(period.to().last_day()) < 16).unwrap().code.clone();
    let query =
        |code: &PersonCode| json!({ "personCode": code.as_str(), "fromMonth": "2025-01", "toMonth": "2026-12" });
    search
        .assert_answers(farmers.iter().chain([&child, &unknown_code(&population)]), query, |code, answer| {
            assert_eq!(answer["personCode"], code.as_str());
            let truth = population.lad_incomes(code, period);
            let wire = answer["payments"].as_array().unwrap();
            assert_eq!(wire.len(), truth.len());
            assert_eq!(truth.is_empty(), code == &child, "LAD pays farmers, not children");
            for (wire, income) in wire.iter().zip(&truth) {
                let scheme = income.scheme.as_ref().unwrap();
                assert_eq!(wire["recordId"], income.record_id.as_str());
                assert_eq!(wire["month"], income.month.to_string().as_str());
                assert_eq!(wire["schemeCode"], scheme.code.as_str());
                assert_eq!(wire["schemeName"], scheme.name.as_str());
                assert_eq!(wire["amount"], income.amount.to_decimal_string().as_str());
            }
        })
        .await;
    search.assert_a_token_is_required().await;
}

#[tokio::test]
async fn a_query_off_the_contract_is_refused_with_a_problem() {
    let search = Search::start(&CONTRACT).await;
    search
        .assert_invalid([
            json!({ "personCode": "121282-11210", "fromMonth": "2025-01", "toMonth": "2025-03" }),
            json!({ "personCode": "12128211211", "fromMonth": "2025-01", "toMonth": "2025-03" }),
            json!({ "personCode": "12128211210", "fromMonth": "2025-1", "toMonth": "2025-03" }),
            json!({ "personCode": "12128211210", "fromMonth": "2025-04", "toMonth": "2025-03" }),
            json!({ "personCode": "12128211210", "fromMonth": "2023-01", "toMonth": "2025-03" }),
            json!({ "personCode": "12128211210", "fromMonth": "2025-01", "toMonth": "2025-03", "scheme": "ISIP" }),
        ])
        .await;
}

#[tokio::test]
async fn the_shared_faults_apply_and_other_paths_are_not_served() {
    let body = json!({ "personCode": "12128211210", "fromMonth": "2025-10", "toMonth": "2026-03" });
    Search::start(&CONTRACT).await.assert_faults_apply_and_other_paths_are_not_served(&body).await;
}
