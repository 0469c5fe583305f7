//! The cadastre simulator's answers follow `schemas/cadastre/` and match the population.

use gateway_domain::{Money, System};
use serde_json::Value;

use crate::Simulators;
use crate::test_support::{assert_valid_json, fetch_token, test_population};

#[tokio::test]
async fn properties_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let base = simulators.url(System::Cadastre);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let get = |number: &str| {
        client
            .get(format!("{base}/vzd/cadastre/v1/properties/{number}"))
            .bearer_auth(&bearer)
            .header("x-request-id", "r-1")
            .header("x-purpose", "means_test")
            .send()
    };
    let properties = population.properties();
    assert!(properties.len() > 100, "the population owns real estate");
    for property in properties.iter().step_by(properties.len() / 10) {
        let response = get(&property.cadastral_number).await.unwrap();
        assert_eq!(response.status(), 200);
        let answer: Value = response.json().await.unwrap();
        assert_valid_json("cadastre/property.schema.json", &answer);
        assert_eq!(answer["cadastralNumber"], property.cadastral_number.as_str());
        assert_eq!(answer["area"], property.area_m2);
        let value = Money::parse_decimal(answer["cadastralValue"].as_str().unwrap()).unwrap();
        assert_eq!(value, property.value);
    }
    let missing = get("99999999999").await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_valid_json("cadastre/problem.schema.json", &missing.json::<Value>().await.unwrap());
    assert_eq!(get("9999").await.unwrap().status(), 400);
    let refused = client.get(format!("{base}/vzd/cadastre/v1/properties/90000000001")).send().await.unwrap();
    assert_eq!(refused.status(), 401, "no token, no answer");
}
