//! The JPA simulator passes the partner-simulator suite over HTTP behind its token endpoint,
//! its answers checked against `schemas/jpa/`.

use gateway_domain::System;
use serde_json::{Value, json};

use crate::Simulators;
use crate::partner_suite::{self, Answer, PartnerFixture, Reading, Refusal};
use crate::test_support::{EXAMPLE_REQUEST_ID, assert_valid_json, json_check, request_token};

const NOTIFICATIONS: &str = "/jpa/v1/status-notifications";
const PROBLEM_PREFIX: &str = "urn:lv:jpa:problem:";

/// A status notification and the headers JPA reads beside it.
#[derive(Clone)]
struct Notification {
    body: Value,
    key: String,
    token: String,
}

impl Notification {
    fn with(&self, pointer: &str, value: Value) -> Self {
        let mut changed = self.clone();
        *changed.body.pointer_mut(pointer).expect("the field exists") = value;
        changed
    }
}

struct Jpa {
    client: reqwest::Client,
    token: String,
}

impl PartnerFixture for Jpa {
    type Message = Notification;

    const SYSTEM: System = System::Jpa;
    const DELIVERY_PATH: &'static str = NOTIFICATIONS;
    const OTHER_PATH: &'static str = "/jpa/v2/status-notifications";
    const ACCEPTED: (u16, &'static str) = (201, "REGISTERED");
    const DUPLICATE: (u16, &'static str) = (200, "ALREADY_REGISTERED");
    const REPEATS_REQUEST_ID: bool = false;

    /// A client holding a token from the simulator's token endpoint.
    async fn start(simulators: &Simulators) -> Self {
        let client = reqwest::Client::new();
        let token_url = format!("{}/oauth2/token", simulators.url(System::Jpa));
        let (status, body) = request_token(&client, &token_url, simulators.credentials()).await;
        assert_eq!(status, 200);
        assert_valid_json("jpa/token.schema.json", &body);
        let token = body["access_token"].as_str().expect("a token").to_owned();
        Self { client, token }
    }

    /// A notification as the schema example shapes it.
    fn message(&self, key: &str, applicant: &str, member: &str) -> Notification {
        let body = json!({
            "decisionNumber": "TUK-2026-000123",
            "decisionVersion": 2,
            "status": "LOW_INCOME",
            "period": { "start": "2026-11-01" },
            "persons": [
                { "personCode": applicant, "applicant": true },
                { "personCode": member, "applicant": false },
            ],
        });
        Notification { body, key: key.to_owned(), token: self.token.clone() }
    }

    fn ended(&self, notification: &Notification) -> Notification {
        notification.with("/status", json!("ENDED"))
    }

    fn backwards(&self, notification: &Notification) -> Notification {
        let mut backwards = notification.clone();
        backwards.body["period"]["end"] = json!("2026-10-31");
        backwards
    }

    fn unauthorised(&self, notification: &Notification) -> Vec<Notification> {
        vec![
            Notification { token: "c2ltdWxhdGVkLXRva2VuLTAwMDAwMDAx".to_owned(), ..notification.clone() },
            Notification { token: String::new(), ..notification.clone() },
        ]
    }

    fn invalid(&self, notification: &Notification) -> Vec<Notification> {
        let mut cases: Vec<Notification> = [
            ("/status", json!("POOR")),
            ("/decisionNumber", json!("TUK 2026")),
            ("/decisionVersion", json!(0)),
            ("/period/start", json!("2026-13-01")),
            ("/persons", json!([])),
            ("/persons/0/applicant", json!(false)),
            ("/persons/1/personCode", json!("121282-11210")),
        ]
        .into_iter()
        .map(|(pointer, value)| notification.with(pointer, value))
        .collect();
        cases.push(Notification { body: json!([notification.body.clone()]), ..notification.clone() });
        cases.push(Notification { key: String::new(), ..notification.clone() });
        cases
    }

    fn check_message(&self, notification: &Notification) -> Result<(), String> {
        json_check("jpa/status-notification.schema.json", &notification.body)
    }

    async fn send(&self, simulators: &Simulators, notification: &Notification) -> Answer {
        let mut request = self
            .client
            .post(format!("{}{NOTIFICATIONS}", simulators.url(System::Jpa)))
            .header("X-Request-Id", EXAMPLE_REQUEST_ID)
            .header("Idempotency-Key", &notification.key)
            .json(&notification.body);
        if !notification.token.is_empty() {
            request = request.bearer_auth(&notification.token);
        }
        let response = request.send().await.expect("the simulator answers");
        Answer { status: response.status().as_u16(), body: response.text().await.expect("a body") }
    }

    fn check_answer(&self, answer: &Answer) -> Result<(), String> {
        let body: Value = serde_json::from_str(&answer.body).map_err(|_| "the answer is not JSON".to_owned())?;
        let schema =
            if answer.status < 300 { "jpa/notification-receipt.schema.json" } else { "jpa/problem.schema.json" };
        json_check(schema, &body)
    }

    fn read(&self, answer: &Answer) -> Reading {
        let body: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
        let read = |pointer: &str| body.pointer(pointer).and_then(Value::as_str).map(str::to_owned);
        Reading {
            outcome: read("/outcome"),
            key: read("/idempotencyKey"),
            receipt_id: read("/notificationId"),
            received_at: read("/registeredAt"),
            code: read("/type").and_then(|t| t.strip_prefix(PROBLEM_PREFIX).map(str::to_owned)),
            member_position: read("/pointer"),
            request_id: None,
        }
    }

    fn refusal(&self, refusal: Refusal) -> (u16, &'static str) {
        match refusal {
            Refusal::Unauthorised => (401, "unauthorized"),
            Refusal::Invalid => (400, "invalid-request"),
            Refusal::InvalidPeriod => (422, "invalid-period"),
            Refusal::UnknownPerson => (422, "unknown-person"),
            Refusal::KeyReused => (422, "key-reused"),
        }
    }

    fn member_position(&self, index: usize) -> String {
        format!("/persons/{index}")
    }
}

#[tokio::test]
async fn jpa_passes_the_partner_suite() {
    partner_suite::run::<Jpa>().await;
}
