//! Delivery receipts: where each decision stands at each partner, and the feed of changes that
//! a reader polling with a cursor sees exactly once, in commit order, even with two instances
//! delivering from one PostgreSQL at once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use gateway_domain::{StatusSink, System};
use registry_gateway::status_sync::{Progress, StatusSync};
use registry_gateway::store::{DeadLetterFilter, Store, StoreConfig};
use serde_json::{Value, json};

use crate::helpers::spawn_app;
use crate::sync_helpers::{decision, decision_json, fast_sync_config, postgres_schema};
use crate::sync_partners::{PartnerFaults, TestSink};

const SINKS: &[System] = &[System::Baris, System::Nino];

fn sync_over(store: &Store, sinks: &[TestSink]) -> StatusSync {
    let sinks: Vec<Arc<dyn StatusSink>> = sinks.iter().map(|s| Arc::new(s.clone()) as Arc<dyn StatusSink>).collect();
    let config = registry_gateway::status_sync::StatusSyncConfig { max_attempts: 5, ..fast_sync_config(SINKS) };
    StatusSync::new(store.clone(), sinks, config)
}

async fn get(app: &crate::helpers::TestApp, path: &str) -> (u16, Value) {
    let response = app.client.get(format!("{}{path}", app.server.url())).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

fn delivery<'a>(view: &'a Value, version: u64, partner: &str) -> &'a Value {
    view["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["version"] == version)
        .and_then(|v| v["partners"].as_array().unwrap().iter().find(|p| p["partner"] == partner))
        .unwrap_or_else(|| panic!("no delivery of version {version} to {partner} in {view}"))
}

