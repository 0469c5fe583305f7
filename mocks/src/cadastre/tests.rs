//! The cadastre simulator's answers follow `schemas/cadastre/` and match the population.

use gateway_domain::{Money, System};
use serde_json::Value;

use crate::Simulators;
use crate::test_support::{assertion_claims, schema_path, sign, test_population};

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(schema_path(&format!("cadastre/{name}.schema.json"))).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[tokio::test]
async fn properties_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let base = simulators.url(System::Cadastre);
    let client = reqwest::Client::new();
    let token_url = format!("{base}/oauth2/token");
    let credentials = simulators.credentials();
    let assertion = sign(credentials, &assertion_claims(credentials, &token_url));
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", assertion.as_str()),
    ];
    let answer: Value = client.post(&token_url).form(&form).send().await.unwrap().json().await.unwrap();
    let bearer = answer["access_token"].as_str().unwrap().to_owned();
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
        assert!(validator("property").is_valid(&answer), "the answer follows the schema");
        assert_eq!(answer["cadastralNumber"], property.cadastral_number.as_str());
        assert_eq!(answer["area"], property.area_m2);
        let value = Money::parse_decimal(answer["cadastralValue"].as_str().unwrap()).unwrap();
        assert_eq!(value, property.value);
    }
    let missing = get("99999999999").await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(validator("problem").is_valid(&missing.json::<Value>().await.unwrap()));
    assert_eq!(get("9999").await.unwrap().status(), 400);
    let refused = client.get(format!("{base}/vzd/cadastre/v1/properties/90000000001")).send().await.unwrap();
    assert_eq!(refused.status(), 401, "no token, no answer");
}
