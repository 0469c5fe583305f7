//! Bad input gets RFC 9457 problem+json with a stable type, never a registry call.

use gateway_domain::{PersonCode, System, old_format_check_digit};
use serde_json::{Value, json};

use crate::helpers::spawn_app;

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(content_type, "application/problem+json");
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_bad_personal_code_is_a_400_naming_the_field() {
    let app = spawn_app().await;
    let response = app.post_check(&json!({"applicant": "121282-11211", "purpose": "means_test", "officer": "x"})).await;
    let (status, body) = problem(response).await;
    assert_eq!(status, 400);
    assert_eq!(body["type"], "urn:registry-gateway:problem:invalid-field");
    assert_eq!(body["field"], "/applicant");
    assert_eq!(body["status"], 400);
    assert!(!body.to_string().contains("121282"));
    assert_eq!(app.simulators.received_requests(System::Pmlp).await, 0, "nothing was asked");
}

#[tokio::test]
async fn an_unknown_applicant_is_a_404() {
    let app = spawn_app().await;
    // A valid old-format code nobody in the population holds.
    let unknown = (0..1000u32)
        .map(|n| {
            let digits: Vec<u8> = format!("0101011{:03}", n).bytes().map(|b| b - b'0').collect();
            let first_ten: [u8; 10] = digits.try_into().unwrap();
            format!("010101-1{:03}{}", n, old_format_check_digit(&first_ten))
        })
        .map(|raw| PersonCode::parse(&raw).unwrap())
        .find(|code| app.population.person(code).is_none())
        .unwrap();
    let response =
        app.post_check(&json!({"applicant": unknown.as_str(), "purpose": "means_test", "officer": "x"})).await;
    let (status, body) = problem(response).await;
    assert_eq!(status, 404);
    assert_eq!(body["type"], "urn:registry-gateway:problem:unknown-applicant");
}

#[tokio::test]
async fn malformed_json_and_wrong_media_types_are_problems() {
    let app = spawn_app().await;
    let url = format!("{}/v1/income-checks", app.server.url());
    let response =
        app.client.post(&url).header("content-type", "application/json").body("{\"applicant\":").send().await.unwrap();
    let (status, body) = problem(response).await;
    assert_eq!((status, body["type"].as_str()), (400, Some("urn:registry-gateway:problem:invalid-body")));

    let response = app.client.post(&url).header("content-type", "text/plain").body("{}").send().await.unwrap();
    let (status, body) = problem(response).await;
    assert_eq!((status, body["type"].as_str()), (415, Some("urn:registry-gateway:problem:unsupported-media-type")));

    let response = app.client.get(format!("{}/v1/nothing-here", app.server.url())).send().await.unwrap();
    let (status, body) = problem(response).await;
    assert_eq!((status, body["type"].as_str()), (404, Some("urn:registry-gateway:problem:not-found")));
}

/// Sends a raw request and reads the problem it is answered with.
async fn raw(app: &crate::helpers::TestApp, method: reqwest::Method, path: &str, body: Option<&str>) -> (u16, Value) {
    let mut request = app.client.request(method, format!("{}{path}", app.server.url()));
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body.to_owned());
    }
    let response = request.send().await.unwrap();
    assert!(response.headers().contains_key("x-request-id"), "every answer names its request");
    problem(response).await
}

fn code(body: &Value) -> &str {
    body["type"].as_str().unwrap().trim_start_matches("urn:registry-gateway:problem:")
}

