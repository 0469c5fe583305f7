//! Registries that are slow, flaky, throttling or down: the answer still comes, on time, with
//! every missing fact named and never a wrong amount.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use futures::StreamExt;
use gateway_adapters::transport::resilience::{BreakerConfig, QuotaConfig, RetryConfig};
use gateway_domain::{GapReason, GapTopic, HouseholdRecord, Period, System};
use gateway_mocks::{FaultConfig, Population};
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app_with};

/// Persons of the shared population, in a stable order.
fn applicants(population: &Population, n: usize) -> Vec<String> {
    population.persons().iter().take(n).map(|p| p.code.as_str().to_owned()).collect()
}

/// Every VSAA income in the record is the population's truth; members with VSAA gaps have none.
fn assert_no_wrong_amounts(population: &Population, record: &HouseholdRecord) {
    let gapped: BTreeSet<_> =
        record.gaps.iter().filter(|g| g.system == System::Vsaa).map(|g| g.person.clone()).collect();
    for member in &record.members {
        let reported: BTreeSet<_> = record
            .incomes
            .iter()
            .filter(|i| i.person == member.person_code && i.provenance.system == System::Vsaa)
            .map(|i| (i.month, i.kind, i.amount, i.provenance.record_id.clone()))
            .collect();
        if gapped.contains(&Some(member.person_code.clone())) {
            assert!(reported.is_empty(), "a member with a gap has no partial incomes");
            continue;
        }
        let truth: BTreeSet<_> = population
            .incomes(&member.person_code, record.period)
            .into_iter()
            .map(|i| (i.month, i.kind, i.amount, i.record_id))
            .collect();
        assert_eq!(reported, truth);
    }
    assert_eq!(record.complete, record.gaps.is_empty());
}

async fn check_many(app: &TestApp, applicants: &[String], concurrency: usize) -> Vec<HouseholdRecord> {
    futures::stream::iter(applicants).map(|a| app.check_alone(a)).buffer_unordered(concurrency).collect().await
}

#[tokio::test]
async fn thirty_percent_server_errors_are_recovered_by_retries_or_named_as_gaps() {
    let app = spawn_app_with(|config| {
        config.registries.vsaa.transport.retry =
            RetryConfig { max_attempts: 4, base_backoff_ms: 10, max_backoff_ms: 50 };
        // The breaker must not open on a flaky-but-alive registry in this test.
        config.registries.vsaa.transport.breaker.failure_threshold = 1_000;
    })
    .await;
    app.simulators.faults(System::Vsaa).set(FaultConfig { server_error_percent: 30, ..FaultConfig::default() });
    let records = check_many(&app, &applicants(&app.population, 60), 8).await;
    let complete = records.iter().filter(|r| r.complete).count();
    for record in &records {
        assert_no_wrong_amounts(&app.population, record);
    }
    // With four attempts, a call fails only when all four draw the 30 %: under 1 %.
    assert!(complete >= 55, "retries recovered {complete} of 60");
    assert!(app.simulators.received_requests(System::Vsaa).await > 60, "retries happened");
}

