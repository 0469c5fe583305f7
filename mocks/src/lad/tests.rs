//! The LAD simulator's answers follow `schemas/lad/` and match the population, behind the
//! shared fault injection.

use gateway_domain::{Month, Period, System};
use serde_json::{Value, json};

use crate::test_support::{assert_valid_json, fetch_token, test_population, unknown_code};
use crate::{FaultConfig, Simulators};

const SEARCH: &str = "/lad/v1/support-payments/search";

fn whole_window() -> Period {
    Period::new(Month::parse("2025-01").unwrap(), Month::parse("2026-12").unwrap()).unwrap()
}

async fn ask(client: &reqwest::Client, url: &str, bearer: &str, body: &Value) -> (u16, Value) {
    let response = client
        .post(url)
        .bearer_auth(bearer)
        .header("x-request-id", "r-1")
        .header("x-purpose", "means_test")
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn payments_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let base = simulators.url(System::Lad);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let period = whole_window();
    let farmers: Vec<_> = population
        .persons()
        .iter()
        .filter(|p| !population.lad_incomes(&p.code, period).is_empty())
        .take(5)
        .map(|p| p.code.clone())
        .collect();
    assert_eq!(farmers.len(), 5, "LAD pays some farmers");
    let child = population.persons().iter().find(|p| p.age_on(period.to().last_day()) < 16).unwrap().code.clone();
    let search = format!("{base}{SEARCH}");
    for code in farmers.iter().chain([&child, &unknown_code(&population)]) {
        let body = json!({ "personCode": code.as_str(), "fromMonth": "2025-01", "toMonth": "2026-12" });
        assert_valid_json("lad/support-query.schema.json", &body);
        let (status, answer) = ask(&client, &search, &bearer, &body).await;
        if population.person(code).is_none() {
            assert_eq!(status, 404);
            assert_valid_json("lad/problem.schema.json", &answer);
            assert_eq!(answer["type"], "urn:lv:lad:problem:not-found");
            continue;
        }
        assert_eq!(status, 200);
        assert_valid_json("lad/support-payments.schema.json", &answer);
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
    }
    let refused = client.post(&search).json(&json!({})).send().await.unwrap();
    assert_eq!(refused.status(), 401, "no token, no answer");
}

#[tokio::test]
async fn a_query_off_the_contract_is_refused_with_a_problem() {
    let simulators = Simulators::start_all(test_population()).await;
    let base = simulators.url(System::Lad);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let search = format!("{base}{SEARCH}");
    for body in [
        json!({ "personCode": "121282-11210", "fromMonth": "2025-01", "toMonth": "2025-03" }),
        json!({ "personCode": "12128211211", "fromMonth": "2025-01", "toMonth": "2025-03" }),
        json!({ "personCode": "12128211210", "fromMonth": "2025-1", "toMonth": "2025-03" }),
        json!({ "personCode": "12128211210", "fromMonth": "2025-04", "toMonth": "2025-03" }),
        json!({ "personCode": "12128211210", "fromMonth": "2023-01", "toMonth": "2025-03" }),
        json!({ "personCode": "12128211210", "fromMonth": "2025-01", "toMonth": "2025-03", "scheme": "ISIP" }),
    ] {
        let (status, problem) = ask(&client, &search, &bearer, &body).await;
        assert_eq!(status, 400, "{body}");
        assert_valid_json("lad/problem.schema.json", &problem);
        assert_eq!(problem["type"], "urn:lv:lad:problem:invalid-request", "{body}");
    }
}

#[tokio::test]
async fn the_shared_faults_apply_and_other_paths_are_not_served() {
    let simulators = Simulators::start_all(test_population()).await;
    let base = simulators.url(System::Lad);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let body = json!({ "personCode": "12128211210", "fromMonth": "2025-10", "toMonth": "2026-03" });
    simulators.faults(System::Lad).set(FaultConfig { outage: true, ..FaultConfig::default() });
    let response = client.post(format!("{base}{SEARCH}")).bearer_auth(&bearer).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 503);
    simulators.faults(System::Lad).set(FaultConfig::default());
    let (status, problem) = ask(&client, &format!("{base}/lad/v2/support-payments/search"), &bearer, &body).await;
    assert_eq!((status, problem["type"].as_str()), (404, Some("urn:lv:lad:problem:no-such-operation")));
    let response = client.get(format!("{base}{SEARCH}")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert!(simulators.faults(System::Lad).total_requests() >= 4, "every request is counted");
}
