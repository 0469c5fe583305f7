//! Fault injection through the admin route and in-process, and the per-second counters.

use std::time::{Duration, Instant};

use gateway_domain::System;

use super::{ADMIN_PATH, FaultConfig, FaultStatus};
use crate::Simulators;
use crate::test_support::test_population;

/// Any request to VSAA's operation path: faults come before the simulator looks at it.
async fn poke(client: &reqwest::Client, simulators: &Simulators) -> reqwest::Response {
    client.post(format!("{}/vsaa/income/v1", simulators.url(System::Vsaa))).send().await.expect("an answer")
}

#[tokio::test]
async fn a_healthy_simulator_answers_normally_and_counts() {
    let simulators = Simulators::start_all(test_population()).await;
    let client = reqwest::Client::new();
    // No SOAP body: the simulator's own fault, not an injected one.
    let response = poke(&client, &simulators).await;
    assert_eq!(response.status(), 500);
    assert!(response.text().await.unwrap().contains("INVALID_REQUEST"));
    assert_eq!(simulators.faults(System::Vsaa).total_requests(), 1);
}

#[tokio::test]
async fn an_outage_answers_503_with_retry_after_until_it_is_lifted_over_http() {
    let simulators = Simulators::start_all(test_population()).await;
    let client = reqwest::Client::new();
    let admin = format!("{}{ADMIN_PATH}", simulators.url(System::Vsaa));
    let outage = FaultConfig { outage: true, retry_after_secs: 7, ..FaultConfig::default() };
    assert_eq!(client.put(&admin).json(&outage).send().await.unwrap().status(), 204);

    let response = poke(&client, &simulators).await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "7");

    client.put(&admin).json(&FaultConfig::default()).send().await.unwrap();
    assert_eq!(poke(&client, &simulators).await.status(), 500, "the simulator's own answer again");
    let status: FaultStatus = client.get(&admin).send().await.unwrap().json().await.unwrap();
    assert_eq!(status.config, FaultConfig::default());
    assert_eq!(status.total_requests, 2, "admin calls are not counted");
}

#[tokio::test]
async fn an_invalid_fault_configuration_is_refused() {
    let simulators = Simulators::start_all(test_population()).await;
    let admin = format!("{}{ADMIN_PATH}", simulators.url(System::Pmlp));
    let response = reqwest::Client::new().put(&admin).body(r#"{"outage": "yes"}"#).send().await.unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn each_fault_kind_shows_as_itself() {
    let simulators = Simulators::start_all(test_population()).await;
    let client = reqwest::Client::new();
    let faults = simulators.faults(System::Vsaa);

    faults.set(FaultConfig { throttle_percent: 100, retry_after_secs: 1, ..FaultConfig::default() });
    let response = poke(&client, &simulators).await;
    assert_eq!((response.status().as_u16(), response.headers()["retry-after"].to_str().unwrap()), (429, "1"));

    faults.set(FaultConfig { server_error_percent: 100, ..FaultConfig::default() });
    assert_eq!(poke(&client, &simulators).await.status(), 500);

    faults.set(FaultConfig { soap_fault_percent: 100, ..FaultConfig::default() });
    let body = poke(&client, &simulators).await.text().await.unwrap();
    assert!(body.contains("<faultcode>soap:Server</faultcode>"));

    faults.set(FaultConfig { truncate_percent: 100, ..FaultConfig::default() });
    let body = poke(&client, &simulators).await.text().await.unwrap();
    assert!(body.starts_with("<?xml") && !body.contains("</soap:Envelope>"));

    faults.set(FaultConfig { malformed_percent: 100, ..FaultConfig::default() });
    let body = poke(&client, &simulators).await.text().await.unwrap();
    assert!(body.contains("<html>"));
}

#[tokio::test]
async fn added_latency_delays_the_answer() {
    let simulators = Simulators::start_all(test_population()).await;
    simulators.faults(System::Vsaa).set(FaultConfig { latency_ms: 300, ..FaultConfig::default() });
    let started = Instant::now();
    poke(&reqwest::Client::new(), &simulators).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn requests_are_counted_per_second() {
    let simulators = Simulators::start_all(test_population()).await;
    let client = reqwest::Client::new();
    for _ in 0..5 {
        poke(&client, &simulators).await;
    }
    let faults = simulators.faults(System::Vsaa);
    let per_second: u32 = faults.requests_per_second().iter().map(|(_, n)| n).sum();
    assert_eq!(per_second, 5);
    assert!((1..=5).contains(&faults.max_requests_in_one_second()));
    assert_eq!(simulators.faults(System::Pmlp).total_requests(), 0);
}
