//! The NVA simulator's answers follow `schemas/nva/` and match the population.

use gateway_domain::{Month, Period};
use serde_json::{Value, json};

use crate::Simulators;
use crate::test_support::{assert_valid_json, fetch_token, test_population, unknown_code};

#[tokio::test]
async fn registrations_and_payments_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let base = simulators.url(gateway_domain::System::Nva);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let period = Period::new(Month::parse("2025-01").unwrap(), Month::parse("2026-12").unwrap()).unwrap();
    let registered = population
        .persons()
        .iter()
        .filter(|p| !population.nva_incomes(&p.code, period).is_empty())
        .take(5)
        .map(|p| p.code.clone())
        .chain([unknown_code(&population)]);
    let search = format!("{base}/nva/v1/person-status/search");
    for code in registered {
        let body = json!({ "personCode": code.as_str(), "fromMonth": "2025-01", "toMonth": "2026-12" });
        assert_valid_json("nva/person-status-query.schema.json", &body);
        let response = client
            .post(&search)
            .bearer_auth(&bearer)
            .header("x-request-id", "r-1")
            .header("x-purpose", "means_test")
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let answer: Value = response.json().await.unwrap();
        if population.person(&code).is_none() {
            assert_eq!(status, 404);
            assert_valid_json("nva/problem.schema.json", &answer);
            continue;
        }
        assert_eq!(status, 200);
        assert_valid_json("nva/person-status.schema.json", &answer);
        let truth = population.nva_incomes(&code, period);
        assert_eq!(answer["payments"].as_array().unwrap().len(), truth.len());
        for (wire, income) in answer["payments"].as_array().unwrap().iter().zip(&truth) {
            assert_eq!(wire["recordId"], income.record_id.as_str());
            assert_eq!(wire["amount"], income.amount.to_decimal_string().as_str());
        }
    }
    let refused = client.post(&search).json(&json!({})).send().await.unwrap();
    assert_eq!(refused.status(), 401, "no token, no answer");
}

/// NVA's notification resource, behind the same gateway as its search.
struct NvaNotificationContract;

impl crate::rest::notification_fixture::NotificationContract for NvaNotificationContract {
    const SYSTEM: gateway_domain::System = gateway_domain::System::Nva;
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
