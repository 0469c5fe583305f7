//! `GET /metrics` counts what the app did: income checks and each registry call by outcome,
//! the retries and the breaker of a registry in an outage, deliveries and dead letters of a
//! sync, and what waits in the outbox. No series names a person or a decision.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use gateway_adapters::transport::resilience::{BreakerConfig, RetryConfig};
use gateway_domain::{StatusSink, System};
use gateway_mocks::FaultConfig;
use registry_gateway::auth::Role;
use registry_gateway::status_sync::{Progress, StatusSync};

use crate::helpers::{issuer, spawn_app_with};
use crate::sync_helpers::{decision, fast_sync_config};
use crate::sync_partners::{PartnerFaults, TestSink};

/// Each sample line of the exposition: `name{labels}` to its value.
fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            Some((series.to_owned(), value.parse().ok()?))
        })
        .collect()
}

fn value(samples: &BTreeMap<String, f64>, series: &str) -> f64 {
    *samples.get(series).unwrap_or_else(|| panic!("{series} is exposed; the exposition has {samples:#?}"))
}

#[tokio::test]
async fn metrics_count_checks_calls_retries_the_breaker_and_a_sync() {
    let app = spawn_app_with(|config| {
        let vsaa = &mut config.registries.vsaa.transport;
        // Three attempts a call, so each call in the outage is two retries; the sixth failed
        // attempt (the second call's last) opens the breaker, which then stays open.
        vsaa.retry = RetryConfig { max_attempts: 3, base_backoff_ms: 5, max_backoff_ms: 10 };
        vsaa.breaker = BreakerConfig { failure_threshold: 6, open_for_ms: 600_000, max_open_for_ms: 600_000 };
    })
    .await;
    let applicants: Vec<String> = app.population.persons().iter().take(5).map(|p| p.code.as_str().to_owned()).collect();

    // Three checks with every registry up, then two in a VSAA outage.
    let mut records = Vec::new();
    for applicant in &applicants[..3] {
        records.push(app.check_alone(applicant).await);
    }
    app.simulators.faults(System::Vsaa).set(FaultConfig { outage: true, ..FaultConfig::default() });
    for applicant in &applicants[3..] {
        records.push(app.check_alone(applicant).await);
    }
    for record in &records[3..] {
        assert!(record.gaps.iter().any(|g| g.system == System::Vsaa), "the outage leaves a VSAA gap");
    }
    let complete = records.iter().filter(|r| r.complete).count() as f64;

    // A sync: BARIS takes decision 1, NINO refuses it for good, BRIDZIS has no worker here.
    let partners = [System::Baris, System::Nino];
    app.store.store_messages(&[decision(1)], &[System::Baris, System::Nino, System::Bridzis]).await.unwrap();
    let sinks: Vec<TestSink> = partners.iter().map(|p| TestSink::new(*p)).collect();
    sinks[1].set_faults(PartnerFaults { reject_refs: [decision(1).decision_ref].into(), ..Default::default() });
    let dyn_sinks: Vec<Arc<dyn StatusSink>> =
        sinks.iter().map(|s| Arc::new(s.clone()) as Arc<dyn StatusSink>).collect();
    let sync = app.server.observe(StatusSync::new(app.store.clone(), dyn_sinks, fast_sync_config(&partners)));
    let report = sync.run_once(Progress::Hidden).await;
    assert!(report.is_clean(), "{report:?}");
    tokio::time::sleep(Duration::from_millis(20)).await;

    let operator = issuer().token("metrics-test", &[Role::Operator], Duration::from_secs(60));
    let response =
        reqwest::Client::new().get(format!("{}/metrics", app.server.url())).bearer_auth(operator).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("application/openmetrics-text"), "{content_type}");
    let text = response.text().await.unwrap();
    let s = samples(&text);

    // Checks and the calls each made to VSAA: one member each.
    assert_eq!(
        value(&s, r#"gateway_income_checks_total{outcome="complete"}"#),
        complete,
        "every complete record is counted"
    );
    assert_eq!(value(&s, r#"gateway_income_checks_total{outcome="incomplete"}"#), 5.0 - complete);
    assert_eq!(value(&s, "gateway_income_check_duration_seconds_count"), 5.0);
    assert_eq!(value(&s, r#"gateway_registry_requests_total{system="vsaa",outcome="ok"}"#), 3.0);
    assert_eq!(value(&s, r#"gateway_registry_requests_total{system="vsaa",outcome="unavailable"}"#), 2.0);
    assert_eq!(value(&s, r#"gateway_registry_request_duration_seconds_count{system="vsaa"}"#), 5.0);
    assert!(value(&s, r#"gateway_registry_requests_total{system="pmlp",outcome="ok"}"#) >= 5.0);
    assert_eq!(value(&s, r#"gateway_retries_total{system="vsaa",role="registry"}"#), 4.0);
    assert_eq!(value(&s, r#"gateway_retries_total{system="nva",role="registry"}"#), 0.0);
    assert_eq!(value(&s, r#"gateway_quota_waits_total{system="vsaa",role="registry"}"#), 0.0);
    assert_eq!(value(&s, r#"gateway_breaker_state{system="vsaa",role="registry",state="open"}"#), 1.0);
    assert_eq!(value(&s, r#"gateway_breaker_state{system="vsaa",role="registry",state="closed"}"#), 0.0);
    assert_eq!(value(&s, r#"gateway_breaker_state{system="nva",role="registry",state="closed"}"#), 1.0);
    assert_eq!(value(&s, r#"gateway_breaker_opened_total{system="vsaa",role="registry"}"#), 1.0);

    // The sync: one delivery, one dead letter, one message still waiting for BRIDZIS.
    assert_eq!(value(&s, r#"gateway_deliveries_total{partner="baris",outcome="delivered"}"#), 1.0);
    assert_eq!(value(&s, r#"gateway_deliveries_total{partner="nino",outcome="dead_lettered"}"#), 1.0);
    assert_eq!(value(&s, r#"gateway_delivery_duration_seconds_count{partner="baris"}"#), 1.0);
    assert_eq!(value(&s, r#"gateway_sync_runs_total{result="clean"}"#), 1.0);
    assert_eq!(value(&s, "gateway_sync_duration_seconds_count"), 1.0);
    assert_eq!(value(&s, r#"gateway_dead_letters{partner="nino"}"#), 1.0);
    assert_eq!(value(&s, r#"gateway_dead_letters{partner="baris"}"#), 0.0);
    assert_eq!(value(&s, r#"gateway_outbox_pending{partner="bridzis"}"#), 1.0);
    assert_eq!(value(&s, r#"gateway_outbox_pending{partner="baris"}"#), 0.0);
    assert!(value(&s, r#"gateway_outbox_oldest_pending_age_seconds{partner="bridzis"}"#) > 0.0);
    assert_eq!(value(&s, r#"gateway_outbox_oldest_pending_age_seconds{partner="baris"}"#), 0.0);
    assert_eq!(value(&s, "gateway_store_up"), 1.0);

    // Nothing about anyone: no personal code, no decision, no amount.
    for applicant in &applicants {
        assert!(!text.contains(applicant.as_str()), "no personal code in the exposition");
    }
    assert!(!text.contains(&decision(1).decision_ref), "no decision reference in the exposition");
    for member in &decision(1).members {
        assert!(!text.contains(member.as_str()));
    }
    assert!(!text.contains("cents"), "no amounts");
}

#[tokio::test]
async fn metrics_need_the_operator_role() {
    let app = spawn_app_with(|_| {}).await;
    let url = format!("{}/metrics", app.server.url());
    let anonymous = reqwest::Client::new().get(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let caseworker = issuer().token("metrics-test", &[Role::Caseworker], Duration::from_secs(60));
    let response = reqwest::Client::new().get(&url).bearer_auth(caseworker).send().await.unwrap();
    assert_eq!(response.status(), 403);
}
