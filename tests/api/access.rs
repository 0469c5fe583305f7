//! Who may call what: every route of the router against every role, and the tokens the
//! gateway must refuse.

use std::time::Duration;

use registry_gateway::api::routes;
use registry_gateway::auth::issuer::{DEMO_AUDIENCE, DEMO_ISSUER, DemoIssuer};
use registry_gateway::auth::{Access, Role};
use reqwest::Method;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::helpers::{issuer, spawn_app};
use crate::sync_helpers::decision_json;

/// A path of the table with its parameters filled in.
fn concrete(path: &str) -> String {
    path.replace("{decision_ref}", "TUK-TEST-000001").replace("{municipality}", "tukums").replace("{month}", "2025-10")
}

async fn call(url: &str, method: &Method, token: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().request(method.clone(), url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if method == Method::POST {
        request = request.json(&json!({}));
    }
    request.send().await.expect("the API answers")
}

async fn problem_type(response: reqwest::Response) -> String {
    let problem: Value = response.json().await.expect("a problem body");
    problem["type"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn every_route_refuses_callers_without_a_token_and_roles_it_does_not_allow() {
    let app = spawn_app().await;
    // The decision the receipt route is asked about exists, so that its 404 can only mean a
    // route that is not served.
    assert_eq!(app.post_decisions(&decision_json(1)).await.status(), 201);
    let table = routes();
    assert!(table.len() >= 8, "the table holds every route");
    for route in table {
        let url = format!("{}{}", app.server.url(), concrete(route.path));
        let name = format!("{} {}", route.method, route.path);
        let anonymous = call(&url, &route.method, None).await;
        let Access::Roles(allowed) = route.access else {
            assert!(anonymous.status().is_success(), "{name} is public: {}", anonymous.status());
            continue;
        };
        assert!(!allowed.is_empty(), "{name} names its roles");
        assert_eq!(anonymous.status(), 401, "{name} without a token");
        assert_eq!(anonymous.headers()["www-authenticate"], "Bearer", "{name}");
        assert_eq!(problem_type(anonymous).await, "urn:registry-gateway:problem:unauthenticated", "{name}");
        for &role in Role::ALL {
            let token = issuer().token("access-test", &[role], Duration::from_secs(60));
            let response = call(&url, &route.method, Some(&token)).await;
            let status = response.status().as_u16();
            if allowed.contains(&role) {
                assert!(![401, 403, 404, 405].contains(&status), "{name} as {role} is let through: {status}");
            } else {
                assert_eq!(status, 403, "{name} as {role}");
                assert_eq!(problem_type(response).await, "urn:registry-gateway:problem:forbidden", "{name} as {role}");
            }
        }
    }
}

#[tokio::test]
async fn tokens_that_are_expired_foreign_or_forged_are_refused() {
    let app = spawn_app().await;
    let url = format!("{}/v1/deliveries", app.server.url());
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let claims = |change: &dyn Fn(&mut Value)| {
        let mut claims = json!({
            "iss": DEMO_ISSUER, "aud": DEMO_AUDIENCE, "sub": "access-test", "roles": ["case-system"],
            "iat": now, "exp": now + 60,
        });
        change(&mut claims);
        claims
    };
    let good = issuer().sign(&claims(&|_| {}));
    assert_eq!(call(&url, &Method::GET, Some(&good)).await.status(), 200, "the untouched token passes");
    let forger = DemoIssuer::generate();
    let cases: Vec<(&str, String, &str)> = vec![
        ("expired beyond the leeway", issuer().sign(&claims(&|c| c["exp"] = json!(now - 120))), "expired"),
        ("not valid yet", issuer().sign(&claims(&|c| c["nbf"] = json!(now + 600))), "not valid yet"),
        ("another audience", issuer().sign(&claims(&|c| c["aud"] = json!("someone-else"))), "audience"),
        ("another issuer", issuer().sign(&claims(&|c| c["iss"] = json!("urn:other-idp"))), "issuer"),
        (
            "no subject",
            issuer().sign(&claims(&|c| {
                c.as_object_mut().unwrap().remove("sub");
            })),
            "sub",
        ),
        ("signed by an unknown key", forger.sign(&claims(&|_| {})), "key"),
        ("garbage", "not.a.token".to_owned(), "not a signed JWT"),
    ];
    for (case, token, says) in cases {
        let response = call(&url, &Method::GET, Some(&token)).await;
        assert_eq!(response.status(), 401, "{case}");
        let problem: Value = response.json().await.unwrap();
        let detail = problem["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(says), "{case}: {detail}");
        assert!(!detail.contains(&token), "{case}: the token is not quoted");
    }
    // A token whose payload was changed after signing (a role added) fails its signature.
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut payload: Value = serde_json::from_slice(&engine.decode(&parts[1]).unwrap()).unwrap();
    payload["roles"] = json!(["case-system", "operator"]);
    parts[1] = engine.encode(payload.to_string());
    let response = call(&url, &Method::GET, Some(&parts.join("."))).await;
    assert_eq!(response.status(), 401);
    let problem: Value = response.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("signature"), "{problem}");
}

#[tokio::test]
async fn a_token_verified_before_is_still_refused_once_it_expires() {
    let app = spawn_app().await;
    let url = format!("{}/v1/deliveries", app.server.url());
    let leeway = issuer().auth_config().leeway_secs as i64;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let token = issuer().sign(&json!({
        "iss": DEMO_ISSUER, "aud": DEMO_AUDIENCE, "sub": "access-test", "roles": ["case-system"],
        "iat": now - 60, "exp": now - leeway + 2,
    }));
    assert_eq!(call(&url, &Method::GET, Some(&token)).await.status(), 200, "valid within the leeway");
    assert_eq!(call(&url, &Method::GET, Some(&token)).await.status(), 200, "and again, as remembered");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let response = call(&url, &Method::GET, Some(&token)).await;
    assert_eq!(response.status(), 401, "expired since it was remembered");
    let problem: Value = response.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap_or_default().contains("expired"), "{problem}");
}

#[tokio::test]
async fn the_officer_recorded_is_the_caller_unless_the_case_system_acts_for_one() {
    let app = spawn_app().await;
    let household = &app.population.households()[0];
    let url = format!("{}/v1/income-checks", app.server.url());
    let body = |officer: Option<&str>| {
        let mut body = json!({ "applicant": household.members[0].as_str(), "purpose": "means_test" });
        if let Some(officer) = officer {
            body["officer"] = json!(officer);
        }
        body
    };
    let caseworker = issuer().token("anna-caseworker", &[Role::Caseworker], Duration::from_secs(60));
    let post = |token: String, body: Value| {
        let url = url.clone();
        async move { reqwest::Client::new().post(url).bearer_auth(token).json(&body).send().await.unwrap() }
    };
    assert_eq!(post(caseworker.clone(), body(None)).await.status(), 200, "no officer named: the caller");
    assert_eq!(post(caseworker.clone(), body(Some("anna-caseworker"))).await.status(), 200, "the caller named");
    let response = post(caseworker, body(Some("someone-else"))).await;
    assert_eq!(response.status(), 403);
    assert_eq!(problem_type(response).await, "urn:registry-gateway:problem:officer-not-caller");
    let case_system = issuer().token("case-system", &[Role::Caseworker, Role::CaseSystem], Duration::from_secs(60));
    assert_eq!(post(case_system, body(Some("someone-else"))).await.status(), 200, "the case system acts for its user");
}

#[tokio::test]
async fn a_caller_beyond_its_rate_gets_429_and_others_go_on() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.server.per_caller_per_second = 1;
        config.server.per_caller_burst = 3;
    })
    .await;
    let url = format!("{}/v1/deliveries", app.server.url());
    let busy = issuer().token("busy-caller", &[Role::CaseSystem], Duration::from_secs(60));
    for _ in 0..3 {
        assert_eq!(call(&url, &Method::GET, Some(&busy)).await.status(), 200, "within the burst");
    }
    let refused = call(&url, &Method::GET, Some(&busy)).await;
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    assert_eq!(problem_type(refused).await, "urn:registry-gateway:problem:too-many-requests");
    let other = issuer().token("another-caller", &[Role::CaseSystem], Duration::from_secs(60));
    assert_eq!(call(&url, &Method::GET, Some(&other)).await.status(), 200, "another caller has its own rate");
    // Health probes are not callers: no rate applies.
    for _ in 0..10 {
        assert_eq!(call(&format!("{}/healthz", app.server.url()), &Method::GET, None).await.status(), 200);
    }
}
