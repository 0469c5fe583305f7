//! The VTUA adapter against a mock machinery register built from `schemas/vtua/` examples.

use gateway_domain::{Fact, GapTopic, PersonSource, SourceError, System, VehicleKind, VehicleRole};

use super::{VtuaClient, VtuaConfig};
use crate::compliance::{self, Contract, SoapFixture, SoapSource, person_query, soap_source_config};

/// VTUA's machinery operation, as the shared SOAP suite calls it.
struct Vtua;

type VtuaFixture = SoapFixture<Vtua>;

impl SoapSource for Vtua {
    type Client = VtuaClient;

    const CONTRACT: Contract = Contract::new("vtua");
    const PATH: &'static str = "/vtua/machinery/v1";
    const ACTION: &'static str = "urn:lv:vtua:machinery:v1:GetPersonMachinery";
    const REQUEST: &'static str = "get-person-machinery-request";
    const RESPONSE: &'static str = "get-person-machinery-response";
    const PREFIX: &'static str = "mach";

    fn config(base_url: String) -> VtuaConfig {
        soap_source_config!(VtuaConfig, base_url)
    }

    fn malformed(example: &str) -> String {
        example.replace(">TRAILER<", ">BARROW<")
    }

    fn check_happy(facts: &[Fact]) {
        let machines: Vec<_> = facts
            .iter()
            .map(|fact| {
                let Fact::Vehicle(machine) = fact else { panic!("VTUA reports machinery only") };
                assert_eq!(machine.person, person_query().person, "the asked person's machine");
                assert_eq!(machine.provenance.system, System::Vtua);
                (
                    machine.registration_number.as_str(),
                    machine.kind,
                    machine.make.as_str(),
                    machine.year,
                    machine.role,
                    machine.provenance.record_id.as_str(),
                )
            })
            .collect();
        assert_eq!(
            machines,
            [
                ("T0517LB", VehicleKind::Tractor, "MTZ", 1988, VehicleRole::Owner, "vtua-00000042"),
                ("T2291KA", VehicleKind::TractorTrailer, "2PTS", 1991, VehicleRole::Owner, "vtua-00000043"),
                (
                    "T8804LC",
                    VehicleKind::SelfPropelledMachine,
                    "John Deere",
                    2016,
                    VehicleRole::Holder,
                    "vtua-00000044"
                ),
            ]
        );
    }
}

#[tokio::test]
async fn get_person_machinery_passes_the_compliance_suite() {
    compliance::run::<VtuaFixture>().await;
}

#[test]
fn every_example_validates_against_the_schemas() {
    compliance::soap_examples_validate::<Vtua>();
    for (from, to) in [(">TRAILER<", ">BARROW<"), ("T0517LB", "AB-1234"), (">OWNER<", ">LESSEE<"), (">1988<", ">88<")] {
        assert!(!Vtua::CONTRACT.xsd_valid(&Vtua::example().replacen(from, to, 1)), "{to}");
    }
}

#[tokio::test]
async fn the_request_envelope_validates_and_carries_who_asks_and_why() {
    let body = compliance::soap_request_envelope::<Vtua>().await;
    for expected in [
        "<PersonCode>12128211210</PersonCode>",
        "<Purpose>means_test</Purpose>",
        "<Officer>caseworker-17</Officer>",
        "<wsse:Username>tukums-social-service</wsse:Username>",
    ] {
        assert!(body.contains(expected), "{expected}");
    }
}

#[tokio::test]
async fn other_namespace_prefixes_parse_the_same() {
    compliance::soap_other_prefixes_parse_the_same::<Vtua>().await;
}

#[tokio::test]
async fn a_person_without_machinery_has_none() {
    compliance::soap_empty_answer_has_no_facts::<Vtua>("Machine", "Machine").await;
}

#[tokio::test]
async fn machines_off_the_contract_twice_listed_or_of_another_person_are_malformed() {
    let example = Vtua::example();
    for (from, to) in [
        (">TRACTOR<", ">tractor<"),
        (">OWNER<", ">LESSEE<"),
        ("T0517LB", "T517LB"),
        ("T0517LB", "AB-1234"),
        ("T2291KA", "T0517LB"),
        (">MTZ<", "> <"),
        (">1988<", ">1899<"),
        (">1988<", ">2999<"),
        (">1988<", ">nineteen<"),
        (">vtua-00000042<", "><"),
        ("<mach:PersonCode>12128211210", "<mach:PersonCode>32579318462"),
        ("<mach:PersonCode>12128211210", "<mach:PersonCode>12128211211"),
    ] {
        let broken = example.replacen(from, to, 1);
        assert!(matches!(VtuaFixture::answer(broken).await, Err(SourceError::Malformed { .. })), "{from} -> {to}");
    }
}

#[tokio::test]
async fn a_service_unavailable_fault_is_unavailable() {
    compliance::soap_unavailable_fault_is_unavailable::<Vtua>().await;
}

#[test]
fn a_failure_leaves_assets_unknown_and_nothing_else() {
    let client = VtuaClient::new(&Vtua::config("http://127.0.0.1:9".into())).unwrap();
    assert_eq!((client.system(), client.topics()), (System::Vtua, [GapTopic::Assets].as_slice()));
}
