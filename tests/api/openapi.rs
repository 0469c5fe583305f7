//! `GET /openapi.json`: the document is served to anyone, is the one the code generates, and
//! names the problems the API really answers with.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_document_is_served_without_a_token() {
    let app = spawn_app().await;
    let response = reqwest::get(format!("{}/openapi.json", app.server.url())).await.expect("the API answers");
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let served: Value = response.json().await.expect("JSON");
    assert_eq!(served, registry_gateway::api::openapi::document());
    assert_eq!(served["openapi"], "3.1.0");
    assert!(served["paths"]["/openapi.json"]["get"].get("security").is_none());
}

#[tokio::test]
async fn a_problem_the_api_answers_is_one_its_operation_documents() {
    let app = spawn_app().await;
    let doc = registry_gateway::api::openapi::document();
    let body = json!({"applicant": "121282-11211", "purpose": "means_test"});
    let response = app.post_check(&body).await;
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let problem: Value = response.json().await.unwrap();
    let documented = &doc["paths"]["/v1/income-checks"]["post"]["responses"]["400"]["content"]["application/problem+json"]
        ["schema"]["allOf"][1]["properties"]["type"]["enum"];
    assert!(documented.as_array().unwrap().contains(&problem["type"]), "{problem} not in {documented}");
}
