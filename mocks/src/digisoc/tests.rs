//! The DigiSoc simulator over HTTP behind its token endpoint: referrals taken once per key and
//! refused off the contract, the report feed in pages after a cursor, and faults in front of
//! both, every answer checked against `schemas/digisoc/`.

use std::collections::HashMap;

use gateway_domain::{ExecutionReport, Month, PersonCode, ReferralState, ServiceType, System, Volume};
use serde_json::{Value, json};

use super::{MAX_LIMIT, PAGE_SAMPLE, REFERRALS_PATH, REPORTS_PATH};
use crate::test_support::{
    EXAMPLE_REQUEST_ID, assert_valid_json, fetch_token, schema_path, test_population, unknown_code,
};
use crate::{FaultConfig, Simulators};

const RECEIPT: &str = "digisoc/referral-receipt.schema.json";
const PROBLEM: &str = "digisoc/problem.schema.json";
const PAGE: &str = "digisoc/execution-reports.schema.json";

/// A client of the simulator holding a token from its token endpoint.
struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

/// An answer: its status and JSON body.
struct Answer {
    status: u16,
    body: Value,
}

impl Answer {
    /// The problem's code: the last segment of its type.
    fn code(&self) -> Option<&str> {
        self.body["type"].as_str().and_then(|t| t.strip_prefix("urn:lv:digisoc:problem:"))
    }
}

impl Client {
    async fn start(simulators: &Simulators) -> Self {
        let http = reqwest::Client::new();
        let base = simulators.url(System::Digisoc);
        let token = fetch_token(&http, &format!("{base}/oauth2/token"), simulators.credentials()).await;
        Self { http, base, token }
    }

    async fn answer(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        Answer { status, body: serde_json::from_str(&text).unwrap_or(Value::Null) }
    }

    async fn deliver(&self, key: &str, referral: &Value) -> Answer {
        let response = self
            .http
            .post(format!("{}{REFERRALS_PATH}", self.base))
            .bearer_auth(&self.token)
            .header("X-Request-Id", EXAMPLE_REQUEST_ID)
            .header("X-Purpose", "social_assistance")
            .header("Idempotency-Key", key)
            .json(referral)
            .send()
            .await
            .expect("the simulator answers");
        Self::answer(response).await
    }

    async fn reports(&self, query: &str) -> Answer {
        let response = self
            .http
            .get(format!("{}{REPORTS_PATH}{query}", self.base))
            .bearer_auth(&self.token)
            .header("X-Request-Id", EXAMPLE_REQUEST_ID)
            .header("X-Purpose", "social_assistance")
            .send()
            .await
            .expect("the simulator answers");
        Self::answer(response).await
    }
}

/// The schema's example referral for a person of the population.
fn example(person: &PersonCode) -> Value {
    let text = std::fs::read_to_string(schema_path("digisoc/examples/referral.json")).expect("the example");
    let mut referral: Value = serde_json::from_str(&text).expect("JSON");
    referral["person"] = json!(person.as_str());
    referral
}

fn with(referral: &Value, pointer: &str, value: Value) -> Value {
    let mut changed = referral.clone();
    *changed.pointer_mut(pointer).expect("the field exists") = value;
    changed
}

fn someone() -> PersonCode {
    test_population().persons()[0].code.clone()
}

/// A report revision of `someone` for month `2026-0<month>`.
fn report(id: &str, revision: u32, month: u8) -> ExecutionReport {
    ExecutionReport {
        report_id: id.into(),
        revision,
        referral_ref: "TUK-NOS-2026-000123".into(),
        provider: "40003012345".into(),
        person: someone(),
        service: ServiceType::HomeCare,
        month: Month::new(2026, month).unwrap(),
        visits: Some(12 + revision),
        hours: None,
        days: None,
        amount_cents: 2_100 * i64::from(12 + revision),
        carer: None,
    }
}

fn counted(keys: &[&str]) -> HashMap<String, u32> {
    keys.iter().map(|key| ((*key).to_owned(), 1)).collect()
}

