//! Tests of the PMLP simulator over HTTP: the token endpoint, the API gateway's checks and
//! every answer against `schemas/pmlp/`.

use std::sync::Arc;

use gateway_domain::System;
use serde_json::{Value, json};

use crate::Simulators;
use crate::test_support::{
    EXAMPLE_REQUEST_ID, assert_valid_json, assertion_claims, json_validator, sign, test_population, unknown_code,
};

const PERSONS_SEARCH: &str = "/fpr/v1/persons/search";
const DECLARED_ADDRESSES_SEARCH: &str = "/fpr/v1/declared-addresses/search";

struct Harness {
    simulators: Simulators,
    client: reqwest::Client,
}

impl Harness {
    async fn start() -> Self {
        Self { simulators: Simulators::start_all(test_population()).await, client: reqwest::Client::new() }
    }

    fn base(&self) -> String {
        self.simulators.url(System::Pmlp)
    }

    fn token_url(&self) -> String {
        format!("{}/oauth2/token", self.base())
    }

    async fn request_token(&self, assertion: &str) -> reqwest::Response {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", assertion),
        ];
        self.client.post(self.token_url()).form(&form).send().await.expect("the token endpoint answers")
    }

    async fn request_token_with_claims(&self, claims: &Value) -> reqwest::Response {
        self.request_token(&sign(self.simulators.credentials(), claims)).await
    }

    async fn token(&self) -> String {
        let claims = assertion_claims(self.simulators.credentials(), &self.token_url());
        let response = self.request_token_with_claims(&claims).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("a JSON token response");
        body["access_token"].as_str().expect("an access token").to_owned()
    }

    /// A data request with every header the contract asks for.
    fn authorised(&self, method: reqwest::Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base()))
            .bearer_auth(token)
            .header("X-DAGR-Permission", &self.simulators.credentials().dagr_permission)
            .header("X-Request-Id", EXAMPLE_REQUEST_ID)
            .header("X-Purpose", "means_test")
    }

    async fn search(&self, path: &str, token: &str, code: &str) -> (u16, Value) {
        let response = self
            .authorised(reqwest::Method::POST, path, token)
            .json(&json!({ "personCode": code }))
            .send()
            .await
            .expect("the simulator answers");
        read(response).await
    }
}

async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body: Value = response.json().await.expect("a JSON body");
    let expected = if status < 400 { "application/json" } else { "application/problem+json" };
    assert_eq!(content_type, expected);
    if status >= 400 {
        assert_valid_json("pmlp/problem.schema.json", &body);
        assert_eq!(body["status"], status);
    }
    (status, body)
}

#[tokio::test]
async fn a_valid_client_assertion_gets_a_token_per_the_schema() {
    let harness = Harness::start().await;
    let claims = assertion_claims(harness.simulators.credentials(), &harness.token_url());
    let response = harness.request_token_with_claims(&claims).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert_valid_json("pmlp/token.schema.json", &body);
    assert_eq!(body["expires_in"], 300);
    assert_eq!(harness.simulators.tokens_issued(), 1);
    harness.token().await;
    assert_eq!(harness.simulators.tokens_issued(), 2);
}

#[tokio::test]
async fn the_token_endpoint_refuses_bad_client_assertions() {
    let harness = Harness::start().await;
    let credentials = harness.simulators.credentials();
    let good = assertion_claims(credentials, &harness.token_url());
    let now = jsonwebtoken::get_current_timestamp();
    let mut cases: Vec<(&str, Value)> = Vec::new();
    let mut with = |name, field: &str, value: Value| {
        let mut claims = good.clone();
        claims[field] = value;
        cases.push((name, claims));
    };
    with("wrong issuer", "iss", json!("someone-else"));
    with("wrong subject", "sub", json!("someone-else"));
    with("wrong audience", "aud", json!("http://127.0.0.1:1/oauth2/token"));
    with("expired", "exp", json!(now - 5));
    with("expiring too far ahead", "exp", json!(now + 3600));
    let mut without_exp = good.clone();
    without_exp.as_object_mut().expect("claims are an object").remove("exp");
    cases.push(("no expiry", without_exp));
    for (name, claims) in cases {
        let response = harness.request_token_with_claims(&claims).await;
        assert_eq!(response.status(), 401, "{name}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["error"], "invalid_client", "{name}");
    }

    // A signature over other claims than the ones sent.
    let signed = sign(credentials, &good);
    let mut parts: Vec<&str> = signed.split('.').collect();
    let other = sign(credentials, &json!({ "iss": "x", "sub": "x", "aud": harness.token_url(), "exp": now + 60 }));
    let other_claims = other.split('.').nth(1).expect("a JWT has three parts").to_owned();
    parts[1] = &other_claims;
    let tampered = parts.join(".");
    assert_eq!(harness.request_token(&tampered).await.status(), 401);
    assert_eq!(harness.request_token("not-a-jwt").await.status(), 401);

    // A symmetric algorithm with the public key as secret is the classic downgrade.
    let hs256 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &good,
        &jsonwebtoken::EncodingKey::from_secret(credentials.client_public_key_pem.as_bytes()),
    )
    .expect("signing works");
    assert_eq!(harness.request_token(&hs256).await.status(), 401);
    assert_eq!(harness.simulators.tokens_issued(), 0);
}