#[tokio::test]
async fn every_http_level_error_is_a_problem_with_a_stable_type() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.server.max_body_bytes = 64 * 1024;
        config.server.max_uri_bytes = 1024;
    })
    .await;
    let (status, body) = raw(&app, reqwest::Method::GET, "/v1/income-checks", None).await;
    assert_eq!((status, code(&body)), (405, "method-not-allowed"));
    let (status, body) = raw(&app, reqwest::Method::DELETE, "/healthz", None).await;
    assert_eq!((status, code(&body)), (405, "method-not-allowed"));

    let big = format!("{{\"decisions\": [\"{}\"]}}", "x".repeat(70 * 1024));
    let (status, body) = raw(&app, reqwest::Method::POST, "/v1/status-decisions", Some(&big)).await;
    assert_eq!((status, code(&body)), (413, "payload-too-large"));

    let long = format!("/v1/co-financing/tukums/2026-01?officer={}", "a".repeat(2000));
    let (status, body) = raw(&app, reqwest::Method::GET, &long, None).await;
    assert_eq!((status, code(&body)), (414, "uri-too-long"));

    // A path segment that does not decode to UTF-8, and a query of the wrong shape.
    let (status, body) = raw(&app, reqwest::Method::GET, "/v1/co-financing/%FF%FE/2026-01", None).await;
    assert_eq!((status, code(&body), body["parameter"].as_str()), (400, "invalid-parameter", Some("municipality")));
    let (status, body) = raw(&app, reqwest::Method::GET, "/v1/co-financing/tukums/2026-01?who=me", None).await;
    assert_eq!((status, code(&body)), (400, "invalid-parameter"));
    for month in ["2026-+9", "%202026-09", "2026-9", "26-09"] {
        let (status, body) = raw(&app, reqwest::Method::GET, &format!("/v1/co-financing/tukums/{month}"), None).await;
        assert_eq!((status, body["parameter"].as_str()), (400, Some("month")), "{month}");
    }
    let (status, body) =
        raw(&app, reqwest::Method::GET, "/v1/co-financing/tukums/2026-01?officer=cw%0D%0AX-Evil:%201", None).await;
    assert_eq!((status, body["parameter"].as_str()), (400, Some("officer")));
    assert!(body["request_id"].is_string());
}

#[tokio::test]
async fn free_text_repeated_keys_and_strict_months_are_refused_in_bodies() {
    let app = spawn_app().await;
    let base = json!({"applicant": "121282-11210", "purpose": "means_test", "officer": "cw-1"});
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    let cases = [
        (with("officer", json!("cw\u{0}1")), "/officer"),
        (with("officer", json!("cw\n1")), "/officer"),
        (with("officer", json!("a".repeat(65))), "/officer"),
        (with("legal_basis", json!("")), "/legal_basis"),
        (with("legal_basis", json!("Law\r\nart. 1")), "/legal_basis"),
        (with("legal_basis", json!("x".repeat(301))), "/legal_basis"),
        (with("period", json!({"from": "2026-+8", "to": "2026-10"})), "/period/from"),
        (with("period", json!({"from": " 2026-08", "to": "2026-10"})), "/period/from"),
    ];
    for (body, field) in cases {
        let (status, problem) = problem(app.post_check(&body).await).await;
        assert_eq!((status, problem["field"].as_str()), (400, Some(field)), "{body}");
    }
    let repeated =
        r#"{"applicant": "121282-11210", "applicant": "32579318462", "purpose": "means_test", "officer": "x"}"#;
    let (status, body) = raw(&app, reqwest::Method::POST, "/v1/income-checks", Some(repeated)).await;
    assert_eq!((status, code(&body)), (400, "invalid-body"));
    assert!(!body.to_string().contains("121282"));
    let decision = r#"{"decision_ref": "TUK-1", "decision_ref": "TUK-2", "version": 1, "status": "needy",
        "members": ["121282-11210"], "valid_from": "2026-11-01"}"#;
    let (status, body) = raw(&app, reqwest::Method::POST, "/v1/status-decisions", Some(decision)).await;
    assert_eq!((status, code(&body)), (400, "invalid-body"));
    assert_eq!(app.simulators.received_requests(System::Pmlp).await, 0, "nothing was asked");
    assert!(app.store.stored_versions().await.unwrap().is_empty(), "nothing was stored");
}