#[tokio::test]
async fn a_referral_is_accepted_once_and_its_repetition_acknowledged_as_a_duplicate() {
    let simulators = Simulators::start_all(test_population()).await;
    let client = Client::start(&simulators).await;
    let referral = example(&someone());
    assert_valid_json("digisoc/referral.schema.json", &referral);

    let first = client.deliver("key-1", &referral).await;
    assert_eq!((first.status, first.body["result"].as_str()), (201, Some("created")));
    assert_valid_json(RECEIPT, &first.body);
    assert_eq!(first.body["idempotency_key"], "key-1");
    assert_eq!(
        (first.body["referral_ref"].as_str(), first.body["version"].as_u64()),
        (Some("TUK-NOS-2026-000123"), Some(1))
    );
    let second = client.deliver("key-1", &referral).await;
    assert_eq!((second.status, second.body["result"].as_str()), (200, Some("already_received")));
    assert_valid_json(RECEIPT, &second.body);
    for field in ["receipt_id", "received_at"] {
        assert_eq!(second.body[field], first.body[field], "{field}");
    }

    let desk = simulators.digisoc();
    let kept = desk.referrals();
    assert_eq!(kept.len(), 1, "each version once");
    assert_eq!(
        (kept[0].person.clone(), kept[0].service, kept[0].volume),
        (someone(), ServiceType::HomeCare, Volume::HomeCareLevel { level: 2 })
    );
    assert_eq!(kept[0].state, ReferralState::Active);
    assert_eq!(desk.accepted(), counted(&["key-1"]));
    assert_eq!(desk.duplicates(), counted(&["key-1"]));
    assert_eq!(desk.accepted_versions(), HashMap::from([(("TUK-NOS-2026-000123".to_owned(), 1), 1)]));
    assert_eq!(simulators.accepted(System::Digisoc), desk.accepted(), "the shared counters read the same ledger");

    // The next version (a cancellation) is a referral of its own under its own key.
    let cancelled = with(&with(&referral, "/version", json!(2)), "/state", json!("cancelled"));
    assert_eq!(client.deliver("key-2", &cancelled).await.status, 201);
    let kept = desk.referrals();
    assert_eq!((kept.len(), kept[1].version, kept[1].state), (2, 2, ReferralState::Cancelled));
}

#[tokio::test]
async fn a_key_reused_for_another_referral_is_refused_and_changes_nothing() {
    let simulators = Simulators::start_all(test_population()).await;
    let client = Client::start(&simulators).await;
    let referral = example(&someone());
    assert_eq!(client.deliver("key-1", &referral).await.status, 201);
    let other = client.deliver("key-1", &with(&referral, "/volume/level", json!(3))).await;
    assert_eq!((other.status, other.code()), (422, Some("key-reused")));
    assert_valid_json(PROBLEM, &other.body);
    let desk = simulators.digisoc();
    assert_eq!(desk.referrals().len(), 1);
    assert_eq!(desk.referrals()[0].volume, Volume::HomeCareLevel { level: 2 });
    assert_eq!((desk.accepted(), desk.rejected()), (counted(&["key-1"]), counted(&["key-1"])));
    assert!(desk.duplicates().is_empty());
}

#[tokio::test]
async fn a_person_unknown_to_the_population_is_refused_by_pointer_not_by_code() {
    let simulators = Simulators::start_all(test_population()).await;
    let client = Client::start(&simulators).await;
    let unknown = unknown_code(simulators.population());
    let answer = client.deliver("key-1", &example(&unknown)).await;
    assert_eq!(
        (answer.status, answer.code(), answer.body["detail"].as_str()),
        (422, Some("unknown-person"), Some("/person"))
    );
    assert_valid_json(PROBLEM, &answer.body);
    assert!(!answer.body.to_string().contains(unknown.as_str()));
    assert!(simulators.digisoc().referrals().is_empty());
    assert_eq!(simulators.digisoc().rejected(), counted(&["key-1"]));
}

