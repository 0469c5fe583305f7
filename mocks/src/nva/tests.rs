//! The NVA simulator's answers follow `schemas/nva/` and match the population.

use gateway_domain::{Month, Period};
use serde_json::{Value, json};

use crate::test_support::{assertion_claims, schema_path, sign, test_population, unknown_code};
use crate::{SimulatorCredentials, Simulators};

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(schema_path(&format!("nva/{name}.schema.json"))).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

async fn token(client: &reqwest::Client, base: &str, credentials: &SimulatorCredentials) -> String {
    let token_url = format!("{base}/oauth2/token");
    let assertion = sign(credentials, &assertion_claims(credentials, &token_url));
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", assertion.as_str()),
    ];
    let answer: Value = client.post(&token_url).form(&form).send().await.unwrap().json().await.unwrap();
    answer["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn registrations_and_payments_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let base = simulators.url(gateway_domain::System::Nva);
    let client = reqwest::Client::new();
    let bearer = token(&client, &base, simulators.credentials()).await;
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
        assert!(validator("person-status-query").is_valid(&body));
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
            assert!(validator("problem").is_valid(&answer));
            continue;
        }
        assert_eq!(status, 200);
        assert!(validator("person-status").is_valid(&answer), "the answer follows the schema");
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
