//! The case system told of every delivery change through its webhook: down for part of a sync,
//! it receives every change once it is back, each exactly once by its idempotency key, signed;
//! and after a `kill -9` of the gateway mid-push, the next run goes on where the last stopped.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gateway_domain::{StatusSink, System};
use gateway_mocks::Simulators;
use registry_gateway::status_sync::case_system::{CaseSystemConfig, CaseSystemPush, SIGNATURE_HEADER, signature};
use registry_gateway::status_sync::{Progress, StatusSync, StatusSyncConfig};
use registry_gateway::store::{Store, StoreConfig};
use secrecy::SecretString;
use serde_json::Value;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::shared_population;
use crate::sync_helpers::{ProcessConfig, decision, fast_sync_config, stores};
use crate::sync_partners::TestSink;

const PARTNERS: &[System] = &[System::Baris, System::Nino];
const SECRET: &str = "case-system-test-secret";

/// What the case system received: per idempotency key, how often and the body.
async fn received(server: &MockServer) -> BTreeMap<String, (usize, Value)> {
    let mut seen: BTreeMap<String, (usize, Value)> = BTreeMap::new();
    for request in server.received_requests().await.unwrap_or_default() {
        let key = request.headers.get("idempotency-key").unwrap().to_str().unwrap().to_owned();
        let signed = request.headers.get(SIGNATURE_HEADER).unwrap().to_str().unwrap().to_owned();
        assert_eq!(signed, signature(&SecretString::from(SECRET), &request.body), "the signature verifies");
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let entry = seen.entry(key).or_insert((0, body.clone()));
        assert_eq!(entry.1, body, "a repeated key carries the same change");
        entry.0 += 1;
    }
    seen
}

fn keys_of(store_changes: &[registry_gateway::store::DeliveryChange]) -> Vec<String> {
    store_changes.iter().map(|c| format!("delivery-change-{}", c.position)).collect()
}

#[tokio::test]
async fn a_case_system_down_for_part_of_a_sync_receives_every_change_once_it_is_back() {
    for (store, _dir) in stores().await {
        let decisions: Vec<_> = (0..200).map(decision).collect();
        store.store_messages(&decisions, PARTNERS).await.unwrap();
        let case_system = MockServer::start().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&case_system).await;
        let push = CaseSystemPush::new(CaseSystemConfig {
            webhook_url: format!("{}/delivery-changes", case_system.uri()),
            webhook_secret: SecretString::from(SECRET),
            max_attempts: 2,
            timeout_ms: 2_000,
        })
        .unwrap();
        let sinks: Vec<Arc<dyn StatusSink>> =
            PARTNERS.iter().map(|p| Arc::new(TestSink::new(*p)) as Arc<dyn StatusSink>).collect();
        let config = StatusSyncConfig { ..fast_sync_config(PARTNERS) };
        let sync = StatusSync::new(store.clone(), sinks, config).with_case_system(push);

        let down = sync.run_once(Progress::Hidden).await;
        assert_eq!(down.total().delivered, 400);
        let pushed = down.case_system.clone().unwrap();
        assert_eq!((pushed.delivered, pushed.left_for_later), (0, 400), "{pushed:?}");
        assert!(pushed.error.is_some() && !down.is_clean());

        case_system.reset().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&case_system).await;
        let up = sync.run_once(Progress::Hidden).await;
        let pushed = up.case_system.clone().unwrap();
        assert_eq!((pushed.delivered, pushed.left_for_later, pushed.error.as_deref()), (400, 0, None), "{pushed:?}");
        let seen = received(&case_system).await;
        let changes = store.changes_after(0, 10_000).await.unwrap();
        assert_eq!(seen.keys().cloned().collect::<Vec<_>>().len(), changes.len());
        for key in keys_of(&changes) {
            assert_eq!(seen.get(&key).map(|(n, _)| *n), Some(1), "{key} received exactly once");
        }
        let text = serde_json::to_string(&seen.values().map(|(_, b)| b).collect::<Vec<_>>()).unwrap();
        assert!(!text.contains(decisions[0].members[0].as_str()), "no personal codes are pushed");
        // A later run with nothing new pushes nothing.
        let again = sync.run_once(Progress::Hidden).await.case_system.unwrap();
        assert_eq!(again.delivered, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_kill_mid_push_the_next_run_tells_the_case_system_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let population = shared_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let case_system = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(20)))
        .mount(&case_system)
        .await;
    let store = format!("data_dir = \"{}\"", dir.path().join("data").display());
    let push = format!(
        "\n[case_system]\nwebhook_url = \"{}/delivery-changes\"\nwebhook_secret = \"{SECRET}\"\n",
        case_system.uri()
    );
    let config = ProcessConfig::write(dir.path(), &simulators, &store, 2_000, &push);
    const N: usize = 300;
    config.import(dir.path(), &population, N);

    let mut first = config.command(&["sync"]).stdout(std::process::Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    while case_system.received_requests().await.unwrap_or_default().len() < N / 4 {
        assert!(started.elapsed() < Duration::from_secs(60), "the push does not start");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.kill().unwrap(); // SIGKILL, mid-push.
    first.wait().unwrap();
    let at_kill = received(&case_system).await.len();
    assert!(at_kill < N, "the kill came after the push had finished");

    let second = tokio::task::spawn_blocking(move || config.run(&["sync"])).await.unwrap();
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let store = Store::open(&StoreConfig::sqlite(dir.path().join("data"))).await.unwrap();
    let changes = store.changes_after(0, 10_000).await.unwrap();
    assert_eq!(changes.len(), N, "one change per decision delivered to BARIS");
    let seen = received(&case_system).await;
    assert_eq!(seen.len(), N, "every change reached the case system");
    for key in keys_of(&changes) {
        assert!(seen.contains_key(&key), "{key}");
    }
    // Only the push in flight at the kill may have gone twice, under the same key.
    let repeats: usize = seen.values().map(|(n, _)| n - 1).sum();
    assert!(repeats <= 1, "{repeats} repeats");
    store.close().await;
}
