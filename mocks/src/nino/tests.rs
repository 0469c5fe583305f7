//! The NINO simulator passes the partner-simulator suite over HTTP behind its token endpoint,
//! its answers checked against `schemas/nino/`.

use gateway_domain::System;
use serde_json::{Value, json};

use crate::Simulators;
use crate::partner_suite::{self, Answer, PartnerFixture, Reading, Refusal};
use crate::test_support::{EXAMPLE_REQUEST_ID, assert_valid_json, json_check, request_token};

const STATUSES: &str = "/nino/v1/relief-statuses";

/// A relief status and the headers the tax administration reads beside it.
#[derive(Clone)]
struct Status {
    body: Value,
    key: String,
    token: String,
}

impl Status {
    fn with(&self, pointer: &str, value: Value) -> Self {
        let mut changed = self.clone();
        *changed.body.pointer_mut(pointer).expect("the field exists") = value;
        changed
    }
}

struct Nino {
    client: reqwest::Client,
    token: String,
}

impl PartnerFixture for Nino {
    type Message = Status;

    const SYSTEM: System = System::Nino;
    const DELIVERY_PATH: &'static str = STATUSES;
    const OTHER_PATH: &'static str = "/nino/v2/relief-statuses";
    const ACCEPTED: (u16, &'static str) = (201, "created");
    const DUPLICATE: (u16, &'static str) = (200, "already_received");
    const REPEATS_REQUEST_ID: bool = false;

    /// A client holding a token from the simulator's token endpoint.
    async fn start(simulators: &Simulators) -> Self {
        let client = reqwest::Client::new();
        let token_url = format!("{}/oauth2/token", simulators.url(System::Nino));
        let (status, body) = request_token(&client, &token_url, simulators.credentials()).await;
        assert_eq!(status, 200);
        assert_valid_json("nino/token.schema.json", &body);
        let token = body["access_token"].as_str().expect("a token").to_owned();
        Self { client, token }
    }

    /// A status as the schema example shapes it.
    fn message(&self, key: &str, applicant: &str, member: &str) -> Status {
        let body = json!({
            "decision": { "reference": "TUK-2026-000123", "version": 2 },
            "householdStatus": "low_income",
            "validity": { "from": "2026-11-01" },
            "members": [
                { "personCode": applicant, "applicant": true },
                { "personCode": member, "applicant": false },
            ],
        });
        Status { body, key: key.to_owned(), token: self.token.clone() }
    }

    fn ended(&self, status: &Status) -> Status {
        status.with("/householdStatus", json!("ended"))
    }

    fn backwards(&self, status: &Status) -> Status {
        let mut backwards = status.clone();
        backwards.body["validity"]["to"] = json!("2026-10-31");
        backwards
    }

    fn unauthorised(&self, status: &Status) -> Vec<Status> {
        vec![Status { token: "c2ltdWxhdGVkLXRva2VuLTAwMDAwMDAx".to_owned(), ..status.clone() }]
    }

    fn invalid(&self, status: &Status) -> Vec<Status> {
        let mut cases: Vec<Status> = [
            ("/householdStatus", json!("poor")),
            ("/decision/reference", json!("TUK 2026")),
            ("/decision/version", json!(0)),
            ("/validity/from", json!("2026-13-01")),
            ("/members", json!([])),
            ("/members/0/applicant", json!(false)),
        ]
        .into_iter()
        .map(|(pointer, value)| status.with(pointer, value))
        .collect();
        cases.push(Status { body: json!([status.body.clone()]), ..status.clone() });
        cases
    }

    fn check_message(&self, status: &Status) -> Result<(), String> {
        json_check("nino/relief-status.schema.json", &status.body)
    }

    async fn send(&self, simulators: &Simulators, status: &Status) -> Answer {
        let response = self
            .client
            .post(format!("{}{STATUSES}", simulators.url(System::Nino)))
            .bearer_auth(&status.token)
            .header("X-Request-Id", EXAMPLE_REQUEST_ID)
            .header("Idempotency-Key", &status.key)
            .json(&status.body)
            .send()
            .await
            .expect("the simulator answers");
        Answer { status: response.status().as_u16(), body: response.text().await.expect("a body") }
    }

    fn check_answer(&self, answer: &Answer) -> Result<(), String> {
        let body: Value = serde_json::from_str(&answer.body).map_err(|_| "the answer is not JSON".to_owned())?;
        let schema =
            if answer.status < 300 { "nino/relief-status-receipt.schema.json" } else { "nino/error.schema.json" };
        json_check(schema, &body)
    }

    fn read(&self, answer: &Answer) -> Reading {
        let body: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
        let read = |pointer: &str| body.pointer(pointer).and_then(Value::as_str).map(str::to_owned);
        Reading {
            outcome: read("/result"),
            key: read("/idempotencyKey"),
            receipt_id: read("/statusRecordId"),
            received_at: None,
            code: read("/error/code"),
            member_position: read("/error/pointer"),
            request_id: None,
        }
    }

    fn refusal(&self, refusal: Refusal) -> (u16, &'static str) {
        match refusal {
            Refusal::Unauthorised => (401, "unauthorized"),
            Refusal::Invalid => (400, "invalid_request"),
            Refusal::InvalidPeriod => (422, "invalid_period"),
            Refusal::UnknownPerson => (422, "unknown_taxpayer"),
            Refusal::KeyReused => (422, "key_reused"),
        }
    }

    fn member_position(&self, index: usize) -> String {
        format!("/members/{index}")
    }
}

#[tokio::test]
async fn nino_passes_the_partner_suite() {
    partner_suite::run::<Nino>().await;
}
