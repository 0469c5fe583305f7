//! DigiSoc end to end through its simulator: referrals for 2 000 clients of 20 providers go out
//! through the outbox under a 50 % storm of server errors, each reaching DigiSoc exactly once;
//! the simulated providers report a month; the pull stores every revision once; the invoices are
//! imported; and the reconciliation equals, finding by finding, the truth the test computed from
//! what it told the providers to do.

use gateway_adapters::Partners;
use gateway_adapters::transport::resilience::BreakerConfig;
use gateway_domain::System;
use gateway_mocks::FaultConfig;
use indicatif::ProgressBar;
use registry_gateway::startup::partner_simulator_config;
use registry_gateway::status_sync::{Progress, StatusSync, StatusSyncConfig};
use serde_json::{Value, json};

use crate::helpers::spawn_app;
use crate::provider_plan::{CLIENTS, PROVIDERS, month, normalised, plan, provider};
use crate::sync_helpers::fast_sync_config;

async fn post_referrals(app: &crate::helpers::TestApp, referrals: &[gateway_domain::Referral]) {
    for batch in referrals.chunks(500) {
        let response = app
            .client
            .post(format!("{}/v1/referrals", app.server.url()))
            .json(&json!({ "referrals": batch }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    }
}

fn sync_config() -> StatusSyncConfig {
    StatusSyncConfig {
        // Under a 50 % storm a referral may need many attempts; none may run out of them.
        max_attempts: 30,
        linger_secs: 30,
        ..fast_sync_config(&[System::Digisoc])
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn referrals_reports_and_invoices_reconcile_finding_by_finding() {
    let _heavy = crate::helpers::heavy().await;
    let app = spawn_app().await;
    let plan = plan(&app.population);
    let mut partners_config = partner_simulator_config(&app.simulators);
    // The breaker opens under the storm (and the worker then waits instead of spending
    // attempts); short openings keep the test quick.
    partners_config.digisoc.transport.breaker =
        BreakerConfig { failure_threshold: 8, open_for_ms: 100, max_open_for_ms: 400 };
    // The quota that counts is the sync's shared one; the adapter's own must not bind.
    partners_config.digisoc.transport.quota.per_second = 100_000;
    let partners = Partners::build(&partners_config).unwrap();
    let channel = partners.referrals.clone().expect("DigiSoc is configured");
    let sync = StatusSync::new(app.store.clone(), Vec::new(), sync_config())
        .with_referrals(channel.clone())
        .with_breakers(partners.breakers.clone());

    // Referrals out, through a storm.
    post_referrals(&app, &plan.referrals).await;
    app.simulators.faults(System::Digisoc).set(FaultConfig { server_error_percent: 50, ..FaultConfig::default() });
    let report = sync.run_once(Progress::Hidden).await;
    app.simulators.faults(System::Digisoc).set(FaultConfig::default());
    let digisoc = report.partners.iter().find(|p| p.partner == Some(System::Digisoc)).unwrap();
    assert_eq!(digisoc.delivered, CLIENTS as u64, "{report:?}");
    assert!(digisoc.retried > 100, "the storm made deliveries fail: {digisoc:?}");
    eprintln!("storm: {digisoc:?} in {} ms", report.elapsed_ms);
    assert_eq!((digisoc.dead_lettered, digisoc.left_for_later), (0, 0));
    // Cancellations are later versions, delivered by the next run.
    post_referrals(&app, &plan.cancellations).await;
    let report = sync.run_once(Progress::Hidden).await;
    assert!(report.is_clean(), "{report:?}");

    let desk = app.simulators.digisoc();
    let accepted = desk.accepted_versions();
    assert_eq!(accepted.len(), CLIENTS + plan.cancellations.len(), "every version reached DigiSoc");
    assert!(accepted.values().all(|n| *n == 1), "a referral version was accepted twice");
    for referral in plan.referrals.iter().chain(&plan.cancellations) {
        assert!(accepted.contains_key(&(referral.referral_ref.clone(), referral.version)));
    }

    // The providers report; the pull stores each revision once, and a second pull finds nothing new.
    for report in &plan.reports {
        desk.report(report.clone());
    }
    let timeout = std::time::Duration::from_secs(10);
    let hidden = ProgressBar::hidden();
    let pulled = registry_gateway::providers::pull::pull_reports(&app.store, channel.as_ref(), 97, timeout, &hidden)
        .await
        .unwrap();
    assert_eq!(pulled.stored as usize, plan.revisions);
    assert_eq!((pulled.stored + pulled.repeated) as usize, plan.reports.len(), "one repeat per repeated report");
    let again = registry_gateway::providers::pull::pull_reports(&app.store, channel.as_ref(), 97, timeout, &hidden)
        .await
        .unwrap();
    assert_eq!(again.stored, 0, "the cursor was kept");
    assert_eq!(app.store.report_revisions().await.unwrap() as usize, plan.revisions);

    // Invoices in.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("invoices.csv");
    std::fs::write(&file, &plan.invoices_csv).unwrap();
    registry_gateway::providers::invoices::import_file(&app.store, &file).await.unwrap();

    // The reconciliation, through the API.
    let response =
        app.client.get(format!("{}/v1/provider-reports?month={}", app.server.url(), month())).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let found: Vec<Value> = body["findings"].as_array().unwrap().clone();
    let (expected, got) = (normalised(&plan.findings), normalised(&found));
    let missing: Vec<&String> = expected.difference(&got).take(5).collect();
    let unexpected: Vec<&String> = got.difference(&expected).take(5).collect();
    assert!(missing.is_empty() && unexpected.is_empty(), "missing {missing:#?}\nunexpected {unexpected:#?}");
    assert_eq!(found.len(), plan.findings.len(), "no finding twice");
    // Every kind of finding occurs.
    for kind in [
        "reported_without_referral",
        "reported_outside_referral",
        "over_referred_volume",
        "rule_breach",
        "invoiced_above_reported",
        "invoiced_without_report",
        "referral_without_report",
    ] {
        assert!(found.iter().any(|f| f["kind"] == kind), "no {kind}");
    }
    // Per provider and service: 20 clients each, 16 of them referred in October (one cancelled
    // and one ended in September per ten), 18 reported (two per ten sent none), plus the report
    // without a referral under day care.
    let rows = body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), PROVIDERS * 5);
    for row in rows {
        assert_eq!(row["referred"], 16, "{row}");
        let extra = u64::from(row["service"] == "day_care");
        assert_eq!(row["reported"].as_u64().unwrap(), 18 + extra, "{row}");
    }

    // One provider's view is cut from the whole.
    let one = provider(3);
    let response = app
        .client
        .get(format!("{}/v1/provider-reports?month={}&provider={one}", app.server.url(), month()))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    let theirs: Vec<Value> = found.iter().filter(|f| f["provider"] == one.as_str()).cloned().collect();
    assert_eq!(normalised(body["findings"].as_array().unwrap()), normalised(&theirs));
    assert!(body["rows"].as_array().unwrap().iter().all(|r| r["provider"] == one.as_str()));
}

#[tokio::test]
async fn bad_referrals_are_refused_whole_and_a_changed_version_is_a_conflict() {
    let app = spawn_app().await;
    let plan = plan(&app.population);
    let url = format!("{}/v1/referrals", app.server.url());
    let mut batch: Vec<Value> = plan.referrals[..3].iter().map(|r| serde_json::to_value(r).unwrap()).collect();
    batch[2]["volume"] = json!({ "kind": "home_care_level", "level": 4 });
    let response = app.client.post(&url).json(&json!({ "referrals": batch })).send().await.unwrap();
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "urn:registry-gateway:problem:invalid-field");
    assert!(problem["field"].as_str().unwrap().starts_with("/referrals/2/volume"), "{problem}");
    assert!(!problem.to_string().contains(plan.referrals[2].person.as_str()), "no personal code in {problem}");
    assert!(app.store.latest_referrals().await.unwrap().is_empty(), "nothing of the batch was stored");

    let mut wrong_person = serde_json::to_value(&plan.referrals[0]).unwrap();
    wrong_person["person"] = json!("121282-11211");
    let response = app.client.post(&url).json(&wrong_person).send().await.unwrap();
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["field"], "/person", "{problem}");
    assert!(!problem.to_string().contains("121282"), "the value is not repeated: {problem}");

    let first = serde_json::to_value(&plan.referrals[0]).unwrap();
    assert_eq!(app.client.post(&url).json(&first).send().await.unwrap().status(), 201);
    assert_eq!(app.client.post(&url).json(&first).send().await.unwrap().status(), 200, "a repeat changes nothing");
    let mut changed = first.clone();
    changed["volume"] = json!({ "kind": "home_care_level", "level": 3 });
    let response = app.client.post(&url).json(&changed).send().await.unwrap();
    assert_eq!(response.status(), 409);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "urn:registry-gateway:problem:referral-conflict");
}
