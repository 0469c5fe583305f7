//! Helpers of the status sync tests: decisions, stores of both kinds, and running the
//! `gateway` process against a configuration that points at a store and the simulators.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use gateway_domain::{HouseholdStatus, PersonCode, StatusDecision};
use gateway_mocks::{Population, Simulators};
use registry_gateway::startup::simulator_config_toml;
use registry_gateway::status_sync::{PartnerConfig, StatusSyncConfig};
use registry_gateway::store::{Store, StoreConfig};
use serde_json::{Value, json};
use time::macros::date;

/// The variable naming the PostgreSQL server the tests may use.
pub const POSTGRES_URL_VAR: &str = "GATEWAY_TEST_POSTGRES_URL";

/// A synthetic member: a new-format code (structure only, no person behind it).
fn member(i: usize) -> PersonCode {
    PersonCode::parse(&format!("32{:09}", i % 1_000_000_000)).expect("a new-format code")
}

/// Decision `i` of a test set, version 1.
pub fn decision(i: usize) -> StatusDecision {
    StatusDecision {
        decision_ref: format!("TUK-TEST-{i:06}"),
        version: 1,
        status: if i % 3 == 0 { HouseholdStatus::LowIncome } else { HouseholdStatus::Needy },
        members: vec![member(2 * i), member(2 * i + 1)],
        valid_from: date!(2026 - 11 - 01),
        valid_to: None,
    }
}

/// Decision `i` about a household of the population (partners refuse unknown persons).
pub fn household_decision(population: &Population, i: usize) -> StatusDecision {
    let households = population.households();
    StatusDecision { members: households[i % households.len()].members.clone(), ..decision(i) }
}

pub fn decision_json(i: usize) -> Value {
    serde_json::to_value(decision(i)).unwrap()
}

/// Every partner that receives status decisions, in the adapters' list's order: the list of
/// partners but the one referrals go to.
pub fn status_partners() -> Vec<gateway_domain::System> {
    let partners = registry_gateway::status_sync::PARTNERS.iter().copied();
    partners.filter(|partner| *partner != gateway_domain::Referral::RECIPIENT).collect()
}

/// Settings that make in-process runs quick: short backoff and linger, a generous quota.
pub fn fast_sync_config(partners: &[gateway_domain::System]) -> StatusSyncConfig {
    StatusSyncConfig {
        base_backoff_ms: 20,
        max_backoff_ms: 200,
        linger_secs: 0,
        lease_secs: 5,
        quota_margin_ms: 0,
        partners: partners.iter().map(|p| (*p, PartnerConfig { per_second: 100_000 })).collect(),
        ..StatusSyncConfig::default()
    }
}

/// A PostgreSQL URL and a fresh schema there, or `None` (with a note) when none is configured;
/// under CI a missing server fails the test.
pub async fn postgres_schema() -> Option<(String, String)> {
    let Ok(url) = std::env::var(POSTGRES_URL_VAR) else {
        assert!(std::env::var_os("CI").is_none(), "{POSTGRES_URL_VAR} must be set under CI");
        eprintln!("note: {POSTGRES_URL_VAR} is not set; the PostgreSQL part of this test is skipped");
        return None;
    };
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&url).await.expect("PostgreSQL answers");
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.unwrap();
    admin.close().await;
    Some((url, schema))
}

/// A fresh SQLite store and, when configured, a fresh PostgreSQL one.
pub async fn stores() -> Vec<(Store, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let mut stores = vec![(Store::create(&StoreConfig::sqlite(dir.path())).await.unwrap(), Some(dir))];
    if let Some((url, schema)) = postgres_schema().await {
        let config = StoreConfig { url: Some(url), schema: Some(schema), ..StoreConfig::default() };
        stores.push((Store::create(&config).await.unwrap(), None));
    }
    stores
}

/// The audit key the process configurations carry.
pub const AUDIT_TEST_KEY: &str = "a synthetic audit key for the process tests, not a secret";

/// A configuration file for the `gateway` process: every registry and partner at the
/// simulators, the store, and BARIS as the one partner that receives decisions.
pub struct ProcessConfig {
    pub path: PathBuf,
}

impl ProcessConfig {
    /// `store`: the `[store]` body; `per_second`: BARIS's quota across all instances;
    /// `extra_sync`: more `[status_sync]` keys (with `lease_secs`, instead of the 2 s lease).
    pub fn write(dir: &Path, simulators: &Simulators, store: &str, per_second: u32, extra_sync: &str) -> Self {
        let lease = if extra_sync.contains("lease_secs") { "" } else { "lease_secs = 2" };
        let text = format!(
            r#"{simulators}
# The quota that counts is the shared one under [status_sync]; the adapter's own must not bind.
[partners.baris.transport.quota]
per_second = 100000

[partners.digisoc.transport.quota]
per_second = 100000

[store]
{store}

[status_sync]
{lease}
linger_secs = 10
base_backoff_ms = 100
max_backoff_ms = 1000
{extra_sync}

[status_sync.partners.baris]
per_second = {per_second}

[audit]
key = "{audit_key}"

{auth}"#,
            audit_key = AUDIT_TEST_KEY,
            simulators = simulator_config_toml(simulators),
            auth = crate::helpers::issuer().auth_toml(),
        );
        let path = dir.join("gateway.toml");
        std::fs::write(&path, text).unwrap();
        let config = Self { path };
        // Only `serve` and `store init` create a store; every other command needs one.
        let init = config.run(&["store", "init"]);
        assert!(init.status.success(), "store init failed: {}", String::from_utf8_lossy(&init.stderr));
        config
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gateway"));
        command.args(args).arg("--config").arg(&self.path).env("RUST_LOG", "warn").stdin(Stdio::null());
        command
    }

    /// Runs a command to its end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the gateway runs")
    }

    /// Imports decisions `0..n` about the population's households through `gateway decisions import`.
    pub fn import(&self, dir: &Path, population: &Population, n: usize) {
        let file = dir.join("decisions.ndjson");
        let mut text = String::with_capacity(n * 140);
        for i in 0..n {
            text.push_str(&serde_json::to_string(&household_decision(population, i)).unwrap());
            text.push('\n');
        }
        std::fs::write(&file, text).unwrap();
        let output = self.run(&["decisions", "import", file.to_str().unwrap()]);
        assert!(output.status.success(), "import failed: {}", String::from_utf8_lossy(&output.stderr));
    }
}

/// The JSON report `gateway sync` printed.
pub fn report_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "no JSON report; stdout: {} stderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

pub fn baris_report(report: &Value) -> Value {
    report["partners"].as_array().unwrap().iter().find(|p| p["partner"] == "baris").cloned().unwrap_or(json!(null))
}
