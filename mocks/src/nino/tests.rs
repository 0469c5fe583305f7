//! Tests of the NINO simulator over HTTP: the token, validation, deduplication by idempotency
//! key, and every answer against `schemas/nino/`.

use gateway_domain::System;
use serde_json::{Value, json};

use crate::Simulators;
use crate::test_support::{assert_valid_json, assertion_claims, sign, test_population, unknown_code};

const STATUSES: &str = "/nino/v1/relief-statuses";

struct Harness {
    simulators: Simulators,
    client: reqwest::Client,
    token: String,
}

impl Harness {
    async fn start() -> Self {
        let simulators = Simulators::start_all(test_population()).await;
        let client = reqwest::Client::new();
        let token_url = format!("{}/oauth2/token", simulators.url(System::Nino));
        let assertion = sign(simulators.credentials(), &assertion_claims(simulators.credentials(), &token_url));
        let form = [
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", assertion.as_str()),
        ];
        let response = client.post(&token_url).form(&form).send().await.expect("the token endpoint answers");
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("a JSON token");
        assert_valid_json("nino/token.schema.json", &body);
        let token = body["access_token"].as_str().expect("a token").to_owned();
        Self { simulators, client, token }
    }

    /// A status for the first household of the population, as the schema example shapes it.
    fn status(&self) -> Value {
        let household = &self.simulators.population().households()[0];
        let members: Vec<Value> = household
            .members
            .iter()
            .enumerate()
            .map(|(i, code)| json!({ "personCode": code.as_str(), "applicant": i == 0 }))
            .collect();
        json!({
            "decision": { "reference": "TUK-2026-000123", "version": 2 },
            "householdStatus": "low_income",
            "validity": { "from": "2026-11-01" },
            "members": members,
        })
    }

    async fn post(&self, body: &Value, key: &str, token: &str) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}{STATUSES}", self.simulators.url(System::Nino)))
            .bearer_auth(token)
            .header("X-Request-Id", "6f9c3e1a-2b7d-4c55-9a0e-8d1f2e3a4b5c")
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .expect("the simulator answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn a_status_is_created_once_and_its_repetition_acknowledged() {
    let harness = Harness::start().await;
    let status = harness.status();
    assert_valid_json("nino/relief-status.schema.json", &status);
    let (code, first) = harness.post(&status, "key-1", &harness.token).await;
    assert_eq!(code, 201);
    assert_valid_json("nino/relief-status-receipt.schema.json", &first);
    assert_eq!(first["result"], "created");
    let (code, second) = harness.post(&status, "key-1", &harness.token).await;
    assert_eq!(code, 200);
    assert_valid_json("nino/relief-status-receipt.schema.json", &second);
    assert_eq!(
        (second["result"].as_str(), &second["statusRecordId"]),
        (Some("already_received"), &first["statusRecordId"])
    );
    assert_eq!(harness.simulators.accepted(System::Nino), [("key-1".to_owned(), 1)].into());
    assert_eq!(harness.simulators.duplicates(System::Nino), [("key-1".to_owned(), 1)].into());
}

#[tokio::test]
async fn an_unknown_member_is_a_permanent_refusal_that_names_no_code() {
    let harness = Harness::start().await;
    let mut status = harness.status();
    let unknown = unknown_code(harness.simulators.population());
    status["members"][0]["personCode"] = json!(unknown.as_str());
    let (code, error) = harness.post(&status, "key-2", &harness.token).await;
    assert_eq!(code, 422);
    assert_valid_json("nino/error.schema.json", &error);
    assert_eq!(
        (error["error"]["code"].as_str(), error["error"]["pointer"].as_str()),
        (Some("unknown_taxpayer"), Some("/members/0"))
    );
    assert!(!error.to_string().contains(unknown.as_str()));
    assert!(harness.simulators.accepted(System::Nino).is_empty());
    assert_eq!(harness.simulators.rejected(System::Nino), [("key-2".to_owned(), 1)].into());
}

#[tokio::test]
async fn a_token_not_issued_here_is_unauthorised() {
    let harness = Harness::start().await;
    let (code, error) = harness.post(&harness.status(), "key-3", "c2ltdWxhdGVkLXRva2VuLTAwMDAwMDAx").await;
    assert_eq!(code, 401);
    assert_valid_json("nino/error.schema.json", &error);
    assert!(harness.simulators.accepted(System::Nino).is_empty());
}

#[tokio::test]
async fn invalid_statuses_are_bad_requests_and_a_reused_key_is_refused() {
    let harness = Harness::start().await;
    let status = harness.status();
    let mut cases = Vec::new();
    for (pointer, value) in [
        ("/householdStatus", json!("poor")),
        ("/decision/version", json!(0)),
        ("/validity/from", json!("2026-13-01")),
        ("/members", json!([])),
        ("/members/0/applicant", json!(false)),
    ] {
        let mut broken = status.clone();
        *broken.pointer_mut(pointer).expect("the field exists") = value;
        cases.push(broken);
    }
    cases.push(json!([status.clone()]));
    for body in cases {
        let (code, error) = harness.post(&body, "key-4", &harness.token).await;
        assert_eq!((code, error["error"]["code"].as_str()), (400, Some("invalid_request")), "{body}");
        assert_valid_json("nino/error.schema.json", &error);
    }
    let mut backwards = status.clone();
    backwards["validity"]["to"] = json!("2026-10-31");
    let (code, error) = harness.post(&backwards, "key-5", &harness.token).await;
    assert_eq!((code, error["error"]["code"].as_str()), (422, Some("invalid_period")));

    assert_eq!(harness.post(&status, "key-6", &harness.token).await.0, 201);
    let mut other = status.clone();
    other["householdStatus"] = json!("ended");
    let (code, error) = harness.post(&other, "key-6", &harness.token).await;
    assert_eq!((code, error["error"]["code"].as_str()), (422, Some("key_reused")));
    assert_eq!(harness.simulators.accepted(System::Nino).len(), 1);
}
