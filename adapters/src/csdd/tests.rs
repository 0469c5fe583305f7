//! The CSDD adapter against a mock vehicle register built from `schemas/csdd/` examples.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonSource, SourceError, System, VehicleKind, VehicleRole};
use serde_json::Value;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{CsddClient, CsddConfig};
use crate::compliance::{
    self, Contract, Fixture, ctx, half, json_reply, mount_rest_source, mount_token, person_query, problem_reply,
    test_oauth, test_transport,
};

const CONTRACT: Contract = Contract::new("csdd");
const PROBLEM: &str = "urn:lv:csdd:problem";
const SEARCH: &str = "/csdd/v1/vehicles/search";

fn config(server: &MockServer) -> CsddConfig {
    CsddConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport: test_transport() }
}

struct CsddFixture {
    client: CsddClient,
}

#[async_trait]
impl Fixture for CsddFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        // The contract has no token example of its own; PMLP's serves.
        mount_token(server, "/oauth2/token", Contract::new("pmlp")).await;
        Self { client: CsddClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_rest_source(server, "POST", SEARCH, template).await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&person_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("vehicles"))
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
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

    fn not_found(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 404, "not-found")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 403, "forbidden")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(200, half(&CONTRACT.example_json("vehicles")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("vehicles").replace("\"O1\"", "\"T1\""))
    }
}

async fn answer_to(body: String) -> Result<Vec<Fact>, SourceError> {
    let server = MockServer::start().await;
    let fixture = CsddFixture::start(&server).await;
    fixture.mount(&server, json_reply(200, body)).await;
    fixture.call().await
}

#[tokio::test]
async fn vehicles_pass_the_compliance_suite() {
    compliance::run::<CsddFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["vehicle-query", "vehicles", "problem"] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(name)).unwrap();
        assert!(CONTRACT.json_valid(name, &instance), "{name}");
    }
    for broken in [
        CONTRACT.example_json("vehicles").replace("\"O1\"", "\"T1\""),
        CONTRACT.example_json("vehicles").replace("GR-4512", "GR 4512"),
        CONTRACT.example_json("vehicles").replace("\"holder\"", "\"lessee\""),
        CONTRACT.example_json("vehicles").replace("2012", "\"2012\""),
    ] {
        assert!(!CONTRACT.json_valid("vehicles", &serde_json::from_str(&broken).unwrap()), "{broken}");
    }
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    let server = MockServer::start().await;
    let fixture = CsddFixture::start(&server).await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("vehicle-query")).unwrap();
    Mock::given(method("POST"))
        .and(path(SEARCH))
        .and(body_json(&expected))
        .respond_with(fixture.happy())
        .expect(1)
        .mount(&server)
        .await;
    fixture.call().await.unwrap();
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
        let body = CONTRACT.example_json("vehicles").replacen("\"M1\"", &format!("\"{category}\""), 1);
        assert!(CONTRACT.json_valid("vehicles", &serde_json::from_str(&body).unwrap()), "{category}");
        let facts = answer_to(body).await.unwrap();
        let Fact::Vehicle(first) = &facts[0] else { panic!("a vehicle") };
        assert_eq!(first.kind, expected, "{category}");
    }
}

#[tokio::test]
async fn vehicles_off_the_contract_twice_listed_or_of_another_person_are_malformed() {
    let example = CONTRACT.example_json("vehicles");
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
        assert!(matches!(answer_to(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn a_person_without_vehicles_has_none() {
    let body = r#"{"personCode":"12128211210","vehicles":[]}"#.to_owned();
    assert!(CONTRACT.json_valid("vehicles", &serde_json::from_str(&body).unwrap()));
    assert_eq!(answer_to(body).await.unwrap(), vec![]);
}

#[test]
fn a_failure_leaves_assets_unknown_and_nothing_else() {
    let config = CsddConfig {
        base_url: "http://127.0.0.1:9".into(),
        token_url: None,
        oauth: test_oauth(),
        transport: test_transport(),
    };
    let client = CsddClient::new(&config).unwrap();
    assert_eq!((client.system(), client.topics()), (System::Csdd, [GapTopic::Assets].as_slice()));
}
