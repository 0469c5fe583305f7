//! The SPOLIS co-financing simulator's answers follow `schemas/spolis/cofinancing/` and match
//! the population.

use gateway_domain::{Money, Month, System};
use serde_json::Value;

use crate::test_support::{assert_valid_json, fetch_token, test_population};
use crate::{HOME_MUNICIPALITY, Simulators};

#[tokio::test]
async fn confirmations_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let base = simulators.url(System::Spolis);
    let client = reqwest::Client::new();
    let token_url = format!("{base}/spolis/cofinancing/oauth2/token");
    let bearer = fetch_token(&client, &token_url, simulators.credentials()).await;
    let get = |key: String| {
        client
            .get(format!("{base}/spolis/cofinancing/v1/confirmations/{key}"))
            .bearer_auth(&bearer)
            .header("x-request-id", "r-1")
            .header("x-purpose", "social_assistance")
            .send()
    };
    for month in ["2024-01", "2025-06", "2025-12"] {
        let response = get(format!("{HOME_MUNICIPALITY}/{month}")).await.unwrap();
        assert_eq!(response.status(), 200);
        let answer: Value = response.json().await.unwrap();
        assert_valid_json("spolis/cofinancing/confirmations.schema.json", &answer);
        let truth = population.cofinancing(HOME_MUNICIPALITY, Month::parse(month).unwrap()).unwrap();
        let wire = answer["confirmations"].as_array().unwrap();
        assert_eq!(wire.len(), truth.len());
        for (wire, truth) in wire.iter().zip(&truth) {
            assert_eq!(wire["recordId"], truth.record_id.as_str());
            assert_eq!(wire["households"], truth.households);
            assert_eq!(Money::parse_decimal(wire["paidAmount"].as_str().unwrap()).unwrap(), truth.paid);
            assert_eq!(Money::parse_decimal(wire["coFinancedAmount"].as_str().unwrap()).unwrap(), truth.co_financed);
        }
    }
    let elsewhere = get("talsi/2025-06".into()).await.unwrap();
    assert_eq!(elsewhere.status(), 404);
    assert_valid_json("spolis/cofinancing/problem.schema.json", &elsewhere.json::<Value>().await.unwrap());
    for bad in ["tukums/2025-13", "Tukums/2025-06", "tukums"] {
        assert_eq!(get(bad.into()).await.unwrap().status(), 400, "{bad}");
    }
    let refused =
        client.get(format!("{base}/spolis/cofinancing/v1/confirmations/tukums/2025-06")).send().await.unwrap();
    assert_eq!(refused.status(), 401, "no token, no answer");
}

#[tokio::test]
async fn only_the_co_financing_prefix_is_served() {
    let simulators = Simulators::start_all(test_population()).await;
    let base = simulators.url(System::Spolis);
    let client = reqwest::Client::new();
    // The monitoring contract answers under its own prefix; nothing else is served.
    for other in ["/oauth2/token", "/", "/spolis/other/v1"] {
        let response = client.post(format!("{base}{other}")).send().await.unwrap();
        assert_eq!(response.status(), 404, "{other}");
    }
    assert_eq!(simulators.received_requests(System::Spolis).await, 0, "unserved paths are not counted");
}
