//! The audit log through the API: every question recorded before it is asked, the check
//! refused when it cannot be, and the access log a data protection officer reads.

use std::collections::BTreeSet;

use gateway_domain::System;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_check_is_refused_and_no_registry_asked_when_the_audit_log_cannot_be_written() {
    let app = spawn_app().await;
    let applicant = app.population.households()[0].members[0].clone();
    app.store.close().await;
    let response = app.post_check(&json!({ "applicant": applicant.as_str(), "purpose": "means_test" })).await;
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "urn:registry-gateway:problem:audit-unavailable");
    for &system in System::ALL {
        assert_eq!(app.simulators.received_requests(system).await, 0, "{system} was not asked");
    }
}

#[tokio::test]
async fn the_access_log_shows_who_asked_what_about_a_person_and_never_the_facts() {
    let app = spawn_app().await;
    let household = app.population.households().iter().find(|h| h.members.len() >= 2).expect("a household of two");
    let (applicant, other) = (&household.members[0], &household.members[1]);
    let body = json!({ "applicant": applicant.as_str(), "purpose": "means_test", "case_ref": "LIETA-2026-77" });
    let response = app.post_check(&body).await;
    assert_eq!(response.status(), 200);
    let record: Value = response.json().await.unwrap();

    let log = |person: String| {
        let url = format!("{}/v1/access-log?person={person}", app.server.url());
        let client = app.client.clone();
        async move { client.get(url).send().await.unwrap() }
    };
    let response = log(other.as_str().to_owned()).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let entries: Vec<Value> = serde_json::from_str::<Value>(&text).unwrap()["entries"].as_array().unwrap().clone();
    let systems = |event: &str| -> BTreeSet<String> {
        entries.iter().filter(|e| e["event"] == event).map(|e| e["system"].as_str().unwrap().to_owned()).collect()
    };
    for system in ["vsaa", "nva", "vdeavk", "land_registry"] {
        assert!(systems("asked").contains(system), "{system} is recorded as asked about the member");
        assert!(systems("answered").contains(system), "{system}'s answer about the member is recorded");
    }
    // The Population Register named the member in its answer about the applicant's address.
    assert!(systems("answered").contains("pmlp"));
    for entry in &entries {
        assert_eq!(entry["case_ref"], "LIETA-2026-77");
        assert_eq!(entry["officer"], "test-officer");
        assert_eq!(entry["purpose"], "means_test");
        assert_eq!(entry["request_id"], record["request_id"]);
        assert_eq!(entry["co_resident"], "declared", "{entry}");
    }
    // Each question asked is answered.
    let count = |event: &str| entries.iter().filter(|e| e["event"] == event && e["system"] != "pmlp").count();
    assert_eq!(count("asked"), count("answered"));
    // Never the facts, nor anyone's code or name.
    for member in &household.members {
        assert!(!text.contains(member.as_str()), "no personal code in the access log");
        let person = app.population.person(member).unwrap();
        assert!(!text.contains(&person.family_name), "no name in the access log");
    }
    assert!(!text.contains("amount"));

    // The same person written with or without the hyphen is one person; a stranger has none.
    let stranger = app.population.households().last().unwrap().members[0].clone();
    let none: Value = log(stranger.as_str().to_owned()).await.json().await.unwrap();
    assert_eq!(none["entries"], json!([]));
    let bad = log("not-a-code".into()).await;
    assert_eq!(bad.status(), 400);
}

