//! Configuration: one TOML file, overridden by environment variables `GATEWAY_<SECTION>__<KEY>`
//! (for example `GATEWAY_SERVER__BIND=0.0.0.0:8080` or
//! `GATEWAY_REGISTRIES__VSAA__PASSWORD=...`). `config/gateway.example.toml` documents every key.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use gateway_adapters::RegistriesConfig;
use serde::Deserialize;

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
    #[serde(default)]
    pub store: StoreConfig,
    #[serde(default)]
    pub status_sync: StatusSyncConfig,
}

/// The HTTP server.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address and port to listen on (default `127.0.0.1:8080`).
    #[serde(default = "default_bind")]
    pub bind: SocketAddr,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self { bind: default_bind() }
    }
}

fn default_bind() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
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
}

impl Config {
    /// Reads the file, then applies environment overrides.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        if !path.exists() {
            return Err(ConfigError::Missing(path.display().to_string()));
        }
        let config: Config = Figment::new()
            .merge(Toml::file(path))
            // Only `GATEWAY_<SECTION>__<KEY>` is configuration: other variables that share the
            // prefix (`GATEWAY_CONFIG`, the tests' `GATEWAY_TEST_POSTGRES_URL`) are not.
            .merge(Env::prefixed(ENV_PREFIX).filter(|key| key.as_str().contains("__")).split("__"))
            .extract()
            .map_err(|e| ConfigError::Invalid(Box::new(e)))?;
        config.status_sync.validate()?;
        Ok(config)
    }
}
