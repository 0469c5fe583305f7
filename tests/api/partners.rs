//! The partner adapters against the partner simulators, through the real wire formats: one
//! decision delivered twice is one acceptance and one duplicate acknowledgement as each
//! partner sees it; a person unknown to the population is a permanent refusal; a partner
//! outage is a failure for now, after which the delivery goes through once.

use std::path::Path;
use std::time::{Duration, Instant};

use gateway_adapters::Partners;
use gateway_domain::{
    HouseholdStatus, IdempotencyKey, PersonCode, Purpose, RequestContext, RequestId, SinkError, StatusDecision, System,
    old_format_check_digit,
};
use gateway_mocks::{FaultConfig, Population};
use registry_gateway::config::Config;
use registry_gateway::startup::partner_simulator_config;
use time::macros::date;

use crate::helpers::spawn_app;
use crate::sync_helpers::status_partners;

/// The context a delivery runs under, as the sync's worker gives it.
pub(crate) fn ctx() -> RequestContext {
    RequestContext {
        request_id: RequestId::new(),
        purpose: Purpose::StatusReview,
        legal_basis: "Social Services and Social Assistance Law, art. 33".into(),
        officer: "sync".into(),
        deadline: Instant::now() + Duration::from_secs(10),
    }
}

/// A decision about the first household of the population with more than one member.
fn decision(population: &Population, reference: &str) -> StatusDecision {
    let household = population.households().iter().find(|h| h.members.len() > 1).expect("a household of two");
    StatusDecision {
        decision_ref: reference.into(),
        version: 1,
        status: HouseholdStatus::LowIncome,
        members: household.members.clone(),
        valid_from: date!(2026 - 12 - 01),
        valid_to: Some(date!(2027 - 05 - 31)),
    }
}

/// A valid personal code the population does not know: nobody in it was born in 1901.
fn unknown_code(population: &Population) -> PersonCode {
    (0..1000u16)
        .map(|serial| {
            let digits = [0, 1, 0, 1, 0, 1, 1, (serial / 100) as u8, (serial / 10 % 10) as u8, (serial % 10) as u8];
            let text: String =
                digits.iter().chain([old_format_check_digit(&digits)].iter()).map(|d| char::from(b'0' + d)).collect();
            PersonCode::parse(&text).expect("a valid code")
        })
        .find(|code| population.person(code).is_none())
        .expect("an unknown code")
}

#[tokio::test]
async fn one_decision_delivered_twice_is_accepted_once_by_every_partner() {
    let app = spawn_app().await;
    let partners = Partners::build(&partner_simulator_config(&app.simulators)).expect("the partners build");
    let every = status_partners();
    assert!(every.contains(&System::Jpa) && every.len() >= 5, "{every:?}");
    assert_eq!(partners.sinks.iter().map(|s| s.system()).collect::<Vec<_>>(), every);
    assert!(partners.referrals.is_some(), "DigiSoc takes referrals");
    assert_eq!(partners.breakers.len(), every.len() + 1);
    let decision = decision(&app.population, "TUK-2026-000777");
    for system in every {
        let sink = partners.sink(system).expect("a sink per partner");
        let key = IdempotencyKey::derive(&decision.decision_ref, decision.version, system);
        let first = sink.deliver(&decision, &key, &ctx()).await.unwrap_or_else(|e| panic!("{system}: {e}"));
        let second = sink.deliver(&decision, &key, &ctx()).await.unwrap_or_else(|e| panic!("{system}: {e}"));
        assert_eq!((first.partner, first.duplicate), (system, false));
        assert_eq!((second.partner, second.duplicate), (system, true));
        assert_eq!(first.partner_ref, second.partner_ref, "{system}: a duplicate names the original");

        let simulators = &app.simulators;
        assert_eq!(simulators.accepted(system), [(key.as_str().to_owned(), 1)].into(), "{system}");
        assert_eq!(simulators.duplicates(system), [(key.as_str().to_owned(), 1)].into(), "{system}");
        assert_eq!(simulators.accepted_decisions(system), [(("TUK-2026-000777".to_owned(), 1), 1)].into());
    }
}