#[tokio::test]
async fn referrals_off_the_contract_are_refused_and_change_nothing() {
    let simulators = Simulators::start_all(test_population()).await;
    let client = Client::start(&simulators).await;
    let referral = example(&someone());
    let mut invalid: Vec<Value> = [
        ("/volume", json!({ "kind": "hours_per_month", "hours": 40 })),
        ("/volume/level", json!(4)),
        ("/volume", json!({ "kind": "home_care_level", "level": 2, "hours": 1 })),
        ("/provider", json!("4000301234")),
        ("/person", json!("121282-11210")),
        ("/service", json!("gardening")),
        ("/state", json!("paused")),
        ("/version", json!(0)),
        ("/referral_ref", json!("TUK NOS")),
        ("/valid_from", json!("2026-13-01")),
        ("/for_parents_employment", json!("no")),
    ]
    .into_iter()
    .map(|(pointer, value)| with(&referral, pointer, value))
    .collect();
    let mut unknown_field = referral.clone();
    unknown_field["priority"] = json!("high");
    invalid.push(unknown_field);
    invalid.push(with(
        &with(&referral, "/service", json!("disabled_child_care")),
        "/volume",
        json!({ "kind": "hours_per_month", "hours": 80.5 }),
    ));
    invalid.push(json!([referral.clone()]));
    for (i, broken) in invalid.iter().enumerate() {
        let answer = client.deliver(&format!("key-{i}"), broken).await;
        assert_eq!((answer.status, answer.code()), (400, Some("invalid-request")), "invalid referral {i}");
        assert_valid_json(PROBLEM, &answer.body);
    }
    let backwards = with(&referral, "/valid_to", json!("2026-05-31"));
    let answer = client.deliver("key-backwards", &backwards).await;
    assert_eq!((answer.status, answer.code()), (422, Some("invalid-period")));

    let no_key = client
        .http
        .post(format!("{}{REFERRALS_PATH}", client.base))
        .bearer_auth(&client.token)
        .header("X-Request-Id", EXAMPLE_REQUEST_ID)
        .header("X-Purpose", "social_assistance")
        .json(&referral)
        .send()
        .await
        .unwrap();
    assert_eq!(no_key.status(), 400);
    let not_json = client
        .http
        .post(format!("{}{REFERRALS_PATH}", client.base))
        .bearer_auth(&client.token)
        .header("X-Request-Id", EXAMPLE_REQUEST_ID)
        .header("X-Purpose", "social_assistance")
        .header("Idempotency-Key", "key-text")
        .header("Content-Type", "text/plain")
        .body(referral.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 415);
    let no_token = client.http.post(format!("{}{REFERRALS_PATH}", client.base)).json(&referral).send().await.unwrap();
    assert_eq!(no_token.status(), 401);

    let desk = simulators.digisoc();
    assert!(desk.referrals().is_empty());
    assert!(desk.accepted().is_empty());
    assert_eq!(desk.rejected().len(), invalid.len() + 1 + 1, "every refusal of a usable key is counted");
}

#[tokio::test]
async fn the_feed_is_read_in_pages_after_a_cursor_and_a_pull_reads_only_what_is_new() {
    let simulators = Simulators::start_all(test_population()).await;
    let client = Client::start(&simulators).await;
    let desk = simulators.digisoc();
    let empty = client.reports("").await;
    assert_eq!(
        (empty.status, empty.body["reports"].as_array().map(Vec::len), empty.body["more"].as_bool()),
        (200, Some(0), Some(false))
    );
    assert_valid_json(PAGE, &empty.body);

    // A report, another, a correction of the first and a repeat of that correction.
    for entered in
        [report("R-1", 1, 6), report("R-2", 1, 6), report("R-1", 2, 6), report("R-1", 2, 6), report("R-3", 1, 7)]
    {
        desk.report(entered);
    }
    assert_eq!(desk.len(), 5);
    let mut read = Vec::new();
    let mut query = "?limit=2".to_owned();
    let mut pages = Vec::new();
    let cursor = loop {
        let page = client.reports(&query).await;
        assert_eq!(page.status, 200);
        assert_valid_json(PAGE, &page.body);
        read.extend(page.body["reports"].as_array().unwrap().iter().cloned());
        pages.push(page.body["reports"].as_array().unwrap().len());
        let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
        if !page.body["more"].as_bool().unwrap() {
            break cursor;
        }
        query = format!("?after={cursor}&limit=2");
    };
    assert_eq!(pages, [2, 2, 1]);
    let ids: Vec<(&str, u64)> =
        read.iter().map(|r| (r["report_id"].as_str().unwrap(), r["revision"].as_u64().unwrap())).collect();
    assert_eq!(ids, [("R-1", 1), ("R-2", 1), ("R-1", 2), ("R-1", 2), ("R-3", 1)], "the order recorded, repeats kept");
    assert_eq!(read[0]["person"], someone().as_str());
    assert_eq!((read[0]["visits"].as_u64(), read[0]["amount_cents"].as_i64()), (Some(13), Some(27_300)));

    let nothing_new = client.reports(&format!("?after={cursor}")).await;
    assert_eq!(nothing_new.body["reports"], json!([]));
    assert_eq!(
        (nothing_new.body["next_cursor"].as_str(), nothing_new.body["more"].as_bool()),
        (Some(cursor.as_str()), Some(false))
    );
    desk.report(report("R-2", 2, 6));
    let new = client.reports(&format!("?after={cursor}")).await;
    let new_reports = new.body["reports"].as_array().unwrap();
    assert_eq!(new_reports.len(), 1);
    assert_eq!((new_reports[0]["report_id"].as_str(), new_reports[0]["revision"].as_u64()), (Some("R-2"), Some(2)));
    assert_eq!(desk.reports().last(), Some(&report("R-2", 2, 6)));
}

