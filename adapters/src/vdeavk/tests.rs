//! The VDEĀVK adapter against a mock disability service built from `schemas/vdeavk/` examples.

use gateway_domain::{Fact, SourceError, StatusKind, System};
use time::macros::date;

use super::{VdeavkClient, VdeavkConfig};
use crate::compliance::{self, Contract, SoapFixture, SoapSource, soap_source_config};

/// VDEĀVK's disability operation, as the shared SOAP suite calls it.
struct Vdeavk;

type VdeavkFixture = SoapFixture<Vdeavk>;

impl SoapSource for Vdeavk {
    type Client = VdeavkClient;

    const CONTRACT: Contract = Contract::new("vdeavk");
    const PATH: &'static str = "/vdeavk/disability/v1";
    const ACTION: &'static str = "urn:lv:vdeavk:disability:v1:GetDisabilityDeterminations";
    const REQUEST: &'static str = "get-disability-determinations-request";
    const RESPONSE: &'static str = "get-disability-determinations-response";
    const PREFIX: &'static str = "dis";

    fn config(base_url: String) -> VdeavkConfig {
        soap_source_config!(VdeavkConfig, base_url)
    }

    fn malformed(example: &str) -> String {
        example.replace("<dis:Group>II<", "<dis:Group>IV<")
    }

    fn check_happy(facts: &[Fact]) {
        let [Fact::Status(status)] = facts else { panic!("one status") };
        assert_eq!(status.kind, StatusKind::DisabilityGroupII);
        assert!(status.special_care);
        assert_eq!((status.valid_from, status.valid_to), (date!(2024 - 03 - 01), Some(date!(2029 - 02 - 28))));
        assert_eq!(
            (status.provenance.system, status.provenance.record_id.as_str()),
            (System::Vdeavk, "vdeavk-000042-01")
        );
    }
}

#[tokio::test]
async fn get_disability_determinations_passes_the_compliance_suite() {
    compliance::run::<VdeavkFixture>().await;
}

#[test]
fn every_example_validates_against_the_schemas() {
    compliance::soap_examples_validate::<Vdeavk>();
    assert!(!Vdeavk::CONTRACT.xsd_valid(&Vdeavk::example().replace(">II<", ">IV<")));
}

#[tokio::test]
async fn the_request_envelope_validates_and_asks_for_the_days_of_the_period() {
    let body = compliance::soap_request_envelope::<Vdeavk>().await;
    for expected in ["<FromDate>2026-08-01</FromDate>", "<ToDate>2026-10-31</ToDate>", "<Purpose>means_test</Purpose>"]
    {
        assert!(body.contains(expected), "{expected}");
    }
}

#[tokio::test]
async fn an_indefinite_determination_has_no_end_and_a_past_one_is_malformed() {
    let open = Vdeavk::example().replace("<dis:ValidTo>2029-02-28</dis:ValidTo>", "");
    assert!(Vdeavk::CONTRACT.xsd_valid(&open));
    let facts = VdeavkFixture::answer(open).await.unwrap();
    assert!(matches!(&facts[0], Fact::Status(s) if s.valid_to.is_none()));

    let past = Vdeavk::example().replace("2029-02-28", "2025-02-28");
    assert!(matches!(VdeavkFixture::answer(past).await, Err(SourceError::Malformed { .. })));
}
