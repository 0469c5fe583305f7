//! The partner-simulator fixture of every status-notification partner (JPA, ALDIS, NVA, KIM):
//! the shared message of [`super::notification`] sent over HTTP behind the partner's token
//! endpoint, its answers checked against the partner's schemas. A partner joins by naming its
//! [`NotificationContract`] and running the suite with [`NotificationFixture`].

use std::marker::PhantomData;

use gateway_domain::System;
use serde_json::{Value, json};

use crate::Simulators;
use crate::partner_suite::{Answer, PartnerFixture, Reading, Refusal};
use crate::test_support::{EXAMPLE_REQUEST_ID, assert_valid_json, json_check, request_token};

/// Where one partner's notification contract lives.
pub(crate) trait NotificationContract: Send + Sync + 'static {
    const SYSTEM: System;
    /// The schema folder under `schemas/`.
    const FOLDER: &'static str;
    const PATH: &'static str;
    /// A path beside it that the partner does not serve.
    const OTHER_PATH: &'static str;
    const PROBLEM_PREFIX: &'static str;
}

/// A status notification and the headers JPA reads beside it.
#[derive(Clone)]
pub(crate) struct Notification {
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

/// A client of the partner `C` holding a token from its token endpoint.
pub(crate) struct NotificationFixture<C> {
    client: reqwest::Client,
    token: String,
    contract: PhantomData<C>,
}

fn schema<C: NotificationContract>(name: &str) -> String {
    format!("{}/{name}.schema.json", C::FOLDER)
}

impl<C: NotificationContract> PartnerFixture for NotificationFixture<C> {
    type Message = Notification;

    const SYSTEM: System = C::SYSTEM;
    const DELIVERY_PATH: &'static str = C::PATH;
    const OTHER_PATH: &'static str = C::OTHER_PATH;
    const ACCEPTED: (u16, &'static str) = (201, "REGISTERED");
    const DUPLICATE: (u16, &'static str) = (200, "ALREADY_REGISTERED");
    const REPEATS_REQUEST_ID: bool = false;

    /// A client holding a token from the simulator's token endpoint.
    async fn start(simulators: &Simulators) -> Self {
        let client = reqwest::Client::new();
        let token_url = format!("{}/oauth2/token", simulators.url(C::SYSTEM));
        let (status, body) = request_token(&client, &token_url, simulators.credentials()).await;
        assert_eq!(status, 200);
        assert_valid_json(&schema::<C>("token"), &body);
        let token = body["access_token"].as_str().expect("a token").to_owned();
        Self { client, token, contract: PhantomData }
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
        json_check(&schema::<C>("status-notification"), &notification.body)
    }

    async fn send(&self, simulators: &Simulators, notification: &Notification) -> Answer {
        let mut request = self
            .client
            .post(format!("{}{}", simulators.url(C::SYSTEM), C::PATH))
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
        let name = if answer.status < 300 { "notification-receipt" } else { "problem" };
        json_check(&schema::<C>(name), &body)
    }

    fn read(&self, answer: &Answer) -> Reading {
        let body: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
        let read = |pointer: &str| body.pointer(pointer).and_then(Value::as_str).map(str::to_owned);
        Reading {
            outcome: read("/outcome"),
            key: read("/idempotencyKey"),
            receipt_id: read("/notificationId"),
            received_at: read("/registeredAt"),
            code: read("/type").and_then(|t| t.strip_prefix(C::PROBLEM_PREFIX).map(str::to_owned)),
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
