//! The Land Registry simulator's answers follow `schemas/land_registry/` and match the
//! population.

use std::process::Command;

use gateway_domain::System;

use crate::Simulators;
use crate::test_support::{schema_path, test_population, unknown_code};

fn xsd_valid(body: &str) -> bool {
    let file = std::env::temp_dir().join(format!("gateway-mocks-land-registry-{}.xml", uuid::Uuid::new_v4()));
    std::fs::write(&file, body).unwrap();
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema_path("land_registry/validate.xsd"))
        .arg(&file)
        .output()
        .expect("xmllint is installed");
    let _ = std::fs::remove_file(&file);
    output.status.success()
}

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
        assert!(xsd_valid(&body), "the answer follows the schema");
        let truth = population.assets(&person.code);
        assert_eq!(body.matches("<zg:Ownership>").count(), truth.len());
        for asset in truth {
            let expected = format!(
                "<zg:RecordId>{}</zg:RecordId><zg:FolioNumber>{}</zg:FolioNumber><zg:CadastralNumber>{}</zg:CadastralNumber>",
                asset.record_id, asset.folio_number, asset.cadastral_number
            );
            assert!(body.contains(&expected));
            let share = format!(
                "<zg:Share><zg:Numerator>{}</zg:Numerator><zg:Denominator>{}</zg:Denominator></zg:Share>",
                asset.numerator, asset.denominator
            );
            assert!(body.contains(&share));
        }
    }
    let unknown = ask(unknown_code(&population).as_str()).await.unwrap();
    assert_eq!(unknown.status(), 500);
    let fault = unknown.text().await.unwrap();
    assert!(xsd_valid(&fault) && fault.contains("PERSON_NOT_FOUND"));
    let refused = client
        .post(&url)
        .header("soapaction", "\"urn:lv:zemesgramata:ownership:v1:GetPersonOwnerships\"")
        .body(example.replace("simulated-password", "guess"))
        .send()
        .await
        .unwrap();
    assert!(refused.text().await.unwrap().contains("NOT_AUTHORISED"));
}
