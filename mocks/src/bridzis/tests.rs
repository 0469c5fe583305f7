//! Tests of the BRIDZIS simulator over HTTP: authentication, validation, deduplication by
//! idempotency key, and every answer against `schemas/bridzis/`.

use gateway_domain::System;
use serde_json::{Value, json};

use crate::Simulators;
use crate::test_support::{assert_valid_json, test_population, unknown_code};

const NOTICES: &str = "/bridzis/v1/status-notices";

struct Harness {
    simulators: Simulators,
    client: reqwest::Client,
}

impl Harness {
    async fn start() -> Self {
        Self { simulators: Simulators::start_all(test_population()).await, client: reqwest::Client::new() }
    }

    /// A notice for the first household of the population, as the schema example shapes it.
    fn notice(&self) -> Value {
        let population = self.simulators.population();
        let household = &population.households()[0];
        let persons: Vec<Value> = household
            .members
            .iter()
            .enumerate()
            .map(
                |(i, code)| json!({ "personCode": code.as_str(), "role": if i == 0 { "APPLICANT" } else { "MEMBER" } }),
            )
            .collect();
        json!({
            "decisionRef": "TUK-2026-000123",
            "decisionVersion": 2,
            "socialStatus": "NEEDY",
            "validFrom": "2026-11-01",
            "validTo": "2027-04-30",
            "persons": persons,
        })
    }

    async fn post(&self, body: &Value, key: &str) -> (u16, Value) {
        self.post_with(body, Some(key), Some(self.simulators.credentials().bridzis_api_key.as_str())).await
    }

    async fn post_with(&self, body: &Value, key: Option<&str>, api_key: Option<&str>) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}{NOTICES}", self.simulators.url(System::Bridzis)))
            .header("X-Request-Id", "6f9c3e1a-2b7d-4c55-9a0e-8d1f2e3a4b5c")
            .json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(api_key) = api_key {
            request = request.header("X-Api-Key", api_key);
        }
        let response = request.send().await.expect("the simulator answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn a_notice_is_accepted_once_and_its_repetition_acknowledged_as_a_duplicate() {
    let harness = Harness::start().await;
    let notice = harness.notice();
    assert_valid_json("bridzis/status-notice.schema.json", &notice);
    let (status, first) = harness.post(&notice, "key-1").await;
    assert_eq!(status, 201);
    assert_valid_json("bridzis/receipt.schema.json", &first);
    assert_eq!((first["outcome"].as_str(), first["idempotencyKey"].as_str()), (Some("ACCEPTED"), Some("key-1")));
    let (status, second) = harness.post(&notice, "key-1").await;
    assert_eq!(status, 200);
    assert_valid_json("bridzis/receipt.schema.json", &second);
    assert_eq!(second["outcome"], "DUPLICATE");
    assert_eq!((&second["noticeId"], &second["receivedAt"]), (&first["noticeId"], &first["receivedAt"]));

    let simulators = &harness.simulators;
    assert_eq!(simulators.accepted(System::Bridzis), [("key-1".to_owned(), 1)].into());
    assert_eq!(simulators.duplicates(System::Bridzis), [("key-1".to_owned(), 1)].into());
    assert_eq!(simulators.accepted_decisions(System::Bridzis), [(("TUK-2026-000123".to_owned(), 2), 1)].into());
}

#[tokio::test]
async fn a_person_unknown_to_the_population_is_a_permanent_refusal() {
    let harness = Harness::start().await;
    let mut notice = harness.notice();
    let unknown = unknown_code(harness.simulators.population());
    notice["persons"][0]["personCode"] = json!(unknown.as_str());
    let (status, problem) = harness.post(&notice, "key-2").await;
    assert_eq!(status, 422);
    assert_valid_json("bridzis/problem.schema.json", &problem);
    assert_eq!(problem["code"], "UNKNOWN_PERSON");
    assert_eq!(problem["detail"], "/persons/0");
    assert!(!problem.to_string().contains(unknown.as_str()), "the refusal names no personal code");
    assert!(harness.simulators.accepted(System::Bridzis).is_empty());
    assert_eq!(harness.simulators.rejected(System::Bridzis), [("key-2".to_owned(), 1)].into());
}

#[tokio::test]
async fn a_key_reused_for_another_notice_is_refused_and_changes_nothing() {
    let harness = Harness::start().await;
    let notice = harness.notice();
    assert_eq!(harness.post(&notice, "key-3").await.0, 201);
    let mut other = notice.clone();
    other["socialStatus"] = json!("ENDED");
    let (status, problem) = harness.post(&other, "key-3").await;
    assert_eq!((status, problem["code"].as_str()), (422, Some("KEY_REUSED")));
    assert_eq!(harness.simulators.accepted(System::Bridzis).len(), 1);
    assert!(harness.simulators.duplicates(System::Bridzis).is_empty());
}

#[tokio::test]
async fn a_wrong_or_missing_api_key_is_unauthorised() {
    let harness = Harness::start().await;
    let notice = harness.notice();
    for api_key in [None, Some("guess")] {
        let (status, problem) = harness.post_with(&notice, Some("key-4"), api_key).await;
        assert_eq!((status, problem["code"].as_str()), (401, Some("UNAUTHORIZED")));
        assert_valid_json("bridzis/problem.schema.json", &problem);
    }
    assert!(harness.simulators.accepted(System::Bridzis).is_empty());
}

#[tokio::test]
async fn invalid_notices_are_bad_requests() {
    let harness = Harness::start().await;
    let notice = harness.notice();
    let mut cases = Vec::new();
    for (field, value) in [
        ("socialStatus", json!("POOR")),
        ("decisionVersion", json!(0)),
        ("decisionRef", json!("TUK 2026")),
        ("validFrom", json!("1 November")),
        ("persons", json!([])),
        ("unexpected", json!(true)),
    ] {
        let mut broken = notice.clone();
        broken[field] = value;
        cases.push(broken);
    }
    let mut broken = notice.clone();
    broken["persons"][0]["personCode"] = json!("12128211211");
    cases.push(broken);
    let mut broken = notice.clone();
    broken["persons"][0]["role"] = json!("MEMBER");
    cases.push(broken);
    cases.push(json!([notice.clone()]));
    for body in cases {
        let (status, problem) = harness.post(&body, "key-5").await;
        assert_eq!((status, problem["code"].as_str()), (400, Some("INVALID_REQUEST")), "{body}");
        assert_valid_json("bridzis/problem.schema.json", &problem);
    }
    let (status, _) = harness.post_with(&notice, None, Some("simulated-bridzis-key")).await;
    assert_eq!(status, 400);
    let mut backwards = notice.clone();
    backwards["validTo"] = json!("2026-10-31");
    let (status, problem) = harness.post(&backwards, "key-6").await;
    assert_eq!((status, problem["code"].as_str()), (422, Some("INVALID_PERIOD")));
    assert!(harness.simulators.accepted(System::Bridzis).is_empty());
}

#[tokio::test]
async fn other_paths_and_methods_are_not_served() {
    let harness = Harness::start().await;
    let base = harness.simulators.url(System::Bridzis);
    let response = harness.client.get(format!("{base}{NOTICES}")).send().await.expect("answers");
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let response = harness.client.post(format!("{base}/bridzis/v2/status-notices")).send().await.expect("answers");
    assert_eq!(response.status(), 404);
}
