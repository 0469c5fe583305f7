//! The BRIDZIS simulator passes the partner-simulator suite over HTTP, its answers checked
//! against `schemas/bridzis/`.

use gateway_domain::System;
use serde_json::{Value, json};

use crate::Simulators;
use crate::partner_suite::{self, Answer, PartnerFixture, Reading, Refusal};
use crate::test_support::{EXAMPLE_REQUEST_ID, json_check};

const NOTICES: &str = "/bridzis/v1/status-notices";

/// A notice and the headers the register reads beside it.
#[derive(Clone)]
struct Notice {
    body: Value,
    key: Option<String>,
    api_key: Option<String>,
}

impl Notice {
    fn with(&self, field: &str, value: Value) -> Self {
        let mut changed = self.clone();
        changed.body[field] = value;
        changed
    }
}

struct Bridzis {
    client: reqwest::Client,
    api_key: String,
}

impl PartnerFixture for Bridzis {
    type Message = Notice;

    const SYSTEM: System = System::Bridzis;
    const DELIVERY_PATH: &'static str = NOTICES;
    const OTHER_PATH: &'static str = "/bridzis/v2/status-notices";
    const ACCEPTED: (u16, &'static str) = (201, "ACCEPTED");
    const DUPLICATE: (u16, &'static str) = (200, "DUPLICATE");
    const REPEATS_REQUEST_ID: bool = false;

    async fn start(simulators: &Simulators) -> Self {
        Self { client: reqwest::Client::new(), api_key: simulators.credentials().bridzis_api_key.clone() }
    }

    /// A notice as the schema example shapes it.
    fn message(&self, key: &str, applicant: &str, member: &str) -> Notice {
        let body = json!({
            "decisionRef": "TUK-2026-000123",
            "decisionVersion": 2,
            "socialStatus": "NEEDY",
            "validFrom": "2026-11-01",
            "validTo": "2027-04-30",
            "persons": [
                { "personCode": applicant, "role": "APPLICANT" },
                { "personCode": member, "role": "MEMBER" },
            ],
        });
        Notice { body, key: Some(key.to_owned()), api_key: Some(self.api_key.clone()) }
    }

    fn ended(&self, notice: &Notice) -> Notice {
        notice.with("socialStatus", json!("ENDED"))
    }

    fn backwards(&self, notice: &Notice) -> Notice {
        notice.with("validTo", json!("2026-10-31"))
    }

    fn unauthorised(&self, notice: &Notice) -> Vec<Notice> {
        [None, Some("guess".to_owned())].into_iter().map(|api_key| Notice { api_key, ..notice.clone() }).collect()
    }

    fn invalid(&self, notice: &Notice) -> Vec<Notice> {
        let mut cases: Vec<Notice> = [
            ("socialStatus", json!("POOR")),
            ("decisionVersion", json!(0)),
            ("decisionRef", json!("TUK 2026")),
            ("validFrom", json!("1 November")),
            ("persons", json!([])),
            ("unexpected", json!(true)),
        ]
        .into_iter()
        .map(|(field, value)| notice.with(field, value))
        .collect();
        let mut broken = notice.clone();
        broken.body["persons"][0]["personCode"] = json!("12128211211");
        cases.push(broken);
        let mut broken = notice.clone();
        broken.body["persons"][0]["role"] = json!("MEMBER");
        cases.push(broken);
        cases.push(Notice { body: json!([notice.body.clone()]), ..notice.clone() });
        cases.push(Notice { key: None, ..notice.clone() });
        cases
    }

    fn check_message(&self, notice: &Notice) -> Result<(), String> {
        json_check("bridzis/status-notice.schema.json", &notice.body)
    }

    async fn send(&self, simulators: &Simulators, notice: &Notice) -> Answer {
        let mut request = self
            .client
            .post(format!("{}{NOTICES}", simulators.url(System::Bridzis)))
            .header("X-Request-Id", EXAMPLE_REQUEST_ID)
            .json(&notice.body);
        if let Some(key) = &notice.key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(api_key) = &notice.api_key {
            request = request.header("X-Api-Key", api_key);
        }
        let response = request.send().await.expect("the simulator answers");
        Answer { status: response.status().as_u16(), body: response.text().await.expect("a body") }
    }

    fn check_answer(&self, answer: &Answer) -> Result<(), String> {
        let body: Value = serde_json::from_str(&answer.body).map_err(|_| "the answer is not JSON".to_owned())?;
        let schema = if answer.status < 300 { "bridzis/receipt.schema.json" } else { "bridzis/problem.schema.json" };
        json_check(schema, &body)
    }

    fn read(&self, answer: &Answer) -> Reading {
        let body: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
        let read = |field: &str| body[field].as_str().map(str::to_owned);
        Reading {
            outcome: read("outcome"),
            key: read("idempotencyKey"),
            receipt_id: read("noticeId"),
            received_at: read("receivedAt"),
            code: read("code"),
            member_position: read("detail"),
            request_id: None,
        }
    }

    fn refusal(&self, refusal: Refusal) -> (u16, &'static str) {
        match refusal {
            Refusal::Unauthorised => (401, "UNAUTHORIZED"),
            Refusal::Invalid => (400, "INVALID_REQUEST"),
            Refusal::InvalidPeriod => (422, "INVALID_PERIOD"),
            Refusal::UnknownPerson => (422, "UNKNOWN_PERSON"),
            Refusal::KeyReused => (422, "KEY_REUSED"),
        }
    }

    fn member_position(&self, index: usize) -> String {
        format!("/persons/{index}")
    }
}

#[tokio::test]
async fn bridzis_passes_the_partner_suite() {
    partner_suite::run::<Bridzis>().await;
}