#[tokio::test]
async fn a_full_outage_opens_the_breaker_and_later_checks_fail_fast_until_recovery() {
    let app = spawn_app_with(|config| {
        config.registries.vsaa.transport.retry = RetryConfig { max_attempts: 1, ..RetryConfig::default() };
        config.registries.vsaa.transport.breaker =
            BreakerConfig { failure_threshold: 3, open_for_ms: 700, max_open_for_ms: 700 };
    })
    .await;
    let people = applicants(&app.population, 10);
    let faults = app.simulators.faults(System::Vsaa);
    faults.set(FaultConfig { outage: true, ..FaultConfig::default() });
    for applicant in &people[..3] {
        let record = app.check_alone(applicant).await;
        assert_eq!(record.gaps[0].reason, GapReason::Unavailable);
    }
    assert_eq!(faults.total_requests(), 3);
    let ready: Value =
        app.client.get(format!("{}/readyz", app.server.url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(ready["degraded"], true);
    assert!(ready["systems"].as_array().unwrap().iter().any(|s| s["system"] == "vsaa" && s["breaker"] == "open"));

    // Open: checks answer at once with gaps and the registry sees nothing.
    for applicant in &people[3..8] {
        let started = Instant::now();
        let record = app.check_alone(applicant).await;
        assert!(started.elapsed() < Duration::from_millis(200));
        assert!(!record.complete);
        assert_eq!((record.gaps[0].system, record.gaps[0].reason), (System::Vsaa, GapReason::Unavailable));
    }
    assert_eq!(faults.total_requests(), 3, "the open breaker kept calls off the registry");

    // Recovery: after the backoff one probe goes through, succeeds, and the breaker closes.
    faults.set(FaultConfig::default());
    tokio::time::sleep(Duration::from_millis(800)).await;
    let record = app.check_alone(&people[8]).await;
    assert!(record.complete, "{:?}", record.gaps);
    assert_no_wrong_amounts(&app.population, &record);
    let ready: Value =
        app.client.get(format!("{}/readyz", app.server.url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(ready["degraded"], false);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_before_the_retry() {
    let app = spawn_app_with(|config| {
        config.registries.vsaa.transport.retry =
            RetryConfig { max_attempts: 2, base_backoff_ms: 10, max_backoff_ms: 10 };
    })
    .await;
    app.simulators.faults(System::Vsaa).set(FaultConfig {
        throttle_percent: 100,
        retry_after_secs: 1,
        ..FaultConfig::default()
    });
    let started = Instant::now();
    let record = app.check_alone(&applicants(&app.population, 1)[0]).await;
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}", started.elapsed());
    assert_eq!(app.simulators.received_requests(System::Vsaa).await, 2);
    assert_eq!(record.gaps[0].reason, GapReason::RateLimited);
}

#[tokio::test]
async fn the_quota_holds_while_two_hundred_checks_run_at_once() {
    let _heavy = crate::helpers::heavy().await;
    let app = spawn_app_with(|config| {
        config.registries.vsaa.transport.quota = QuotaConfig { per_second: 20, burst: Some(1) };
        config.income_check.deadline_ms = 30_000;
    })
    .await;
    let people = applicants(&app.population, 200);
    let records = check_many(&app, &people, 200).await;
    for record in &records {
        assert!(record.complete, "{:?}", record.gaps);
        assert_no_wrong_amounts(&app.population, record);
    }
    let faults = app.simulators.faults(System::Vsaa);
    assert_eq!(faults.total_requests(), 200);
    assert!(faults.max_requests_in_one_second() <= 20, "{:?}", faults.requests_per_second());
    assert!(faults.max_requests_in_one_second() >= 15, "the quota was used, not starved");
}

#[tokio::test]
async fn malformed_and_truncated_answers_are_malformed_gaps() {
    let app = spawn_app_with(|_| {}).await;
    let people = applicants(&app.population, 2);
    let faults = app.simulators.faults(System::Vsaa);
    for (applicant, config) in people.iter().zip([
        FaultConfig { malformed_percent: 100, ..FaultConfig::default() },
        FaultConfig { truncate_percent: 100, ..FaultConfig::default() },
    ]) {
        faults.set(config);
        let record = app.check_alone(applicant).await;
        let gap = &record.gaps[0];
        assert_eq!((gap.system, gap.topic, gap.reason), (System::Vsaa, GapTopic::Incomes, GapReason::Malformed));
        assert!(record.incomes.iter().all(|i| i.provenance.system != System::Vsaa));
    }
}

#[tokio::test]
async fn a_slow_registry_becomes_a_timeout_gap_within_the_deadline() {
    let app = spawn_app_with(|config| {
        config.income_check.deadline_ms = 2_000;
        config.registries.vsaa.transport.timeout_ms = 30_000;
    })
    .await;
    app.simulators.faults(System::Vsaa).set(FaultConfig { latency_ms: 10_000, ..FaultConfig::default() });
    let household = app.population.households().iter().find(|h| h.members.len() >= 2).unwrap();
    let started = Instant::now();
    let record = app.check(household.members[0].as_str(), None::<Period>).await;
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(2_200), "answered in {elapsed:?}");
    assert_eq!(record.members.len(), household.members.len(), "PMLP answered in time");
    assert_eq!(record.gaps.len(), household.members.len());
    assert!(record.gaps.iter().all(|g| (g.system, g.reason) == (System::Vsaa, GapReason::Timeout)));
}
