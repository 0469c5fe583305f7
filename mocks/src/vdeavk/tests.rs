//! The VDEĀVK simulator's answers follow `schemas/vdeavk/` and match the population.

use gateway_domain::System;
use time::macros::date;

use crate::Simulators;
use crate::test_support::{schema_path, test_population, unknown_code, xsd_check};

const SCHEMA: &str = "vdeavk/validate.xsd";

#[tokio::test]
async fn determinations_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let url = format!("{}/vdeavk/disability/v1", simulators.url(System::Vdeavk));
    let example =
        std::fs::read_to_string(schema_path("vdeavk/examples/get-disability-determinations-request.xml")).unwrap();
    let (first, last) = (date!(2020 - 01 - 01), date!(2026 - 12 - 31));
    let disabled: Vec<_> = population
        .persons()
        .iter()
        .filter(|p| !population.disabilities(&p.code, first, last).is_empty())
        .take(5)
        .collect();
    assert_eq!(disabled.len(), 5);
    let client = reqwest::Client::new();
    let ask = |code: &str| {
        let body = example
            .replace("12128211210", code)
            .replace("2026-08-01", "2020-01-01")
            .replace("2026-10-31", "2026-12-31");
        client
            .post(&url)
            .header("content-type", "text/xml; charset=utf-8")
            .header("soapaction", "\"urn:lv:vdeavk:disability:v1:GetDisabilityDeterminations\"")
            .body(body)
            .send()
    };
    for person in disabled {
        let response = ask(person.code.as_str()).await.unwrap();
        assert_eq!(response.status(), 200);
        let body = response.text().await.unwrap();
        xsd_check(SCHEMA, body.as_bytes()).unwrap_or_else(|c| panic!("the answer does not follow the schema: {c}"));
        for truth in population.disabilities(&person.code, first, last) {
            assert!(body.contains(&format!("<dis:RecordId>{}</dis:RecordId>", truth.record_id)));
            assert!(body.contains(&format!("<dis:ValidFrom>{}</dis:ValidFrom>", truth.valid_from)));
        }
    }
    let unknown = ask(unknown_code(&population).as_str()).await.unwrap();
    assert_eq!(unknown.status(), 500);
    let fault = unknown.text().await.unwrap();
    assert!(xsd_check(SCHEMA, fault.as_bytes()).is_ok() && fault.contains("PERSON_NOT_FOUND"));
}
