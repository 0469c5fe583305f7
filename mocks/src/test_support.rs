//! Shared helpers of the crate's tests: populations built once, the one JSON Schema and the
//! one XSD check of the contracts under `schemas/`, signed client assertions and tokens, and
//! reading elements out of the XML the simulators write.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use gateway_domain::{Month, Period, PersonCode, System, old_format_check_digit};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::{Population, SimulatorCredentials, TUKUMS_PERSONS};

/// Persons in the population most tests run against.
pub(crate) const TEST_PERSONS: usize = 2_000;
pub(crate) const TEST_SEED: u64 = 7;

/// The request id the schema examples carry, which the SOAP services repeat in their faults.
pub(crate) const EXAMPLE_REQUEST_ID: &str = "6f9c3e1a-2b7d-4c55-9a0e-8d1f2e3a4b5c";

/// 2025-01 to 2026-12: two whole years, inside the window every register's truth covers.
pub(crate) fn two_years() -> Period {
    Period::new(Month::parse("2025-01").unwrap(), Month::parse("2026-12").unwrap()).unwrap()
}

/// The first `n` persons (or fewer) `system` knows something of in `period`.
pub(crate) fn first_known(population: &Population, system: System, period: Period, n: usize) -> Vec<PersonCode> {
    population
        .persons()
        .iter()
        .filter(|p| population.knows(system, &p.code, period))
        .take(n)
        .map(|p| p.code.clone())
        .collect()
}

/// A test-size population, drawn once per test binary.
pub(crate) fn test_population() -> Arc<Population> {
    static POPULATION: OnceLock<Arc<Population>> = OnceLock::new();
    Arc::clone(POPULATION.get_or_init(|| Arc::new(Population::generate(TEST_SEED, TEST_PERSONS))))
}

/// The default-scale population (seed 0, the county's 45 959 residents), drawn once.
pub(crate) fn tukums_population() -> &'static Population {
    static POPULATION: OnceLock<Population> = OnceLock::new();
    POPULATION.get_or_init(|| Population::generate(0, TUKUMS_PERSONS))
}

/// A path under the workspace's `schemas/` folder.
pub(crate) fn schema_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas").join(relative)
}

/// A validator for the JSON Schema at `schemas/<relative>`.
pub(crate) fn json_validator(relative: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(schema_path(relative)).expect("the schema is readable");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// Checks `instance` against the JSON Schema at `schemas/<relative>`; the complaint lists the
/// schema errors with their places, not the offending values.
pub(crate) fn json_check(relative: &str, instance: &Value) -> Result<(), String> {
    let errors: Vec<String> = json_validator(relative)
        .iter_errors(instance)
        .map(|e| format!("{:?} at {}", e.kind, e.instance_path))
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(format!("does not follow {relative}: {errors:?}")) }
}

/// Asserts that `instance` follows the JSON Schema at `schemas/<relative>`.
pub(crate) fn assert_valid_json(relative: &str, instance: &Value) {
    if let Err(complaint) = json_check(relative, instance) {
        panic!("the message {complaint}");
    }
}

/// Checks a document against the XSD at `schemas/<schema>` with `xmllint`; returns its
/// complaint on failure, with the offending values left out.
pub(crate) fn xsd_check(schema: &str, body: &[u8]) -> Result<(), String> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let file = std::env::temp_dir().join(format!(
        "gateway-mocks-{}-{}.xml",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&file, body).map_err(|e| e.to_string())?;
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema_path(schema))
        .arg(&file)
        .output()
        .map_err(|e| format!("xmllint (package libxml2-utils) does not run: {e}"));
    let _ = std::fs::remove_file(&file);
    let output = output?;
    if output.status.success() { Ok(()) } else { Err(without_values(&String::from_utf8_lossy(&output.stderr))) }
}

/// Drops quoted values from a validator message, keeping quoted element names (`'{ns}Name'`).
fn without_values(message: &str) -> String {
    let mut kept = String::with_capacity(message.len());
    for (i, part) in message.split('\'').enumerate() {
        if i % 2 == 1 && !part.starts_with('{') {
            kept.push_str("'…'");
        } else if i % 2 == 1 {
            kept.push('\'');
            kept.push_str(part);
            kept.push('\'');
        } else {
            kept.push_str(part);
        }
    }
    kept
}

/// The claims of a client assertion the simulated token endpoint accepts, for `token_url`.
pub(crate) fn assertion_claims(credentials: &SimulatorCredentials, token_url: &str) -> Value {
    let now = jsonwebtoken::get_current_timestamp();
    json!({
        "iss": credentials.client_id,
        "sub": credentials.client_id,
        "aud": token_url,
        "iat": now,
        "exp": now + 120,
        "jti": uuid::Uuid::new_v4().to_string(),
    })
}

/// Signs `claims` RS256 with the simulated client key.
pub(crate) fn sign(credentials: &SimulatorCredentials, claims: &Value) -> String {
    let key = EncodingKey::from_rsa_pem(credentials.client_key_pem.as_bytes()).expect("the client key parses");
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), claims, &key).expect("signing works")
}

/// Asks the token endpoint at `token_url` for a token with a valid client assertion; the
/// answer's status and body.
pub(crate) async fn request_token(
    client: &reqwest::Client,
    token_url: &str,
    credentials: &SimulatorCredentials,
) -> (u16, Value) {
    let assertion = sign(credentials, &assertion_claims(credentials, token_url));
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", assertion.as_str()),
    ];
    let response = client.post(token_url).form(&form).send().await.expect("the token endpoint answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON token answer"))
}

/// An access token from the token endpoint at `token_url`.
pub(crate) async fn fetch_token(
    client: &reqwest::Client,
    token_url: &str,
    credentials: &SimulatorCredentials,
) -> String {
    let (status, body) = request_token(client, token_url, credentials).await;
    assert_eq!(status, 200, "the token endpoint grants a token");
    body["access_token"].as_str().expect("an access token").to_owned()
}

/// A valid personal code that is not in `population`.
pub(crate) fn unknown_code(population: &Population) -> PersonCode {
    for serial in 0..1000u16 {
        // Born 1 January 1901: nobody in the population is that old.
        let digits = [0, 1, 0, 1, 0, 1, 1, (serial / 100) as u8, (serial / 10 % 10) as u8, (serial % 10) as u8];
        let z = old_format_check_digit(&digits);
        let text: String = digits.iter().chain([z].iter()).map(|d| char::from(b'0' + d)).collect();
        let code = PersonCode::parse(&text).expect("the built code is valid");
        if population.person(&code).is_none() {
            return code;
        }
    }
    panic!("no unknown code found");
}

/// The text of every `<name>` element (with its prefix) in a body a simulator wrote.
pub(crate) fn texts(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    xml.split(&open).skip(1).filter_map(|rest| rest.split_once(&close).map(|(text, _)| text.to_owned())).collect()
}

/// The text of the first element named `name` (with its prefix).
pub(crate) fn text<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{name}>"))? + name.len() + 2;
    let end = xml[start..].find(&format!("</{name}>"))?;
    Some(&xml[start..start + end])
}
