//! One request id from the caller's answer to the registries and the logs: the id in the
//! `x-request-id` answer header is the one every registry received (the `X-Request-Id` header
//! on REST and SOAP, and the SOAP request header's `RequestId`), and with `[log] format =
//! "json"` every line the request writes names it.

use std::process::Stdio;
use std::time::{Duration, Instant};

use gateway_domain::System;
use gateway_mocks::Simulators;
use serde_json::{Value, json};

use crate::helpers::{shared_population, spawn_app};
use crate::shutdown::{free_port, terminate};
use crate::sync_helpers::ProcessConfig;

#[tokio::test]
async fn every_registry_receives_the_request_id_the_api_answers_with() {
    let app = spawn_app().await;
    let household = app.population.households().iter().find(|h| h.members.len() >= 2).unwrap().clone();
    let response = app
        .post_check(&json!({
            "applicant": household.members[0].as_str(), "purpose": "means_test", "officer": "test-officer",
        }))
        .await;
    assert_eq!(response.status(), 200);
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let record: Value = response.json().await.unwrap();
    assert!(record["gaps"].as_array().unwrap().is_empty(), "{}", record["gaps"]);
    for system in [System::Pmlp, System::Nva, System::Vsaa, System::Vdeavk, System::LandRegistry] {
        let seen = app.simulators.faults(system).last_request_ids();
        assert_eq!(seen.header.as_deref(), Some(request_id.as_str()), "{system}'s X-Request-Id");
    }
    for system in [System::Vsaa, System::Vdeavk, System::LandRegistry] {
        let seen = app.simulators.faults(system).last_request_ids();
        assert_eq!(seen.soap_header.as_deref(), Some(request_id.as_str()), "{system}'s SOAP RequestId");
    }
}

/// Where a JSON log line names a request id: a field of its own, or its spans'.
fn request_ids_of(line: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    let mut add = |value: &Value| {
        if let Some(id) = value.get("request_id").and_then(Value::as_str) {
            ids.push(id.to_owned());
        }
    };
    add(&line["fields"]);
    add(&line["span"]);
    for span in line["spans"].as_array().into_iter().flatten() {
        add(span);
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_name_the_request_id_on_every_line_a_request_writes() {
    let dir = tempfile::tempdir().unwrap();
    let population = shared_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let store = format!("data_dir = \"{}\"", dir.path().join("data").display());
    let config = ProcessConfig::write(dir.path(), &simulators, &store, 20, "");
    let port = free_port();
    let mut text = std::fs::read_to_string(&config.path).unwrap();
    text.push_str(&format!("\n[server]\nbind = \"127.0.0.1:{port}\"\n\n[log]\nformat = \"json\"\n"));
    std::fs::write(&config.path, text).unwrap();
    let url = format!("http://127.0.0.1:{port}");

    // The gateway's own lines down to debug; the libraries' only when they warn.
    let filter = "warn,registry_gateway=debug,gateway_adapters=debug,gateway_domain=debug";
    let server = config.command(&["serve"]).env("RUST_LOG", filter).stderr(Stdio::piped()).spawn().unwrap();
    let client = crate::helpers::authorized_client();
    let started = Instant::now();
    while !client.get(format!("{url}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
        assert!(started.elapsed() < Duration::from_secs(30), "serve did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A check with a gap, so that the fan-out writes lines of its own.
    simulators.faults(System::Nva).set(gateway_mocks::FaultConfig { outage: true, ..Default::default() });
    let household = population.households().iter().find(|h| h.members.len() >= 2).unwrap().clone();
    let response = client
        .post(format!("{url}/v1/income-checks"))
        .json(&json!({"applicant": household.members[0].as_str(), "purpose": "means_test", "officer": "test-officer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let _ = response.bytes().await;
    terminate(&server);
    let output = tokio::task::spawn_blocking(move || server.wait_with_output()).await.unwrap().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not a JSON line: {line}")))
        .collect();
    // The request's lines: the edge's, the routes', the fan-out's and the adapters'.
    let of_request: Vec<&Value> = lines
        .iter()
        .filter(|line| {
            let target = line["target"].as_str().unwrap_or_default();
            ["registry_gateway::api", "registry_gateway::income_check", "registry_gateway::auth", "gateway_adapters"]
                .iter()
                .any(|prefix| target.starts_with(prefix))
        })
        .collect();
    // Every one names its request (the health probes are requests of their own); those of the
    // fan-out and the adapters, which only the check reaches, name the check.
    for line in &of_request {
        let ids = request_ids_of(line);
        assert!(!ids.is_empty(), "a line without a request id: {line}");
        let target = line["target"].as_str().unwrap_or_default();
        if target.starts_with("registry_gateway::income_check") || target.starts_with("gateway_adapters") {
            assert!(ids.contains(&request_id), "a line of the check without its id {request_id}: {line}");
        }
    }
    let of_check: Vec<&&Value> = of_request.iter().filter(|line| request_ids_of(line).contains(&request_id)).collect();
    for message in ["Registry left a gap.", "Request answered."] {
        assert!(
            of_check.iter().any(|line| line["fields"]["message"] == message),
            "{message} under {request_id}: {stderr}"
        );
    }
}
