//! `POST /v1/status-decisions`: validation names the field, a batch is stored whole or not at
//! all, and re-posting a decision version changes nothing.

use gateway_domain::System;
use serde_json::{Value, json};

use crate::helpers::{captured_logs, spawn_app};
use crate::sync_helpers::{decision_json, status_partners};

async fn body(response: reqwest::Response) -> (u16, Value) {
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn reposting_a_decision_changes_nothing() {
    let app = spawn_app().await;
    let (status, first) = body(app.post_decisions(&decision_json(1)).await).await;
    assert_eq!((status, first["stored"].as_u64()), (201, Some(1)));
    let (status, again) = body(app.post_decisions(&decision_json(1)).await).await;
    assert_eq!((status, again["stored"].as_u64(), again["unchanged"].as_u64()), (200, Some(0), Some(1)));
    assert_eq!(again["decisions"][0]["outcome"], "unchanged");
    for partner in status_partners() {
        assert_eq!(app.store.outbox_counts(partner).await.unwrap().pending, 1, "one row for {partner}");
    }
}

#[tokio::test]
async fn a_batch_with_one_bad_decision_stores_nothing_and_names_the_field() {
    let app = spawn_app().await;
    let mut bad = decision_json(7);
    bad["members"][1] = json!("121282-11211");
    let response = app.post_decisions(&json!({"decisions": [decision_json(5), decision_json(6), bad]})).await;
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let (status, problem) = body(response).await;
    assert_eq!(status, 400);
    assert_eq!(problem["type"], "urn:registry-gateway:problem:invalid-field");
    assert_eq!(problem["field"], "/decisions/2/members/1");
    assert!(!problem.to_string().contains("121282"), "{problem}");
    assert_eq!(app.store.outbox_counts(System::Baris).await.unwrap().pending, 0);

    let (status, stored) =
        body(app.post_decisions(&json!({"decisions": [decision_json(5), decision_json(6)]})).await).await;
    assert_eq!((status, stored["stored"].as_u64()), (201, Some(2)));
}

#[tokio::test]
async fn a_changed_version_is_a_conflict_and_its_batch_stores_nothing() {
    let app = spawn_app().await;
    app.post_decisions(&decision_json(1)).await;
    let mut changed = decision_json(1);
    changed["status"] = json!("ended");
    let (status, problem) = body(app.post_decisions(&json!({"decisions": [decision_json(2), changed]})).await).await;
    assert_eq!(status, 409);
    assert_eq!(problem["type"], "urn:registry-gateway:problem:decision-conflict");
    assert_eq!(problem["field"], "/decisions/1");
    assert_eq!(app.store.outbox_counts(System::Baris).await.unwrap().pending, 1, "decision 2 was not stored");
    let mut amended = decision_json(1);
    amended["status"] = json!("ended");
    amended["version"] = json!(2);
    let (status, _) = body(app.post_decisions(&amended).await).await;
    assert_eq!(status, 201);
    let counts = app.store.outbox_counts(System::Baris).await.unwrap();
    assert_eq!((counts.pending, counts.superseded), (1, 1), "version 2 replaces version 1");
}

#[tokio::test]
async fn intake_logs_carry_no_personal_codes() {
    let app = spawn_app().await;
    let mut bad = decision_json(3);
    bad["members"][0] = json!("121282-11211");
    app.post_decisions(&bad).await;
    app.post_decisions(&decision_json(3)).await;
    let logs = String::from_utf8_lossy(&captured_logs().lock().unwrap()).to_string();
    let decision = crate::sync_helpers::decision(3);
    for member in &decision.members {
        assert!(!logs.contains(member.as_str()), "a personal code is in the logs");
    }
    // The refused code, in either spelling (a bare "121282" can occur inside a request id or
    // a latency figure of another test's lines).
    assert!(!logs.contains("121282-11211") && !logs.contains("12128211211"));
}
