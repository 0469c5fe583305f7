//! Nothing personal in the logs: income checks (with assessments and declared incomes),
//! registry faults, refused bodies, status decisions and a sync through every partner
//! simulator, all logged at TRACE for the gateway's own code, then every captured line
//! searched for the persons' codes (either form), names and amounts.

use gateway_adapters::Partners;
use gateway_domain::{PersonCode, System};
use gateway_mocks::FaultConfig;
use registry_gateway::startup::partner_simulator_config;
use registry_gateway::status_sync::{Progress, StatusSync};
use serde_json::json;

use crate::helpers::{captured_logs, spawn_app};
use crate::sync_helpers::{fast_sync_config, household_decision};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_faults_decisions_and_a_sync_log_no_code_name_or_amount() {
    let app = spawn_app().await;
    let households: Vec<_> = app.population.households().iter().skip(120).take(12).cloned().collect();
    // Faults: VSAA fails some calls, NVA answers garbage to some, the Land Registry is down.
    app.simulators.faults(System::Vsaa).set(FaultConfig { server_error_percent: 40, ..FaultConfig::default() });
    app.simulators.faults(System::Nva).set(FaultConfig { malformed_percent: 40, ..FaultConfig::default() });
    app.simulators.faults(System::LandRegistry).set(FaultConfig { outage: true, ..FaultConfig::default() });
    let mut amounts: Vec<i64> = Vec::new();
    for household in &households {
        let applicant = &household.members[0];
        let body = json!({
            "applicant": applicant.as_str(),
            "members": household.members.iter().map(|m| m.hyphenated()).collect::<Vec<_>>(),
            "purpose": "means_test",
            "assess": true,
            "declared_incomes": [{ "person": applicant.as_str(), "kind": "old_age_pension", "monthly_cents": 123_457 }],
        });
        let response = app.post_check(&body).await;
        assert_eq!(response.status(), 200);
        let record: serde_json::Value = response.json().await.unwrap();
        for income in record["incomes"].as_array().unwrap() {
            amounts.push(income["amount_cents"].as_i64().unwrap());
        }
    }
    amounts.push(123_457);
    // A refused body that names a code.
    let refused = app.post_check(&json!({ "applicant": "121282-11211", "purpose": "means_test" })).await;
    assert_eq!(refused.status(), 400);

    // Decisions about the same households, then a sync through every partner simulator, with
    // one partner throttling.
    let decisions: Vec<_> = (0..households.len()).map(|i| household_decision(&app.population, 120 + i)).collect();
    for decision in &decisions {
        let response = app.post_decisions(&serde_json::to_value(decision).unwrap()).await;
        assert!(response.status().is_success());
    }
    app.simulators.faults(System::Nino).set(FaultConfig { throttle_percent: 30, ..FaultConfig::default() });
    let sinks = Partners::build(&partner_simulator_config(&app.simulators)).unwrap().sinks;
    let partners: Vec<System> = sinks.iter().map(|s| s.system()).collect();
    let sync = StatusSync::new(app.store.clone(), sinks, fast_sync_config(&partners));
    let report = sync.run_once(Progress::Hidden).await;
    assert!(report.total().delivered > 0, "{report:?}");

    let logs = String::from_utf8_lossy(&captured_logs().lock().unwrap()).to_string();
    // The capture's filter is `trace` for the gateway's crates; its debug lines (retries, gaps)
    // are the ones most likely to carry what they should not.
    assert!(logs.contains("Income check answered."), "the capture holds the checks' lines");
    assert!(
        logs.contains("Retrying delivery later.") || logs.contains("Registry call failed in transport."),
        "and their debug lines"
    );
    let mut persons: Vec<PersonCode> = households.iter().flat_map(|h| h.members.iter().cloned()).collect();
    persons.extend(decisions.iter().flat_map(|d| d.members.iter().cloned()));
    for code in &persons {
        assert!(!logs.contains(code.as_str()), "a personal code was logged");
        assert!(!logs.contains(&code.hyphenated()), "a personal code was logged");
        let person = app.population.person(code).unwrap();
        assert!(!logs.contains(&person.family_name), "a family name was logged");
    }
    assert!(!logs.contains("121282-11211") && !logs.contains("12128211211"), "a refused code was logged");
    // An amount reaches a log only through the types that carry it (`Money`, a record's
    // `amount_cents`, an income's `monthly_cents`): none of their names is in any line. (Bare
    // numbers are no test: latencies and counts are numbers too.)
    // The store's statement lines name columns such as `amount_cents` (never a bound value).
    let lines: String = logs.lines().filter(|l| !l.contains("sqlx::query")).collect::<Vec<_>>().join("\n");
    for key in ["Money(", "amount", "_cents", "IncomeRecord", "DeclaredIncome"] {
        let logs = &lines;
        assert!(
            !logs.contains(key),
            "{key} is in the logs: {}",
            logs.lines().find(|l| l.contains(key)).unwrap_or_default()
        );
    }
    assert!(!amounts.is_empty(), "the checks found incomes to look for");
}
