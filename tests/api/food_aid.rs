//! `GET /v1/food-aid-kits` end to end: decisions delivered to KIM over its wire format, the kits
//! KIM issues under them read back through the API and compared with what the simulator
//! issued, kit by kit; and the problems when KIM fails or is not configured.

use std::collections::{BTreeMap, BTreeSet};

use gateway_adapters::Partners;
use gateway_domain::{HouseholdStatus, IdempotencyKey, Month, StatusDecision, System};
use registry_gateway::startup::partner_simulator_config;
use serde_json::Value;
use time::macros::date;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::partners::ctx;

/// Decision reference, recipient, kind, count, day, distributor, KIM's record id.
type KitRow = (String, String, String, u64, String, String, String);

async fn get(app: &TestApp, query: &str) -> (u16, Value) {
    app.get_json(&format!("/v1/food-aid-kits{query}")).await
}

/// Delivers a year's needy or low-income decision for each of `count` households to KIM.
async fn deliver_decisions(app: &TestApp, count: usize) {
    let partners = Partners::build(&partner_simulator_config(&app.simulators)).expect("the partners build");
    let kim = partners.sink(System::Kim).expect("KIM is a partner");
    for (i, household) in app.population.households().iter().step_by(7).take(count).enumerate() {
        let decision = StatusDecision {
            decision_ref: format!("TUK-2026-{:06}", 500 + i),
            version: 1,
            status: if i % 3 == 0 { HouseholdStatus::LowIncome } else { HouseholdStatus::Needy },
            members: household.members.clone(),
            valid_from: date!(2026 - 01 - 01),
            valid_to: Some(date!(2026 - 12 - 31)),
        };
        let key = IdempotencyKey::derive(&decision.decision_ref, decision.version, System::Kim);
        kim.deliver(&decision, &key, &ctx()).await.expect("KIM accepts the decision");
    }
}

fn as_key(value: &Value) -> String {
    value.as_str().expect("a string").to_owned()
}

#[tokio::test]
async fn the_kits_read_back_are_the_kits_kim_issued_per_household_and_month() {
    let app = spawn_app().await;
    deliver_decisions(&app, 40).await;
    assert_eq!(app.simulators.kim().accepted().len(), 40);
    let mut kinds_seen = BTreeSet::new();
    for month in ["2026-03", "2026-08", "2026-11"] {
        let issued = app.simulators.kim().kits(Month::parse(month).unwrap());
        assert!(!issued.is_empty(), "KIM issued kits in {month}");
        let expected: BTreeSet<KitRow> = issued
            .iter()
            .map(|k| {
                (
                    k.decision_ref.clone(),
                    k.recipient.as_str().to_owned(),
                    serde_json::to_value(k.kind).unwrap().as_str().unwrap().to_owned(),
                    u64::from(k.count),
                    k.issued_on.to_string(),
                    k.distributor.registration_number.clone(),
                    k.record_id.clone(),
                )
            })
            .collect();
        let (status, body) = get(&app, &format!("?month={month}")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["month"], month);
        let households = body["households"].as_array().unwrap();
        let mut reported = BTreeSet::new();
        let mut totals: BTreeMap<String, u64> = BTreeMap::new();
        for household in households {
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for issue in household["issues"].as_array().unwrap() {
                assert_eq!(issue["decision_ref"], household["decision_ref"]);
                assert_eq!(issue["provenance"]["system"], "kim");
                let kind = as_key(&issue["kind"]);
                let count = issue["count"].as_u64().unwrap();
                *counts.entry(kind.clone()).or_default() += count;
                *totals.entry(kind.clone()).or_default() += count;
                kinds_seen.insert(kind.clone());
                reported.insert((
                    as_key(&household["decision_ref"]),
                    as_key(&issue["recipient"]),
                    kind,
                    count,
                    as_key(&issue["issued_on"]),
                    as_key(&issue["distributor"]["registration_number"]),
                    as_key(&issue["provenance"]["record_id"]),
                ));
            }
            let stated: BTreeMap<String, u64> = serde_json::from_value(household["kits"].clone()).unwrap();
            assert_eq!(stated, counts, "a household's counts are its issues'");
        }
        assert_eq!(reported, expected, "{month}");
        let stated: BTreeMap<String, u64> = serde_json::from_value(body["totals"].clone()).unwrap();
        assert_eq!(stated, totals, "{month}");
        let refs: Vec<&str> = households.iter().map(|h| h["decision_ref"].as_str().unwrap()).collect();
        assert!(refs.windows(2).all(|w| w[0] < w[1]), "one entry per household, in reference order");
    }
    assert!(kinds_seen.contains("food") && kinds_seen.contains("school_supplies"), "{kinds_seen:?}");
    // Before any decision took effect there are no kits.
    let (status, body) = get(&app, "?month=2025-06").await;
    assert_eq!((status, body["households"].as_array().map(Vec::len)), (200, Some(0)));
}

#[tokio::test]
async fn a_bad_month_a_failing_kim_and_a_gateway_without_kim_are_problems() {
    let mut app = spawn_app().await;
    for query in ["", "?month=2026-13", "?month=2999-01", "?month=2026-11&x=1"] {
        let (status, body) = get(&app, query).await;
        assert_eq!((status, body["type"].as_str()), (400, Some("urn:registry-gateway:problem:invalid-parameter")));
        assert_eq!(body["parameter"], "month", "{query}");
    }
    app.simulators.stop(System::Kim);
    let (status, body) = get(&app, "?month=2026-11").await;
    assert_eq!((status, body["type"].as_str()), (502, Some("urn:registry-gateway:problem:registry-failed")));
    assert_eq!(body["detail"], "kim: unavailable");

    let alone = spawn_app_with(|config| config.partners = None).await;
    let (status, body) = get(&alone, "?month=2026-11").await;
    assert_eq!((status, body["type"].as_str()), (503, Some("urn:registry-gateway:problem:not-configured")));
}