#[tokio::test]
async fn a_decisions_view_shows_delivered_dead_superseded_and_retried_and_the_feed_lists_each_change_once() {
    let app = spawn_app().await;
    for i in 1..=3 {
        assert_eq!(app.post_decisions(&decision_json(i)).await.status(), 201);
    }
    let mut amended = decision_json(3);
    amended["version"] = json!(2);
    assert_eq!(app.post_decisions(&amended).await.status(), 201);

    let sinks: Vec<_> = SINKS.iter().map(|p| TestSink::new(*p)).collect();
    let rejected = decision(2).decision_ref;
    sinks[0].set_faults(PartnerFaults { reject_refs: [rejected.clone()].into(), ..Default::default() });
    sync_over(&app.store, &sinks).run_once(Progress::Hidden).await;

    let (status, view) = get(&app, "/v1/status-decisions/TUK-TEST-000001").await;
    assert_eq!(status, 200);
    for partner in ["baris", "nino"] {
        let d = delivery(&view, 1, partner);
        assert_eq!((d["state"].as_str(), d["attempts"].as_u64()), (Some("delivered"), Some(1)), "{d}");
        assert!(d["partner_ref"].is_string() && d["delivered_at"].is_string(), "{d}");
    }
    // Partners without a sink here wait, with their next attempt due.
    let waiting = delivery(&view, 1, "bridzis");
    assert_eq!(waiting["state"], "pending");
    assert!(waiting["next_attempt_at"].is_string());

    let (_, view) = get(&app, &format!("/v1/status-decisions/{rejected}")).await;
    let dead = delivery(&view, 1, "baris");
    assert_eq!((dead["state"].as_str(), dead["dead_letter_reason"].as_str()), (Some("dead"), Some("rejected")));
    assert!(dead["last_error"].as_str().unwrap().starts_with("rejected"));
    assert_eq!(delivery(&view, 1, "nino")["state"], "delivered");

    let (_, view) = get(&app, "/v1/status-decisions/TUK-TEST-000003").await;
    assert_eq!(view["versions"].as_array().unwrap().len(), 2);
    assert_eq!(delivery(&view, 1, "baris")["state"], "superseded");
    assert_eq!(delivery(&view, 2, "baris")["state"], "delivered");
    assert!(!view.to_string().contains(decision(3).members[0].as_str()), "no personal codes in the view");

    // An operator puts the dead letter back: pending again, attempts from zero.
    let filter = DeadLetterFilter { partner: None, decision_ref: Some(rejected.clone()) };
    assert_eq!(app.store.retry_dead_letters(&filter).await.unwrap(), 1);
    let (_, view) = get(&app, &format!("/v1/status-decisions/{rejected}")).await;
    let revived = delivery(&view, 1, "baris");
    assert_eq!((revived["state"].as_str(), revived["attempts"].as_u64()), (Some("pending"), Some(0)));

    let (status, feed) = get(&app, "/v1/deliveries?after=0&limit=1000").await;
    assert_eq!(status, 200);
    let changes = feed["changes"].as_array().unwrap();
    let seen: BTreeMap<(String, u64, String, String), usize> = changes.iter().fold(BTreeMap::new(), |mut seen, c| {
        let key = (
            c["decision_ref"].as_str().unwrap().to_owned(),
            c["version"].as_u64().unwrap(),
            c["partner"].as_str().unwrap().to_owned(),
            c["state"].as_str().unwrap().to_owned(),
        );
        *seen.entry(key).or_default() += 1;
        seen
    });
    let key = |r: &str, v: u64, p: &str, s: &str| (r.to_owned(), v, p.to_owned(), s.to_owned());
    assert_eq!(seen.get(&key("TUK-TEST-000003", 1, "baris", "superseded")), Some(&1));
    assert_eq!(seen.get(&key("TUK-TEST-000003", 1, "spolis", "superseded")), Some(&1));
    assert_eq!(seen.get(&key("TUK-TEST-000001", 1, "nino", "delivered")), Some(&1));
    assert_eq!(seen.get(&key(&rejected, 1, "baris", "dead")), Some(&1));
    assert_eq!(seen.get(&key(&rejected, 1, "baris", "retried")), Some(&1));
    // Delivered: versions 1 of 1 and 2 to both sinks, 3v2 to both, 2 to NINO only.
    assert_eq!(seen.iter().filter(|(k, _)| k.3 == "delivered").map(|(_, n)| n).sum::<usize>(), 5);
    assert!(seen.values().all(|n| *n == 1), "each change once: {seen:?}");
    let positions: Vec<i64> = changes.iter().map(|c| c["position"].as_i64().unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(feed["next"], positions.last().unwrap().to_string());
    // Dead comes before retried for the same row: the feed keeps each row's history in order.
    let at = |state: &str| changes.iter().position(|c| c["decision_ref"] == rejected.as_str() && c["state"] == state);
    assert!(at("dead") < at("retried"));
    let (_, rest) = get(&app, &format!("/v1/deliveries?after={}", feed["next"].as_str().unwrap())).await;
    assert_eq!(rest["changes"].as_array().unwrap().len(), 0);
    assert_eq!(rest["next"], feed["next"]);
    assert!(!feed.to_string().contains(decision(1).members[0].as_str()), "no personal codes in the feed");

    let (status, problem) = get(&app, "/v1/status-decisions/TUK-NOBODY-1").await;
    assert_eq!((status, problem["type"].as_str()), (404, Some("urn:registry-gateway:problem:not-found")));
    let (status, problem) = get(&app, "/v1/status-decisions/..").await;
    assert!(status == 400 || status == 404, "{status} {problem}");
    let (status, problem) = get(&app, "/v1/deliveries?after=-1").await;
    assert_eq!((status, problem["parameter"].as_str()), (400, Some("after")));
    let (status, problem) = get(&app, "/v1/deliveries?limit=0").await;
    assert_eq!((status, problem["parameter"].as_str()), (400, Some("limit")));
}

#[tokio::test]
async fn a_reader_polling_the_feed_sees_each_change_once_while_two_instances_deliver() {
    let Some((url, schema)) = postgres_schema().await else { return };
    let config = StoreConfig { url: Some(url), schema: Some(schema), ..StoreConfig::default() };
    let (first, second) = (Store::create(&config).await.unwrap(), Store::open(&config).await.unwrap());
    let partners = [System::Baris, System::Bridzis, System::Nino, System::Spolis];
    const N: usize = 5_000;
    for chunk in (0..N).collect::<Vec<_>>().chunks(1_000) {
        let decisions: Vec<_> = chunk.iter().map(|i| decision(*i)).collect();
        first.store_messages(&decisions, &partners).await.unwrap();
    }
    let sinks: Vec<TestSink> = partners.iter().map(|p| TestSink::new(*p)).collect();
    let sync = |store: &Store| {
        let sinks: Vec<Arc<dyn StatusSink>> =
            sinks.iter().map(|s| Arc::new(s.clone()) as Arc<dyn StatusSink>).collect();
        StatusSync::new(store.clone(), sinks, fast_sync_config(&partners))
    };
    let (a, b) = (sync(&first), sync(&second));
    let reader = {
        let store = first.clone();
        tokio::spawn(async move {
            let (mut cursor, mut seen) = (0i64, Vec::new());
            while seen.len() < N * 4 {
                let page = store.changes_after(cursor, 500).await.unwrap();
                if page.is_empty() {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
                cursor = page.last().unwrap().position;
                seen.extend(page);
            }
            // Nothing more arrives later with a position already passed.
            tokio::time::sleep(Duration::from_millis(200)).await;
            assert!(store.changes_after(cursor, 10).await.unwrap().is_empty());
            seen
        })
    };
    let (ra, rb) = tokio::join!(a.run_once(Progress::Hidden), b.run_once(Progress::Hidden));
    assert_eq!(ra.total().delivered + rb.total().delivered, (N * 4) as u64, "{ra:?} {rb:?}");
    let seen = tokio::time::timeout(Duration::from_secs(60), reader).await.expect("the reader finishes").unwrap();
    let rows: BTreeSet<(String, u32, String)> =
        seen.iter().map(|c| (c.decision_ref.clone(), c.version, c.partner.clone())).collect();
    assert_eq!((seen.len(), rows.len()), (N * 4, N * 4), "every row's delivery seen exactly once");
    assert!(seen.iter().all(|c| c.state == "delivered" && c.partner_ref.is_some()));
    assert!(seen.windows(2).all(|w| w[0].position < w[1].position));
    first.close().await;
    second.close().await;
}
