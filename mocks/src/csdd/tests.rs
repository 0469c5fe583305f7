//! The CSDD simulator's answers follow `schemas/csdd/` and match the population, behind the
//! shared fault injection.

use gateway_domain::{PersonCode, System, VehicleKind};
use serde_json::json;

use super::category;
use crate::population::REFERENCE_DATE;
use crate::rest::person_source_fixture::{Search, SearchContract};
use crate::test_support::{test_population, unknown_code};

const CONTRACT: SearchContract = SearchContract {
    system: System::Csdd,
    folder: "csdd",
    path: "/csdd/v1/vehicles/search",
    other_path: "/csdd/v2/vehicles/search",
    query: "vehicle-query",
    answer: "vehicles",
};

#[tokio::test]
async fn vehicles_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let search = Search::start(&CONTRACT).await;
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
    let mut served = 0;
    let query = |code: &PersonCode| json!({ "personCode": code.as_str() });
    search
        .assert_answers(&asked, query, |code, answer| {
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
        })
        .await;
    assert_eq!(served, 6, "four with vehicles, one leasing, one without");
    search.assert_a_token_is_required().await;
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
    let search = Search::start(&CONTRACT).await;
    search
        .assert_invalid([json!({ "personCode": "12128211211" }), json!({ "personCode": 12128211210_u64 }), json!({})])
        .await;
    let extra = json!({ "personCode": "12128211210", "asOf": "2026-01-01" });
    assert_eq!(search.ask(&extra).await.0, 400, "the query has no other fields");
}

#[tokio::test]
async fn the_shared_faults_apply_and_other_paths_are_not_served() {
    let body = json!({ "personCode": "12128211210" });
    Search::start(&CONTRACT).await.assert_faults_apply_and_other_paths_are_not_served(&body).await;
}
