//! `spawn_app()`: fresh simulators over a test-size population and the API on port 0.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use gateway_domain::{HouseholdRecord, Period};
use gateway_mocks::{Population, Simulators};
use registry_gateway::auth::Role;
use registry_gateway::auth::issuer::DemoIssuer;
use registry_gateway::config::{Config, IncomeCheckConfig};
use registry_gateway::startup::{Server, build_partners, simulator_config, spawn_server_on};
use registry_gateway::store::Store;
use serde_json::Value;

/// Persons in the test population: enough households for 200 distinct samples.
pub const TEST_PERSONS: usize = 3_000;
pub const TEST_SEED: u64 = 7;

pub struct TestApp {
    pub server: Server,
    pub simulators: Simulators,
    pub population: Arc<Population>,
    pub client: reqwest::Client,
    /// The store behind the API (SQLite in memory).
    pub store: Store,
}

/// Everything the service logs during the tests, to check that no personal data is in it.
pub fn captured_logs() -> &'static Mutex<Vec<u8>> {
    static LOGS: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();
    LOGS.get_or_init(|| Mutex::new(Vec::new()))
}

struct CaptureWriter;

impl std::io::Write for CaptureWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        captured_logs().lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn init_logging() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("trace,hyper=info,h2=info,reqwest=debug,rustls=info")
            .with_writer(|| CaptureWriter)
            .with_ansi(false)
            .try_init();
    });
}

/// Held by the tests whose assertions depend on the machine keeping up (quota reached, load
/// shed rather than timed out), so that two of them never share its cores.
pub async fn heavy() -> tokio::sync::MutexGuard<'static, ()> {
    static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    HEAVY.lock().await
}

/// The identity provider every test gateway trusts.
pub fn issuer() -> &'static DemoIssuer {
    static ISSUER: OnceLock<DemoIssuer> = OnceLock::new();
    ISSUER.get_or_init(DemoIssuer::generate)
}

/// A client that sends a token with every role, as the case system acting for `test-officer`
/// would: each test of an operation is then about the operation, the access tests about access.
pub fn authorized_client() -> reqwest::Client {
    let token = issuer().token("test-officer", Role::ALL, Duration::from_secs(3600));
    let mut headers = reqwest::header::HeaderMap::new();
    let value = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).expect("a token is header-safe");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    reqwest::Client::builder().default_headers(headers).build().expect("a client")
}

pub fn shared_population() -> Arc<Population> {
    static POPULATION: OnceLock<Arc<Population>> = OnceLock::new();
    POPULATION.get_or_init(|| Arc::new(Population::generate(TEST_SEED, TEST_PERSONS))).clone()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with_deadline(Duration::from_secs(10)).await
}

pub async fn spawn_app_with_deadline(deadline: Duration) -> TestApp {
    spawn_app_with(|config| config.income_check.deadline_ms = deadline.as_millis() as u64).await
}

/// Starts fresh simulators and the API with the configuration adjusted by `configure`.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    init_logging();
    let population = shared_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let bind = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut config = simulator_config(&simulators, bind, IncomeCheckConfig::default());
    config.auth = Some(issuer().auth_config());
    // The tests load the API far beyond one caller's rate; the rate's own test sets it.
    config.server.per_caller_per_second = 1_000_000;
    config.server.per_caller_burst = 1_000_000;
    configure(&mut config);
    let store = Store::create(&config.store).await.expect("the store opens");
    let server = spawn_server_on(&config, store.clone(), &build_partners(&config).expect("the partners build"))
        .await
        .expect("the API starts");
    TestApp { server, simulators, population, client: authorized_client(), store }
}

impl TestApp {
    pub async fn post_decisions(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}/v1/status-decisions", self.server.url()))
            .json(body)
            .send()
            .await
            .expect("the API answers")
    }

    /// GETs `path` (with its query) and gives the status and JSON body; any answer but a 200
    /// must be problem+json.
    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let response = self.client.get(format!("{}{path}", self.server.url())).send().await.expect("the API answers");
        let status = response.status().as_u16();
        if status != 200 {
            assert_eq!(response.headers()["content-type"], "application/problem+json");
        }
        (status, response.json().await.expect("a JSON body"))
    }

    pub async fn post_check(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}/v1/income-checks", self.server.url()))
            .json(body)
            .send()
            .await
            .expect("the API answers")
    }

    /// A check of the applicant alone, by naming them as the only member.
    pub async fn check_alone(&self, applicant: &str) -> HouseholdRecord {
        let body = serde_json::json!({
            "applicant": applicant, "members": [applicant], "purpose": "means_test", "officer": "test-officer",
        });
        let response = self.post_check(&body).await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("a household record")
    }

    pub async fn check(&self, applicant: &str, period: Option<Period>) -> HouseholdRecord {
        let mut body =
            serde_json::json!({ "applicant": applicant, "purpose": "means_test", "officer": "test-officer" });
        if let Some(p) = period {
            body["period"] = serde_json::json!({ "from": p.from().to_string(), "to": p.to().to_string() });
        }
        let response = self.post_check(&body).await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("a household record")
    }
}
