//! The Land Registry simulator's answers follow `schemas/land_registry/` and match the
//! population.

use gateway_domain::System;

use crate::Simulators;
use crate::test_support::{schema_path, test_population, texts, unknown_code, xsd_check};

const SCHEMA: &str = "land_registry/validate.xsd";

#[tokio::test]
async fn ownerships_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let url = format!("{}/zemesgramata/ownership/v1", simulators.url(System::LandRegistry));
    let example =
        std::fs::read_to_string(schema_path("land_registry/examples/get-person-ownerships-request.xml")).unwrap();
    // Owners of shares and of whole properties, and someone who owns nothing.
    let owners = population.persons().iter().filter(|p| !population.assets(&p.code).is_empty());
    let shared: Vec<_> =
        owners.clone().filter(|p| population.assets(&p.code).iter().any(|a| a.denominator > 1)).take(3).collect();
    let whole: Vec<_> =
        owners.filter(|p| population.assets(&p.code).iter().all(|a| a.denominator == 1)).take(2).collect();
    let nothing = population.persons().iter().find(|p| population.assets(&p.code).is_empty()).unwrap();
    assert_eq!((shared.len(), whole.len()), (3, 2));
    let client = reqwest::Client::new();
    let ask = |code: &str| {
        client
            .post(&url)
            .header("content-type", "text/xml; charset=utf-8")
            .header("soapaction", "\"urn:lv:zemesgramata:ownership:v1:GetPersonOwnerships\"")
            .body(example.replace("12128211210", code))
            .send()
    };
    for person in shared.into_iter().chain(whole).chain([nothing]) {
        let response = ask(person.code.as_str()).await.unwrap();
        assert_eq!(response.status(), 200);
        let body = response.text().await.unwrap();
        xsd_check(SCHEMA, body.as_bytes()).unwrap_or_else(|c| panic!("the answer does not follow the schema: {c}"));
        let truth = population.assets(&person.code);
        assert_eq!(body.matches("<zg:Ownership>").count(), truth.len());
        // The schema holds one of each per ownership, so the n-th of each is the n-th ownership's.
        let column = |name: &str, value: &dyn Fn(&crate::TrueAsset) -> String| {
            assert_eq!(texts(&body, name), truth.iter().map(value).collect::<Vec<_>>(), "{name}");
        };
        column("zg:RecordId", &|a| a.record_id.clone());
        column("zg:FolioNumber", &|a| a.folio_number.clone());
        column("zg:CadastralNumber", &|a| a.cadastral_number.clone());
        column("zg:Numerator", &|a| a.numerator.to_string());
        column("zg:Denominator", &|a| a.denominator.to_string());
    }
    let unknown = ask(unknown_code(&population).as_str()).await.unwrap();
    assert_eq!(unknown.status(), 500);
    let fault = unknown.text().await.unwrap();
    assert!(xsd_check(SCHEMA, fault.as_bytes()).is_ok() && fault.contains("PERSON_NOT_FOUND"));
    let refused = client
        .post(&url)
        .header("soapaction", "\"urn:lv:zemesgramata:ownership:v1:GetPersonOwnerships\"")
        .body(example.replace("simulated-password", "guess"))
        .send()
        .await
        .unwrap();
    assert!(refused.text().await.unwrap().contains("NOT_AUTHORISED"));
}
