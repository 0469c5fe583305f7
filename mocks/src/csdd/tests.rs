//! The CSDD simulator's answers follow `schemas/csdd/` and match the population, behind the
//! shared fault injection.

use gateway_domain::{System, VehicleKind};
use serde_json::{Value, json};

use super::category;
use crate::population::REFERENCE_DATE;
use crate::test_support::{assert_valid_json, fetch_token, test_population, unknown_code};
use crate::{FaultConfig, Simulators};

const SEARCH: &str = "/csdd/v1/vehicles/search";

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
async fn vehicles_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let base = simulators.url(System::Csdd);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let mut asked: Vec<_> = population
        .persons()
        .iter()
        .filter(|p| population.csdd_vehicles(&p.code).len() >= 2)
        .take(4)
        .map(|p| p.code.clone())
        .collect();
    assert_eq!(asked.len(), 4, "some people have two vehicles or more");
    let leased = population
        .persons()
        .iter()
        .find(|p| population.csdd_vehicles(&p.code).iter().any(|v| v.role == gateway_domain::VehicleRole::Holder));
    let without = population
        .persons()
        .iter()
        .find(|p| p.age_on(REFERENCE_DATE) >= 30 && population.csdd_vehicles(&p.code).is_empty());
    asked.extend(leased.into_iter().chain(without).map(|p| p.code.clone()));
    asked.push(unknown_code(&population));
    let search = format!("{base}{SEARCH}");
    let mut served = 0;
    for code in &asked {
        let body = json!({ "personCode": code.as_str() });
        assert_valid_json("csdd/vehicle-query.schema.json", &body);
        let (status, answer) = ask(&client, &search, &bearer, &body).await;
        if population.person(code).is_none() {
            assert_eq!(status, 404);
            assert_valid_json("csdd/problem.schema.json", &answer);
            assert_eq!(answer["type"], "urn:lv:csdd:problem:not-found");
            continue;
        }
        assert_eq!(status, 200);
        assert_valid_json("csdd/vehicles.schema.json", &answer);
        assert_eq!(answer["personCode"], code.as_str());
        let truth = population.csdd_vehicles(code);
        let wire = answer["vehicles"].as_array().unwrap();
        assert_eq!(wire.len(), truth.len());
        for (wire, vehicle) in wire.iter().zip(&truth) {
            assert_eq!(wire["recordId"], vehicle.record_id.as_str());
            assert_eq!(wire["registrationNumber"], vehicle.registration_number.as_str());
            assert_eq!(wire["category"], category(vehicle.kind).unwrap());
            assert_eq!(wire["make"], vehicle.make.as_str());
            assert_eq!(wire["yearOfManufacture"], vehicle.year);
            assert_eq!(
                wire["role"],
                if vehicle.role == gateway_domain::VehicleRole::Owner { "owner" } else { "holder" }
            );
        }
        served += 1;
    }
    assert_eq!(served, 6, "four with vehicles, one leasing, one without");
    let refused = client.post(&search).json(&json!({})).send().await.unwrap();
    assert_eq!(refused.status(), 401, "no token, no answer");
}

#[test]
fn machinery_has_no_csdd_category_and_road_vehicles_each_have_one() {
    for kind in [VehicleKind::Tractor, VehicleKind::SelfPropelledMachine, VehicleKind::TractorTrailer] {
        assert_eq!(category(kind), None);
    }
    let population = test_population();
    for person in population.persons() {
        for vehicle in population.csdd_vehicles(&person.code) {
            assert!(category(vehicle.kind).is_some(), "{:?} is a road vehicle", vehicle.kind);
        }
    }
}

#[tokio::test]
async fn an_invalid_query_is_a_problem() {
    let simulators = Simulators::start_all(test_population()).await;
    let base = simulators.url(System::Csdd);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let search = format!("{base}{SEARCH}");
    for body in [json!({ "personCode": "12128211211" }), json!({ "personCode": 12128211210_u64 }), json!({})] {
        let (status, problem) = ask(&client, &search, &bearer, &body).await;
        assert_eq!(status, 400, "{body}");
        assert_valid_json("csdd/problem.schema.json", &problem);
        assert_eq!(problem["type"], "urn:lv:csdd:problem:invalid-request");
    }
    let extra = json!({ "personCode": "12128211210", "asOf": "2026-01-01" });
    assert_eq!(ask(&client, &search, &bearer, &extra).await.0, 400, "the query has no other fields");
}

#[tokio::test]
async fn the_shared_faults_apply_and_other_paths_are_not_served() {
    let simulators = Simulators::start_all(test_population()).await;
    let base = simulators.url(System::Csdd);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let body = json!({ "personCode": "12128211210" });
    simulators.faults(System::Csdd).set(FaultConfig { outage: true, ..FaultConfig::default() });
    let response = client.post(format!("{base}{SEARCH}")).bearer_auth(&bearer).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 503);
    simulators.faults(System::Csdd).set(FaultConfig::default());
    let (status, problem) = ask(&client, &format!("{base}/csdd/v2/vehicles/search"), &bearer, &body).await;
    assert_eq!((status, problem["type"].as_str()), (404, Some("urn:lv:csdd:problem:no-such-operation")));
    let response = client.get(format!("{base}{SEARCH}")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert!(simulators.faults(System::Csdd).total_requests() >= 4, "every request is counted");
}
