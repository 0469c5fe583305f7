//! The CSDD adapter against a mock vehicle register built from `schemas/csdd/` examples.

use gateway_domain::{Fact, GapTopic, PersonSource, SourceError, System, VehicleKind, VehicleRole};

use super::{CsddClient, CsddConfig};
use crate::compliance::{self, Contract, RestFixture, RestSource, person_query, test_oauth, test_transport};

/// CSDD's vehicle search, as the shared REST suite asks it.
struct Csdd;

type CsddFixture = RestFixture<Csdd>;

impl RestSource for Csdd {
    type Client = CsddClient;

    const CONTRACT: Contract = Contract::new("csdd");
    const PROBLEM: &'static str = "urn:lv:csdd:problem";
    const PATH: &'static str = "/csdd/v1/vehicles/search";
    const QUERY: &'static str = "vehicle-query";
    const ANSWER: &'static str = "vehicles";

    fn config(base_url: String) -> CsddConfig {
        CsddConfig { base_url, token_url: None, oauth: test_oauth(), transport: test_transport() }
    }

    fn malformed(example: &str) -> String {
        example.replace("\"O1\"", "\"T1\"")
    }

    fn check_happy(facts: &[Fact]) {
        let vehicles: Vec<_> = facts
            .iter()
            .map(|fact| {
                let Fact::Vehicle(vehicle) = fact else { panic!("only vehicles") };
                assert_eq!(vehicle.person, person_query().person, "the asked person's vehicle");
                assert_eq!(vehicle.provenance.system, System::Csdd);
                (
                    vehicle.registration_number.as_str(),
                    vehicle.kind,
                    vehicle.make.as_str(),
                    vehicle.year,
                    vehicle.role,
                    vehicle.provenance.record_id.as_str(),
                )
            })
            .collect();
        assert_eq!(
            vehicles,
            [
                ("GR-4512", VehicleKind::PassengerCar, "Volkswagen", 2012, VehicleRole::Owner, "csdd-000000042"),
                ("KL-907", VehicleKind::Trailer, "Tiki", 2019, VehicleRole::Owner, "csdd-000000043"),
                ("MA-3318", VehicleKind::PassengerCar, "Škoda", 2021, VehicleRole::Holder, "csdd-000000044"),
            ]
        );
    }
}

#[tokio::test]
async fn vehicles_pass_the_compliance_suite() {
    compliance::run::<CsddFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    compliance::rest_examples_validate::<Csdd>();
    for broken in [
        Csdd::example().replace("\"O1\"", "\"T1\""),
        Csdd::example().replace("GR-4512", "GR 4512"),
        Csdd::example().replace("\"holder\"", "\"lessee\""),
        Csdd::example().replace("2012", "\"2012\""),
    ] {
        assert!(!Csdd::CONTRACT.json_valid("vehicles", &serde_json::from_str(&broken).unwrap()), "{broken}");
    }
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    compliance::rest_request_is_the_example::<Csdd>().await;
}

#[tokio::test]
async fn every_category_of_the_contract_maps_to_its_kind() {
    let cases = [
        ("M1", VehicleKind::PassengerCar),
        ("M2", VehicleKind::Bus),
        ("M3", VehicleKind::Bus),
        ("N1", VehicleKind::Truck),
        ("N3", VehicleKind::Truck),
        ("L1e", VehicleKind::Moped),
        ("L2e", VehicleKind::Moped),
        ("L3e", VehicleKind::Motorcycle),
        ("L7e", VehicleKind::Motorcycle),
        ("O1", VehicleKind::Trailer),
        ("O4", VehicleKind::Trailer),
    ];
    for (category, expected) in cases {
        let body = Csdd::example().replacen("\"M1\"", &format!("\"{category}\""), 1);
        assert!(Csdd::CONTRACT.json_valid("vehicles", &serde_json::from_str(&body).unwrap()), "{category}");
        let facts = CsddFixture::answer(body).await.unwrap();
        let Fact::Vehicle(first) = &facts[0] else { panic!("a vehicle") };
        assert_eq!(first.kind, expected, "{category}");
    }
}

#[tokio::test]
async fn vehicles_off_the_contract_twice_listed_or_of_another_person_are_malformed() {
    let example = Csdd::example();
    for broken in [
        example.replacen("\"M1\"", "\"m1\"", 1),
        example.replacen("GR-4512", "GR4512", 1),
        example.replacen("GR-4512", "GR-0451", 1),
        example.replacen("GR-4512", "GR-45120", 1),
        example.replacen("KL-907", "GR-4512", 1),
        example.replacen("\"owner\"", "\"lessee\"", 1),
        example.replacen("\"Volkswagen\"", "\" \"", 1),
        example.replacen("2012", "1899", 1),
        example.replacen("2012", "2999", 1),
        example.replacen("\"csdd-000000042\"", "\"\"", 1),
        example.replacen("12128211210", "32579318462", 1),
        example.replacen("12128211210", "12128211211", 1),
    ] {
        assert!(matches!(CsddFixture::answer(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn a_person_without_vehicles_has_none() {
    let body = r#"{"personCode":"12128211210","vehicles":[]}"#.to_owned();
    assert!(Csdd::CONTRACT.json_valid("vehicles", &serde_json::from_str(&body).unwrap()));
    assert_eq!(CsddFixture::answer(body).await.unwrap(), vec![]);
}

#[test]
fn a_failure_leaves_assets_unknown_and_nothing_else() {
    let client = CsddClient::new(&Csdd::config("http://127.0.0.1:9".into())).unwrap();
    assert_eq!((client.system(), client.topics()), (System::Csdd, [GapTopic::Assets].as_slice()));
}