/// `gateway audit head`, `verify` and `find` against the store a served check wrote, and
/// `verify` naming an edited entry and, with a kept head, a truncated tail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_commands_verify_the_chain_find_a_person_and_catch_tampering() {
    use registry_gateway::config::{Config, ServerConfig};
    use registry_gateway::store::{SQLITE_FILE, Store};

    use crate::helpers::{authorized_client, shared_population};
    use crate::sync_helpers::ProcessConfig;

    let dir = tempfile::tempdir().unwrap();
    let population = shared_population();
    let simulators = gateway_mocks::Simulators::start_all(population.clone()).await;
    let data = dir.path().join("data");
    let store_section = format!("data_dir = \"{}\"", data.display());
    let process = ProcessConfig::write(dir.path(), &simulators, &store_section, 100, "");
    let mut config = Config::load(&process.path).unwrap();
    config.server = ServerConfig::on(std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
    let store = Store::open(&config.store).await.unwrap();
    let server = registry_gateway::startup::spawn_server_on(&config, store.clone(), &Default::default()).await.unwrap();
    let applicant = population.households()[0].members[0].clone();
    let response = authorized_client()
        .post(format!("{}/v1/income-checks", server.url()))
        .json(&json!({ "applicant": applicant.as_str(), "purpose": "means_test" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let head = process.run(&["audit", "head"]);
    assert!(head.status.success(), "{}", String::from_utf8_lossy(&head.stderr));
    let head = String::from_utf8(head.stdout).unwrap();
    let (seq, hash) = head.trim().split_once(' ').expect("seq and hash");
    assert!(seq.parse::<i64>().unwrap() >= 4, "the check's questions and answers are recorded");
    let verify = process.run(&["audit", "verify", "--expect-head", hash]);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
    let find = process.run(&["audit", "find", "--person", applicant.as_str()]);
    assert!(find.status.success());
    let found: Value = serde_json::from_slice(&find.stdout).unwrap();
    assert!(found.as_array().unwrap().iter().any(|e| e["system"] == "vsaa" && e["event"] == "asked"));
    assert!(!String::from_utf8_lossy(&find.stdout).contains(applicant.as_str()));

    let file = sqlx::SqlitePool::connect(&format!("sqlite://{}", data.join(SQLITE_FILE).display())).await.unwrap();
    sqlx::query("UPDATE audit_log SET outcome = 'ok' WHERE seq = 2").execute(&file).await.unwrap();
    let verify = process.run(&["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&verify.stderr).contains("entry 2"), "the edited entry is named");
    sqlx::query("UPDATE audit_log SET outcome = 'pending' WHERE seq = 2").execute(&file).await.unwrap();
    // Cut the tail and move the head back to hide it: only the kept head tells.
    let (prev_seq, prev_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_log WHERE seq = 1").fetch_one(&file).await.unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq > 1").execute(&file).await.unwrap();
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2")
        .bind(prev_seq)
        .bind(&prev_hash)
        .execute(&file)
        .await
        .unwrap();
    assert!(process.run(&["audit", "verify"]).status.success(), "consistent on its own");
    let verify = process.run(&["audit", "verify", "--expect-head", hash]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&verify.stderr).contains("head kept elsewhere"));
    file.close().await;
}

#[tokio::test]
async fn each_delivery_is_recorded_before_it_is_sent_and_with_its_outcome() {
    use std::sync::Arc;

    use gateway_domain::StatusSink;
    use registry_gateway::audit::{AuditKey, AuditLog};
    use registry_gateway::status_sync::{Progress, StatusSync};

    use crate::sync_helpers::{decision, fast_sync_config, stores};
    use crate::sync_partners::TestSink;

    let key = AuditKey::new(b"a synthetic audit key for the delivery test");
    for (store, _dir) in stores().await {
        let decisions: Vec<_> = (0..5).map(decision).collect();
        store.store_messages(&decisions, &[System::Nino]).await.unwrap();
        let sinks: Vec<Arc<dyn StatusSink>> = vec![Arc::new(TestSink::new(System::Nino))];
        let sync = StatusSync::new(store.clone(), sinks, fast_sync_config(&[System::Nino]))
            .with_audit(AuditLog::start(store.clone(), key.clone()));
        assert_eq!(sync.run_once(Progress::Hidden).await.total().delivered, 5);
        for decision in &decisions {
            for member in &decision.members {
                let entries = store.audit_find(&key.person_hash(member.as_str()), 0, i64::MAX).await.unwrap();
                let events: Vec<(&str, &str)> =
                    entries.iter().map(|e| (e.entry.event.as_str(), e.entry.outcome.as_str())).collect();
                assert_eq!(events, [("sending", "pending"), ("delivered", "delivered")], "{}", decision.decision_ref);
                assert!(entries.iter().all(|e| e.entry.system == "nino" && e.entry.case_ref == decision.decision_ref));
            }
        }
    }
}

#[tokio::test]
async fn every_answer_is_signed_and_a_changed_one_does_not_verify() {
    use jsonwebtoken::jwk::JwkSet;
    use registry_gateway::signing::{SigningError, verify};

    let app = spawn_app().await;
    let applicant = app.population.households()[0].members[0].clone();
    let response = app.post_check(&json!({ "applicant": applicant.as_str(), "purpose": "means_test" })).await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    let jwks_text =
        reqwest::get(format!("{}/.well-known/jwks.json", app.server.url())).await.unwrap().text().await.unwrap();
    let keys: JwkSet = serde_json::from_str(&jwks_text).unwrap();
    assert!(verify(&answer, &keys).is_ok(), "the answer verifies against the published key");
    let mut changed = answer.clone();
    changed["members"][0]["family_name"] = json!("Changed");
    assert_eq!(verify(&changed, &keys), Err(SigningError::Mismatch));

    let dir = tempfile::tempdir().unwrap();
    let (good, bad, jwks) = (dir.path().join("good.json"), dir.path().join("bad.json"), dir.path().join("jwks.json"));
    std::fs::write(&good, answer.to_string()).unwrap();
    std::fs::write(&bad, changed.to_string()).unwrap();
    std::fs::write(&jwks, &jwks_text).unwrap();
    let run = |file: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gateway"))
            .args(["statement", "verify", file.to_str().unwrap(), "--jwks", jwks.to_str().unwrap()])
            .output()
            .unwrap()
    };
    assert!(run(&good).status.success());
    let refused = run(&bad);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("does not match"));
}

#[tokio::test]
async fn named_members_are_marked_by_whether_they_live_with_the_applicant() {
    let app = spawn_app().await;
    let household = app.population.households().iter().find(|h| h.members.len() >= 2).unwrap();
    let stranger = app.population.households().last().unwrap().members[0].clone();
    let (applicant, resident) = (&household.members[0], &household.members[1]);
    let body = json!({
        "applicant": applicant.as_str(),
        "members": [resident.as_str(), stranger.as_str()],
        "purpose": "means_test",
    });
    let response = app.post_check(&body).await;
    assert_eq!(response.status(), 200);
    let record: Value = response.json().await.unwrap();
    let membership = |code: &gateway_domain::PersonCode| {
        record["members"].as_array().unwrap().iter().find(|m| m["person_code"] == code.as_str()).unwrap()["membership"]
            .clone()
    };
    assert_eq!(membership(resident), "declared_resident");
    assert_eq!(membership(&stranger), "named");
    let log = |code: &gateway_domain::PersonCode| {
        let url = format!("{}/v1/access-log?person={}", app.server.url(), code.as_str());
        let client = app.client.clone();
        async move { client.get(url).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let stranger_entries = log(&stranger).await;
    let answered = stranger_entries["entries"].as_array().unwrap().iter().filter(|e| e["event"] == "answered");
    assert!(answered.clone().count() > 0);
    assert!(answered.clone().all(|e| e["co_resident"] == "named"), "{stranger_entries}");
    let resident_entries = log(resident).await;
    let answered: Vec<&Value> =
        resident_entries["entries"].as_array().unwrap().iter().filter(|e| e["event"] == "answered").collect();
    assert!(!answered.is_empty() && answered.iter().all(|e| e["co_resident"] == "declared"), "{resident_entries}");
}