#[tokio::test]
async fn a_person_unknown_to_the_population_is_refused_for_good_by_every_partner() {
    let app = spawn_app().await;
    let partners = Partners::build(&partner_simulator_config(&app.simulators)).expect("the partners build");
    let mut decision = decision(&app.population, "TUK-2026-000778");
    decision.members.push(unknown_code(&app.population));
    for sink in &partners.sinks {
        let system = sink.system();
        let key = IdempotencyKey::derive(&decision.decision_ref, decision.version, system);
        let error = sink.deliver(&decision, &key, &ctx()).await.expect_err("an unknown person is refused");
        assert!(error.is_permanent(), "{system}: {error:?}");
        let SinkError::Rejected { code } = &error else { unreachable!() };
        assert!(code.to_ascii_lowercase().starts_with("unknown"), "{system}: {code}");
        assert!(app.simulators.accepted(system).is_empty());
        assert_eq!(app.simulators.rejected(system), [(key.as_str().to_owned(), 1)].into());
    }
}

#[tokio::test]
async fn a_partner_outage_fails_for_now_and_the_delivery_goes_through_once_after_it() {
    let app = spawn_app().await;
    let partners = Partners::build(&partner_simulator_config(&app.simulators)).expect("the partners build");
    let decision = decision(&app.population, "TUK-2026-000779");
    let earlier = StatusDecision { decision_ref: "TUK-2026-000780".into(), ..decision.clone() };
    for sink in &partners.sinks {
        let system = sink.system();
        // An earlier delivery leaves NINO's token cached, so that the outage meets the delivery
        // itself rather than the token request (a read, which the transport does retry).
        let earlier_key = IdempotencyKey::derive(&earlier.decision_ref, earlier.version, system);
        sink.deliver(&earlier, &earlier_key, &ctx()).await.unwrap_or_else(|e| panic!("{system}: {e}"));
        let key = IdempotencyKey::derive(&decision.decision_ref, decision.version, system);
        let faults = app.simulators.faults(system);
        faults.set(FaultConfig { outage: true, ..FaultConfig::default() });
        let before = faults.total_requests();
        let error = sink.deliver(&decision, &key, &ctx()).await.expect_err("an outage fails the delivery");
        assert!(!error.is_permanent(), "{system}: {error:?}");
        // A delivery is a write: the transport sent it once and left repeating it to the outbox.
        assert_eq!(faults.total_requests() - before, 1, "{system}");
        faults.set(FaultConfig::default());
        let receipt = sink.deliver(&decision, &key, &ctx()).await.unwrap_or_else(|e| panic!("{system}: {e}"));
        assert!(!receipt.duplicate);
        assert_eq!(app.simulators.accepted(system).get(key.as_str()), Some(&1), "{system}");
    }
}

#[test]
fn the_example_configuration_names_every_partner() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/gateway.example.toml");
    let config = Config::load(&path).expect("the example configuration loads");
    let partners = config.partners.expect("the example configures the partners");
    assert_eq!(partners.bridzis.base_url, "http://127.0.0.1:18089");
    assert_eq!(partners.spolis.municipality_code, "0901000");
    assert!(Partners::build(&partners).is_ok(), "the example's partners build");
}

#[tokio::test]
async fn readiness_reports_each_partner_breaker_beside_the_registries() {
    let app = spawn_app().await;
    let config = registry_gateway::startup::simulator_config(
        &app.simulators,
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        registry_gateway::config::IncomeCheckConfig::default(),
    );
    let partners = registry_gateway::startup::build_partners(&config).unwrap();
    let server = registry_gateway::startup::spawn_server_on(&config, app.store.clone(), &partners).await.unwrap();
    let ready: serde_json::Value =
        app.client.get(format!("{}/readyz", server.url())).send().await.unwrap().json().await.unwrap();
    let systems = ready["systems"].as_array().unwrap();
    let roles = |role: &str| systems.iter().filter(|s| s["role"] == role).count();
    let partners = status_partners().len();
    assert_eq!(roles("partner"), partners + 1, "the status partners and DigiSoc");
    let registries = gateway_adapters::RegistriesConfig::SYSTEMS;
    assert_eq!(roles("registry"), registries.len());
    // Every system is a registry or a partner; SPOLIS and NVA are asked and delivered to.
    let both: Vec<System> = registries.iter().copied().filter(|s| status_partners().contains(s)).collect();
    assert_eq!(both, [System::Nva, System::Spolis]);
    assert_eq!(registries.len() + partners + 1 - both.len(), System::ALL.len());
    assert_eq!(ready["degraded"], false);
}
