//! Configuration: one TOML file, overridden by environment variables `GATEWAY_<SECTION>__<KEY>`
//! (for example `GATEWAY_SERVER__BIND=0.0.0.0:8080` or
//! `GATEWAY_REGISTRIES__VSAA__PASSWORD=...`). `config/gateway.example.toml` documents every key.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use gateway_adapters::{PartnersConfig, RegistriesConfig};
use serde::Deserialize;

pub use crate::tls::TlsConfig;

use crate::status_sync::{StatusSyncConfig, StatusSyncConfigError};
use crate::store::StoreConfig;

/// The environment variable prefix of overrides.
pub const ENV_PREFIX: &str = "GATEWAY_";

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub server: ServerConfig,
    #[serde(default)]
    pub income_check: IncomeCheckConfig,
    pub registries: RegistriesConfig,
    /// The partners status decisions are delivered to; absent when the gateway delivers none.
    #[serde(default)]
    pub partners: Option<PartnersConfig>,
    #[serde(default)]
    pub store: StoreConfig,
    #[serde(default)]
    pub status_sync: StatusSyncConfig,
    #[serde(default)]
    pub assessment: AssessmentConfig,
    /// Referred services: the rules they are held to and the pull of providers' reports.
    #[serde(default)]
    pub providers: crate::providers::ProvidersConfig,
    /// Each purpose's data access profile; absent: the shipped profiles (every purpose, every
    /// registry).
    #[serde(default)]
    pub purposes: Option<std::collections::HashMap<gateway_domain::Purpose, crate::purposes::Profile>>,
    /// The key income-check answers are signed with.
    #[serde(default)]
    pub signing: crate::signing::SigningConfig,
    /// The audit log's key and retention.
    #[serde(default)]
    pub audit: crate::audit::AuditConfig,
    /// Whose bearer tokens the API accepts; absent: none, and every protected route answers 401.
    #[serde(default)]
    pub auth: Option<crate::auth::AuthConfig>,
    /// Where delivery changes are pushed; absent: the case system polls `GET /v1/deliveries`.
    #[serde(default)]
    pub case_system: Option<crate::status_sync::case_system::CaseSystemConfig>,
    /// How log lines are written.
    #[serde(default)]
    pub log: crate::telemetry::LogConfig,
}

/// The indicative assessment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentConfig {
    /// A rules file replacing the shipped `config/assessment-rules.toml` whole (levels,
    /// minimum wages, kinds that do not count, tolerance); default: the shipped rules.
    #[serde(default)]
    pub rules_file: Option<std::path::PathBuf>,
}

/// The HTTP server and the limits that keep slow or greedy clients from holding it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address and port to listen on (default `127.0.0.1:8080`).
    pub bind: SocketAddr,
    /// Connections open at once at most (default 1024); one more is answered 503 and closed.
    pub max_connections: usize,
    /// Longest wait for a request's headers, in milliseconds (default 10000). It also bounds
    /// an idle keep-alive connection: one whose next request does not begin within it is closed.
    pub header_read_timeout_ms: u64,
    /// Longest time from a request's headers to its answer, body upload included, in
    /// milliseconds (default 30000; at least the income check's deadline plus a second).
    pub request_timeout_ms: u64,
    /// Largest request body, in bytes (default 4 MiB: a batch of 1000 decisions is ~250 KiB).
    pub max_body_bytes: usize,
    /// Longest request target (path and query), in bytes (default 8192).
    pub max_uri_bytes: usize,
    /// Requests one caller (a token's subject) may make per second, on average (default 100);
    /// beyond it, 429 with `Retry-After`.
    pub per_caller_per_second: u32,
    /// Requests one caller may make at once above that rate (default 200).
    pub per_caller_burst: u32,
    /// TLS, and optionally mutual TLS, for the API; absent: plain HTTP (behind a TLS proxy).
    pub tls: Option<TlsConfig>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_connections: 1024,
            header_read_timeout_ms: 10_000,
            request_timeout_ms: 30_000,
            max_body_bytes: 4 * 1024 * 1024,
            max_uri_bytes: 8192,
            per_caller_per_second: 100,
            per_caller_burst: 200,
            tls: None,
        }
    }
}

impl ServerConfig {
    /// This configuration listening on `bind`.
    pub fn on(bind: SocketAddr) -> Self {
        Self { bind, ..Self::default() }
    }

    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_millis(self.header_read_timeout_ms.max(1))
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms.max(1))
    }
}

/// The income check.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeCheckConfig {
    /// How long one check may take in all, in milliseconds (default 10000). Registries that
    /// have not answered by then become `timeout` gaps.
    #[serde(default = "default_deadline_ms")]
    pub deadline_ms: u64,
}