#[tokio::test]
async fn the_token_endpoint_refuses_other_grants() {
    let harness = Harness::start().await;
    let form = [("grant_type", "password"), ("username", "a"), ("password", "b")];
    let response = harness.client.post(harness.token_url()).form(&form).send().await.expect("answers");
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"], "unsupported_grant_type");

    let claims = assertion_claims(harness.simulators.credentials(), &harness.token_url());
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"),
        ("client_assertion", &sign(harness.simulators.credentials(), &claims)),
    ];
    let response = harness.client.post(harness.token_url()).form(&form).send().await.expect("answers");
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn the_audience_may_name_the_host_the_client_reached() {
    let harness = Harness::start().await;
    let port = harness.base().rsplit(':').next().expect("a port").to_owned();
    let token_url = format!("http://localhost:{port}/oauth2/token");
    let claims = assertion_claims(harness.simulators.credentials(), &token_url);
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", &sign(harness.simulators.credentials(), &claims)),
    ];
    let response = harness.client.post(&token_url).form(&form).send().await.expect("answers");
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn persons_and_addresses_are_served_per_the_schemas_and_match_the_population() {
    let harness = Harness::start().await;
    let token = harness.token().await;
    let population = Arc::clone(harness.simulators.population());
    for person in population.persons().iter().step_by(97) {
        let code = person.code.as_str();

        let (status, body) = harness.search(PERSONS_SEARCH, &token, code).await;
        assert_eq!(status, 200);
        assert_valid_json("pmlp/person.schema.json", &body);
        assert!(body["person"]["personCode"] == code, "another person's code");
        assert_eq!(body["person"]["recordId"], person.record_id);
        assert!(body["person"]["givenName"] == person.given_name.as_str(), "another given name");
        assert!(body["person"]["familyName"] == person.family_name.as_str(), "another family name");
        assert_eq!(body["person"]["status"], "active");
        let birth = body["person"]["birthDate"].as_str().expect("a birth date");
        assert!(birth == person.birth_date.to_string(), "another birth date");

        let (status, body) = harness.search(DECLARED_ADDRESSES_SEARCH, &token, code).await;
        assert_eq!(status, 200);
        assert_valid_json("pmlp/declared-address.schema.json", &body);
        let household = population.household_of(&person.code).expect("a household");
        assert!(body["addressCode"] == household.address_code.as_str(), "another address code");
        assert!(body["addressText"] == household.address_text.as_str(), "another address");
        assert!(body["declaredFrom"] == person.declared_from.to_string().as_str(), "another declaration date");

        let path = format!("/fpr/v1/addresses/{}/declared-persons", household.address_code);
        let response = harness.authorised(reqwest::Method::GET, &path, &token).send().await.expect("answers");
        let (status, body) = read(response).await;
        assert_eq!(status, 200);
        assert_valid_json("pmlp/declared-persons.schema.json", &body);
        let codes: Vec<&str> =
            body["persons"].as_array().expect("a list").iter().filter_map(|p| p["personCode"].as_str()).collect();
        let expected: Vec<&str> = household.members.iter().map(|c| c.as_str()).collect();
        assert!(codes == expected, "other persons declared at the address");
    }
    assert_eq!(harness.simulators.tokens_issued(), 1);
}

#[tokio::test]
async fn an_unknown_person_or_address_is_a_not_found_problem() {
    let harness = Harness::start().await;
    let token = harness.token().await;
    let unknown = unknown_code(harness.simulators.population());
    for path in [PERSONS_SEARCH, DECLARED_ADDRESSES_SEARCH] {
        let (status, body) = harness.search(path, &token, unknown.as_str()).await;
        assert_eq!(status, 404);
        assert!(body["type"].as_str().is_some_and(|t| t.ends_with("not-found")));
    }
    let response = harness
        .authorised(reqwest::Method::GET, "/fpr/v1/addresses/000000001/declared-persons", &token)
        .send()
        .await
        .expect("answers");
    let (status, body) = read(response).await;
    assert_eq!(status, 404);
    assert_eq!(body["type"], "urn:lv:pmlp:dagr:problem:not-found");
}

