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

/// schemathesis calls each operation with a token of the role the routes table gives it, so
/// that a new route is tested past its access rule: `.ci/schemathesis.toml` names every route
/// that takes a role, with that role's token.
#[test]
fn schemathesis_calls_every_route_with_a_token_of_its_role() {
    use registry_gateway::api::routes;
    use registry_gateway::auth::Access;
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/schemathesis.toml"))
        .unwrap();
    let entries: Vec<&str> = text.split("[[operations]]").skip(1).collect();
    for route in routes() {
        let Access::Roles(roles) = route.access else { continue };
        let name = format!("include-name = \"{} {}\"", route.method, route.path);
        let entry = entries.iter().find(|e| e.contains(&name)).or_else(|| {
            entries.iter().find(|e| {
                e.lines().filter_map(|l| l.strip_prefix("include-path-regex = \"")).any(|regex| {
                    let prefixes = regex.trim_end_matches('"').trim_start_matches("^/(").trim_end_matches(')');
                    prefixes.split('|').any(|p| route.path.trim_start_matches('/').starts_with(p))
                })
            })
        });
        let entry =
            entry.unwrap_or_else(|| panic!("{} {} has no entry in .ci/schemathesis.toml", route.method, route.path));
        let tokens: Vec<String> =
            roles.iter().map(|r| format!("GATEWAY_TOKEN_{}", r.as_str().to_uppercase().replace('-', "_"))).collect();
        assert!(
            tokens.iter().any(|t| entry.contains(t.as_str())),
            "{} {} is called with none of {tokens:?}",
            route.method,
            route.path
        );
    }
}