impl IncomeCheckConfig {
    pub fn deadline(&self) -> Duration {
        Duration::from_millis(self.deadline_ms)
    }
}

impl Default for IncomeCheckConfig {
    fn default() -> Self {
        Self { deadline_ms: default_deadline_ms() }
    }
}

fn default_deadline_ms() -> u64 {
    10_000
}

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("the configuration file {0} does not exist")]
    Missing(String),
    #[error("the configuration is not valid: {0}")]
    Invalid(#[from] Box<figment::Error>),
    #[error("the configuration is not valid: {0}")]
    StatusSync(#[from] StatusSyncConfigError),
    #[error("the configuration is not valid: {key}: {reason}")]
    Key { key: &'static str, reason: &'static str },
}

impl Config {
    /// Reads the file, then applies environment overrides.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        if !path.exists() {
            return Err(ConfigError::Missing(path.display().to_string()));
        }
        let config: Config = Self::figment(path).extract().map_err(|e| ConfigError::Invalid(Box::new(e)))?;
        config.validate()?;
        Ok(config)
    }

    /// The file with environment overrides, before it is read into a configuration.
    pub fn figment(path: &Path) -> Figment {
        Figment::new()
            .merge(Toml::file(path))
            // Only `GATEWAY_<SECTION>__<KEY>` is configuration: other variables that share the
            // prefix (`GATEWAY_CONFIG`, the tests' `GATEWAY_TEST_POSTGRES_URL`) are not.
            .merge(Env::prefixed(ENV_PREFIX).filter(|key| key.as_str().contains("__")).split("__"))
    }

    /// Checks what each section's types cannot: how the sections' settings fit together.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.status_sync.validate()?;
        if self.server.request_timeout_ms < self.income_check.deadline_ms.saturating_add(1_000) {
            return Err(ConfigError::Key {
                key: "server.request_timeout_ms",
                reason: "must be at least income_check.deadline_ms plus 1000, or checks are cut off",
            });
        }
        if self.server.per_caller_per_second == 0 {
            return Err(ConfigError::Key { key: "server.per_caller_per_second", reason: "must be at least 1" });
        }
        if self.server.per_caller_burst == 0 {
            return Err(ConfigError::Key { key: "server.per_caller_burst", reason: "must be at least 1" });
        }
        if self.server.max_connections == 0 {
            return Err(ConfigError::Key { key: "server.max_connections", reason: "must be at least 1" });
        }
        Ok(())
    }

    /// Parses a configuration given as TOML text, without environment overrides.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let config: Config =
            Figment::new().merge(Toml::string(text)).extract().map_err(|e| ConfigError::Invalid(Box::new(e)))?;
        config.validate()?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_configuration_loads_with_every_documented_key() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/gateway.example.toml");
        let config = Config::load(&path).expect("the example is valid");
        assert_eq!(config.registries.vsaa.transport.quota.per_second, 20);
        assert_eq!(config.registries.pmlp.transport.breaker.failure_threshold, 5);
    }

    /// The example points each system at the port `gateway simulate` gives its simulator by
    /// default (18081 on, in the order of `System::ALL`), so that it runs against them as it is.
    #[test]
    fn the_example_points_every_system_at_its_simulators_default_port() {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/gateway.example.toml")).unwrap();
        let mut section = None;
        let mut seen = 0;
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("[registries.").or(line.strip_prefix("[partners.")) {
                section = name.strip_suffix(']').filter(|n| !n.contains('.')).map(str::to_owned);
            } else if let (Some(name), Some(url)) = (&section, line.strip_prefix("base_url = \"http://127.0.0.1:")) {
                let key = name.strip_suffix("_cofinancing").unwrap_or(name);
                let system = gateway_domain::System::from_key(key).unwrap_or_else(|| panic!("{name} is a system"));
                let index = gateway_domain::System::ALL.iter().position(|s| *s == system).unwrap();
                assert_eq!(url.trim_end_matches('"'), (18_081 + index).to_string(), "[{name}]");
                seen += 1;
            }
        }
        assert!(seen > gateway_domain::System::ALL.len(), "every section was read ({seen})");
    }

    #[test]
    fn a_missing_file_and_an_unknown_key_are_clear_errors() {
        assert!(matches!(Config::load(Path::new("/nonexistent.toml")), Err(ConfigError::Missing(_))));
        let dir = std::env::temp_dir().join(format!("gateway-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.toml");
        std::fs::write(&file, "[server]\nbind = \"127.0.0.1:1\"\nbindd = 3\n").unwrap();
        let error = Config::load(&file).unwrap_err().to_string();
        assert!(error.contains("bindd"), "{error}");
    }
}