#[tokio::test]
async fn data_calls_need_a_live_token_and_the_permission() {
    let harness = Harness::start().await;
    let token = harness.token().await;
    let code = harness.simulators.population().persons()[0].code.as_str().to_owned();
    let url = format!("{}{PERSONS_SEARCH}", harness.base());
    let body = json!({ "personCode": code });

    let no_token = harness
        .client
        .post(&url)
        .header("X-DAGR-Permission", &harness.simulators.credentials().dagr_permission)
        .json(&body)
        .send()
        .await
        .expect("answers");
    let (status, _) = read(no_token).await;
    assert_eq!(status, 401);

    let (status, _) = harness.search(PERSONS_SEARCH, "sim-made-up-token-0000", &code).await;
    assert_eq!(status, 401);

    let no_permission = harness
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("X-Request-Id", "r")
        .header("X-Purpose", "means_test")
        .json(&body)
        .send()
        .await
        .expect("answers");
    let (status, problem) = read(no_permission).await;
    assert_eq!(status, 403);
    assert_eq!(problem["type"], "urn:lv:pmlp:dagr:problem:forbidden");

    let wrong_permission = harness
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("X-DAGR-Permission", "1")
        .header("X-Request-Id", "r")
        .header("X-Purpose", "means_test")
        .json(&body)
        .send()
        .await
        .expect("answers");
    assert_eq!(read(wrong_permission).await.0, 403);

    // A second permission header does not smuggle a wrong one past the check.
    let two_permissions = harness
        .authorised(reqwest::Method::POST, PERSONS_SEARCH, &token)
        .header("X-DAGR-Permission", "1")
        .json(&body)
        .send()
        .await
        .expect("answers");
    assert_eq!(read(two_permissions).await.0, 403);
}

#[tokio::test]
async fn calls_must_say_who_asks_and_why() {
    let harness = Harness::start().await;
    let token = harness.token().await;
    let code = harness.simulators.population().persons()[0].code.as_str().to_owned();
    let response = harness
        .client
        .post(format!("{}{PERSONS_SEARCH}", harness.base()))
        .bearer_auth(&token)
        .header("X-DAGR-Permission", &harness.simulators.credentials().dagr_permission)
        .header("X-Request-Id", "r-1")
        .json(&json!({ "personCode": code }))
        .send()
        .await
        .expect("answers");
    let (status, problem) = read(response).await;
    assert_eq!(status, 400);
    assert_eq!(problem["detail"], "X-Purpose is required");
}

#[tokio::test]
async fn malformed_queries_are_bad_requests() {
    let harness = Harness::start().await;
    let token = harness.token().await;
    let code = harness.simulators.population().persons()[0].code.as_str().to_owned();
    let bodies = [
        json!({}),
        json!({ "personCode": 12128211210u64 }),
        json!({ "personCode": "121282-11210" }),
        json!({ "personCode": "12128211211" }),
        json!({ "personCode": code, "extra": true }),
        json!([code]),
    ];
    for body in bodies {
        let response = harness
            .authorised(reqwest::Method::POST, PERSONS_SEARCH, &token)
            .json(&body)
            .send()
            .await
            .expect("answers");
        assert_eq!(read(response).await.0, 400);
    }
    let not_json = harness
        .authorised(reqwest::Method::POST, PERSONS_SEARCH, &token)
        .header("content-type", "text/plain")
        .body(format!("personCode={code}"))
        .send()
        .await
        .expect("answers");
    assert_eq!(read(not_json).await.0, 415);
    let bad_address = harness
        .authorised(reqwest::Method::GET, "/fpr/v1/addresses/12ab/declared-persons", &token)
        .send()
        .await
        .expect("answers");
    assert_eq!(read(bad_address).await.0, 400);
}

#[tokio::test]
async fn unknown_operations_and_methods_are_problems_too() {
    let harness = Harness::start().await;
    let token = harness.token().await;
    let response = harness.authorised(reqwest::Method::GET, PERSONS_SEARCH, &token).send().await.expect("answers");
    let (status, _) = read(response).await;
    assert_eq!(status, 405);
    let response = harness.authorised(reqwest::Method::GET, "/fpr/v2/persons", &token).send().await.expect("answers");
    let (status, problem) = read(response).await;
    assert_eq!(status, 404);
    assert!(!problem["type"].as_str().unwrap_or_default().ends_with("not-found"));
}

#[tokio::test]
async fn every_request_is_counted_and_the_request_id_echoed() {
    let harness = Harness::start().await;
    let token = harness.token().await;
    let code = harness.simulators.population().persons()[3].code.as_str().to_owned();
    let response = harness
        .authorised(reqwest::Method::POST, PERSONS_SEARCH, &token)
        .json(&json!({ "personCode": code }))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some(EXAMPLE_REQUEST_ID));
    harness.search(PERSONS_SEARCH, "bad", &code).await;
    assert_eq!(harness.simulators.received_requests(System::Pmlp).await, 3);
    assert_eq!(harness.simulators.received_requests(System::Vsaa).await, 0);
}

#[test]
fn the_schema_check_catches_a_body_off_the_contract() {
    let validator = json_validator("pmlp/person.schema.json");
    let good = json!({ "person": { "recordId": "fpr-1", "personCode": "12128211210", "givenName": "Anna",
        "familyName": "Ozola", "birthDate": null, "status": "active" } });
    assert!(validator.is_valid(&good));
    let mut short_code = good.clone();
    short_code["person"]["personCode"] = json!("1212821121");
    assert!(!validator.is_valid(&short_code));
    let mut no_status = good.clone();
    no_status["person"].as_object_mut().expect("an object").remove("status");
    assert!(!validator.is_valid(&no_status));
}
