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
