//! The NVA simulator's answers follow `schemas/nva/` and match the population.

use gateway_domain::{Month, Period, PersonCode, System};
use serde_json::json;

use crate::rest::person_source_fixture::{Search, SearchContract};
use crate::test_support::{test_population, unknown_code};

const CONTRACT: SearchContract = SearchContract {
    system: System::Nva,
    folder: "nva",
    path: "/nva/v1/person-status/search",
    other_path: "/nva/v2/person-status/search",
    query: "person-status-query",
    answer: "person-status",
};

#[tokio::test]
async fn registrations_and_payments_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let search = Search::start(&CONTRACT).await;
    let period = Period::new(Month::parse("2025-01").unwrap(), Month::parse("2026-12").unwrap()).unwrap();
    let registered: Vec<_> = population
        .persons()
        .iter()
        .filter(|p| !population.nva_incomes(&p.code, period).is_empty())
        .take(5)
        .map(|p| p.code.clone())
        .chain([unknown_code(&population)])
        .collect();
    let query =
        |code: &PersonCode| json!({ "personCode": code.as_str(), "fromMonth": "2025-01", "toMonth": "2026-12" });
    search
        .assert_answers(&registered, query, |code, answer| {
            let truth = population.nva_incomes(code, period);
            assert_eq!(answer["payments"].as_array().unwrap().len(), truth.len());
            for (wire, income) in answer["payments"].as_array().unwrap().iter().zip(&truth) {
                assert_eq!(wire["recordId"], income.record_id.as_str());
                assert_eq!(wire["amount"], income.amount.to_decimal_string().as_str());
            }
        })
        .await;
    search.assert_a_token_is_required().await;
}

/// NVA's notification resource, behind the same gateway as its search.
struct NvaNotificationContract;

impl crate::rest::notification_fixture::NotificationContract for NvaNotificationContract {
    const SYSTEM: System = System::Nva;
    const FOLDER: &'static str = "nva";
    const PATH: &'static str = "/nva/v1/status-notifications";
    const OTHER_PATH: &'static str = "/nva/v2/status-notifications";
    const PROBLEM_PREFIX: &'static str = "urn:lv:nva:problem:";
}

#[tokio::test]
async fn nva_notifications_pass_the_partner_suite() {
    use crate::rest::notification_fixture::NotificationFixture;
    crate::partner_suite::run::<NotificationFixture<NvaNotificationContract>>().await;
}
