//! Shared helpers of the crate's tests: populations built once, schema validators, signed
//! client assertions, an XSD check of SOAP bodies, and a client for the SOAP partner
//! simulators.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use gateway_domain::{PersonCode, System, old_format_check_digit};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::{Population, SimulatorCredentials, Simulators, TUKUMS_PERSONS};

/// Persons in the population most tests run against.
pub(crate) const TEST_PERSONS: usize = 2_000;
pub(crate) const TEST_SEED: u64 = 7;

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

/// A validator for `schemas/pmlp/<name>.schema.json`.
pub(crate) fn pmlp_validator(name: &str) -> jsonschema::Validator {
    let path = schema_path(&format!("pmlp/{name}.schema.json"));
    let text = std::fs::read_to_string(&path).expect("the PMLP schema is readable");
    let schema: Value = serde_json::from_str(&text).expect("the PMLP schema is JSON");
    jsonschema::validator_for(&schema).expect("the PMLP schema compiles")
}

/// Asserts that `instance` follows `schemas/pmlp/<name>.schema.json`; the message lists the
/// schema errors only.
pub(crate) fn assert_valid_pmlp(name: &str, instance: &Value) {
    let validator = pmlp_validator(name);
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "response does not follow {name}.schema.json: {errors:?}");
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

/// Checks a SOAP body against `schemas/vsaa/validate.xsd` with `xmllint`; returns its
/// complaint on failure, with the offending values left out.
pub(crate) fn xsd_check(body: &[u8]) -> Result<(), String> {
    xsd_check_against("vsaa/validate.xsd", body)
}

/// Checks a document against the XSD at `schemas/<schema>` with `xmllint`; returns its
/// complaint on failure, with the offending values left out.
pub(crate) fn xsd_check_against(schema: &str, body: &[u8]) -> Result<(), String> {
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
        .map_err(|e| e.to_string());
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

/// Asserts that `instance` follows the JSON Schema at `schemas/<relative>`; the message lists
/// the schema errors only.
pub(crate) fn assert_valid_json(relative: &str, instance: &Value) {
    let path = schema_path(relative);
    let text = std::fs::read_to_string(&path).expect("the schema is readable");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "the message does not follow {relative}: {errors:?}");
}

/// A SOAP partner simulator's delivery operation, as its tests call it.
#[derive(Clone, Copy)]
pub(crate) struct SoapOperation {
    pub(crate) system: System,
    pub(crate) service: &'static str,
    /// The `SOAPAction` header, quoted as clients send it.
    pub(crate) action: &'static str,
    /// The XSD that pulls in the contract's schemas, under `schemas/`.
    pub(crate) schema: &'static str,
    /// The example request under `schemas/`, and the idempotency key it carries.
    pub(crate) example: &'static str,
    pub(crate) example_key: &'static str,
}

impl SoapOperation {
    /// Checks a request or answer against the contract's schemas.
    pub(crate) fn xsd_check(&self, body: &str) -> Result<(), String> {
        xsd_check_against(self.schema, body.as_bytes())
    }
}

/// The personal codes in the SOAP partners' example requests.
const EXAMPLE_CODES: [&str; 2] = ["12128211210", "32579318462"];

/// Every simulator started over the test population, and a client for one SOAP operation.
pub(crate) struct SoapHarness {
    pub(crate) simulators: Simulators,
    pub(crate) client: reqwest::Client,
    operation: SoapOperation,
}

impl SoapHarness {
    pub(crate) async fn start(operation: SoapOperation) -> Self {
        Self { simulators: Simulators::start_all(test_population()).await, client: reqwest::Client::new(), operation }
    }

    /// The schema's example request, naming two persons of one household of the population.
    pub(crate) fn request(&self, key: &str) -> String {
        let population = self.simulators.population();
        let household = population.households().iter().find(|h| h.members.len() >= 2).expect("a household of two");
        self.request_naming(key, household.members[0].as_str(), household.members[1].as_str())
    }

    /// The schema's example request with these two personal codes and this key.
    pub(crate) fn request_naming(&self, key: &str, applicant: &str, member: &str) -> String {
        let example = std::fs::read_to_string(schema_path(self.operation.example)).expect("the example is readable");
        example
            .replace(EXAMPLE_CODES[0], applicant)
            .replace(EXAMPLE_CODES[1], member)
            .replace(self.operation.example_key, key)
    }

    pub(crate) async fn post(&self, body: String) -> (u16, String) {
        let response = self
            .client
            .post(format!("{}{}", self.simulators.url(self.operation.system), self.operation.service))
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", self.operation.action)
            .body(body)
            .send()
            .await
            .expect("the simulator answers");
        (response.status().as_u16(), response.text().await.expect("a body"))
    }
}

/// The text of the first element named `name` (with its prefix).
pub(crate) fn text<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{name}>"))? + name.len() + 2;
    let end = xml[start..].find(&format!("</{name}>"))?;
    Some(&xml[start..start + end])
}
