//! The VTUA simulator's answers follow `schemas/vtua/` and match the population, behind the
//! shared fault injection.

use gateway_domain::{System, VehicleKind, VehicleRole};

use super::kind_code;
use crate::soap::testing::SoapCall;
use crate::test_support::{EXAMPLE_REQUEST_ID, schema_path, test_population, texts, unknown_code, xsd_check};
use crate::{FaultConfig, Simulators};

const SCHEMA: &str = "vtua/validate.xsd";
const ACTION: &str = "\"urn:lv:vtua:machinery:v1:GetPersonMachinery\"";
const CALL: SoapCall =
    SoapCall { system: System::Vtua, path: "/vtua/machinery/v1", action: ACTION, schema: SCHEMA, prefix: "mach" };

/// The example request, asking about `code`.
fn request(code: &str) -> String {
    std::fs::read_to_string(schema_path("vtua/examples/get-person-machinery-request.xml"))
        .unwrap()
        .replace("12128211210", code)
}

/// Posts `body` with the operation's action; an outage (503) is the shared faults' answer, not
/// the service's, so it is not held to the schema.
async fn post(simulators: &Simulators, body: String) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(format!("{}{}", simulators.url(System::Vtua), CALL.path))
        .header("content-type", "text/xml; charset=utf-8")
        .header("soapaction", ACTION)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    if status != 503 {
        xsd_check(SCHEMA, body.as_bytes()).unwrap_or_else(|c| panic!("the answer does not follow the schema: {c}"));
    }
    (status, body)
}

#[tokio::test]
async fn machinery_follows_the_schema_and_matches_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let keepers: Vec<_> =
        population.persons().iter().filter(|p| !population.vtua_machines(&p.code).is_empty()).take(5).collect();
    assert_eq!(keepers.len(), 5, "some people have a tractor");
    let drivers_only = population
        .persons()
        .iter()
        .find(|p| !population.csdd_vehicles(&p.code).is_empty() && population.vtua_machines(&p.code).is_empty())
        .expect("someone has a car and no tractor");
    for person in keepers.into_iter().chain([drivers_only]) {
        let (status, body) = post(&simulators, request(person.code.as_str())).await;
        assert_eq!(status, 200);
        assert_eq!(texts(&body, "mach:PersonCode"), [person.code.as_str()]);
        let truth = population.vtua_machines(&person.code);
        let field = |name: &str| texts(&body, name);
        assert_eq!(field("mach:RecordId"), truth.iter().map(|m| m.record_id.clone()).collect::<Vec<_>>());
        assert_eq!(
            field("mach:RegistrationNumber"),
            truth.iter().map(|m| m.registration_number.clone()).collect::<Vec<_>>()
        );
        assert_eq!(field("mach:Kind"), truth.iter().map(|m| kind_code(m.kind).unwrap().to_owned()).collect::<Vec<_>>());
        assert_eq!(field("mach:Make"), truth.iter().map(|m| m.make.clone()).collect::<Vec<_>>());
        assert_eq!(field("mach:YearOfManufacture"), truth.iter().map(|m| m.year.to_string()).collect::<Vec<_>>());
        let roles: Vec<_> =
            truth.iter().map(|m| if m.role == VehicleRole::Owner { "OWNER" } else { "HOLDER" }).collect();
        assert_eq!(field("mach:Role"), roles);
    }
    let (status, fault) = post(&simulators, request(unknown_code(&population).as_str())).await;
    assert_eq!((status, CALL.fault_code(&fault)), (500, "PERSON_NOT_FOUND".to_owned()));
    assert_eq!(texts(&fault, "mach:RequestId"), [EXAMPLE_REQUEST_ID]);
}

#[test]
fn road_vehicles_have_no_vtua_kind_and_machinery_each_has_one() {
    for kind in [VehicleKind::PassengerCar, VehicleKind::Trailer, VehicleKind::Motorcycle] {
        assert_eq!(kind_code(kind), None);
    }
    let population = test_population();
    for person in population.persons() {
        for machine in population.vtua_machines(&person.code) {
            assert!(kind_code(machine.kind).is_some(), "{:?} is machinery", machine.kind);
        }
    }
}

#[tokio::test]
async fn a_wrong_account_or_an_invalid_request_is_a_client_fault() {
    let simulators = Simulators::start_all(test_population()).await;
    let code = simulators.population().persons()[0].code.as_str().to_owned();
    let cases = [
        (request(&code).replace("simulated-password", "guess"), "NOT_AUTHORISED"),
        (request("12128211211"), "INVALID_REQUEST"),
        (request(&code).replace("<mach:Officer>caseworker-17</mach:Officer>", ""), "INVALID_REQUEST"),
        (request(&code).replace("GetPersonMachineryRequest", "GetPersonVehiclesRequest"), "INVALID_REQUEST"),
        ("<not-closed".to_owned(), "INVALID_REQUEST"),
    ];
    for (body, expected) in cases {
        let (status, answer) = post(&simulators, body).await;
        assert_eq!((status, CALL.fault_code(&answer)), (500, expected.to_owned()));
        assert_eq!(texts(&answer, "faultcode"), ["soap:Client"]);
    }
}

#[tokio::test]
async fn the_shared_faults_apply_and_other_paths_are_not_served() {
    let simulators = Simulators::start_all(test_population()).await;
    let code = simulators.population().persons()[0].code.as_str().to_owned();
    simulators.faults(System::Vtua).set(FaultConfig { outage: true, ..FaultConfig::default() });
    assert_eq!(post(&simulators, request(&code)).await.0, 503);
    simulators.faults(System::Vtua).set(FaultConfig::default());
    assert_eq!(post(&simulators, request(&code)).await.0, 200);
    CALL.assert_only_the_service_is_served(&simulators, "/vtua/machinery/v2").await;
    assert_eq!(simulators.faults(System::Vtua).total_requests(), 4, "every request is counted");
}