#[tokio::test]
async fn a_page_holds_at_most_its_limit_and_bad_queries_are_refused() {
    let simulators = Simulators::start_all(test_population()).await;
    let client = Client::start(&simulators).await;
    let desk = simulators.digisoc();
    for i in 0..=MAX_LIMIT {
        desk.report(report(&format!("R-{i}"), 1, 6));
    }
    for query in ["?limit=100000", "?limit=99999999999999999999999"] {
        let page = client.reports(query).await;
        assert_eq!(
            (page.body["reports"].as_array().map(Vec::len), page.body["more"].as_bool()),
            (Some(MAX_LIMIT), Some(true)),
            "{query}"
        );
    }
    assert_eq!(client.reports("").await.body["reports"].as_array().map(Vec::len), Some(100), "the default limit");
    for (query, code) in [
        ("?limit=0", "invalid-request"),
        ("?limit=ten", "invalid-request"),
        ("?limit=-1", "invalid-request"),
        ("?limit=1&limit=2", "invalid-request"),
        ("?from=0", "invalid-request"),
        ("?after=ds1-9999999999", "invalid-cursor"),
        ("?after=ds1-1", "invalid-cursor"),
        ("?after=", "invalid-cursor"),
        ("?after=R-1", "invalid-cursor"),
    ] {
        let answer = client.reports(query).await;
        assert_eq!((answer.status, answer.code()), (400, Some(code)), "{query}");
        assert_valid_json(PROBLEM, &answer.body);
    }
    let no_token = client.http.get(format!("{}{REPORTS_PATH}", client.base)).send().await.unwrap();
    assert_eq!(no_token.status(), 401);
    let post = client.http.post(format!("{}{REPORTS_PATH}", client.base)).send().await.unwrap();
    assert_eq!((post.status().as_u16(), post.headers().get("allow").and_then(|v| v.to_str().ok())), (405, Some("GET")));
    let get = client.http.get(format!("{}{REFERRALS_PATH}", client.base)).send().await.unwrap();
    assert_eq!((get.status().as_u16(), get.headers().get("allow").and_then(|v| v.to_str().ok())), (405, Some("POST")));
    let other = client.http.get(format!("{}/digisoc/v2/execution-reports", client.base)).send().await.unwrap();
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn faults_come_before_both_operations_and_change_nothing() {
    let mut simulators = Simulators::start_all(test_population()).await;
    let client = Client::start(&simulators).await;
    let faults = simulators.faults(System::Digisoc);
    let desk = simulators.digisoc();
    desk.report(report("R-1", 1, 6));

    faults.set(FaultConfig { outage: true, retry_after_secs: 7, ..FaultConfig::default() });
    let outage = client.deliver("key-1", &example(&someone())).await;
    assert_eq!(outage.status, 503);
    assert_eq!(client.reports("").await.status, 503);
    assert!(desk.referrals().is_empty(), "a referral answered by an outage was not taken");

    faults.set(FaultConfig { throttle_percent: 100, retry_after_secs: 2, ..FaultConfig::default() });
    assert_eq!(client.reports("").await.status, 429);

    faults.set(FaultConfig { truncate_percent: 100, ..FaultConfig::default() });
    let truncated =
        client.http.get(format!("{}{REPORTS_PATH}", client.base)).bearer_auth(&client.token).send().await.unwrap();
    let body = truncated.bytes().await.unwrap();
    assert_eq!(&body[..], &PAGE_SAMPLE[..PAGE_SAMPLE.len() / 2], "a page is cut from the page example");

    faults.set(FaultConfig { latency_ms: 150, ..FaultConfig::default() });
    let started = std::time::Instant::now();
    assert_eq!(client.reports("").await.status, 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(150));

    faults.set(FaultConfig::default());
    assert_eq!(client.deliver("key-1", &example(&someone())).await.status, 201, "the same key goes through afterwards");
    assert_eq!(faults.total_requests(), 7, "the token request and each call are counted");

    simulators.stop(System::Digisoc);
    // A fresh client: a pooled connection would fail otherwise than a refused one.
    let refused = reqwest::Client::new().get(format!("{}{REPORTS_PATH}", client.base)).send().await;
    assert!(refused.expect_err("a stopped simulator does not answer").is_connect());
    assert_eq!(simulators.digisoc().referrals().len(), 1, "the desk is still readable");
}

#[tokio::test]
async fn the_configuration_table_points_the_adapter_at_the_simulator() {
    let simulators = Simulators::start_all(test_population()).await;
    let toml = simulators.config_toml();
    let table =
        format!("[partners.digisoc]\nbase_url = \"{}\"\n[partners.digisoc.oauth]\n", simulators.url(System::Digisoc));
    assert!(toml.contains(&table), "{toml}");
}
