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

    /// Parses a configuration given as TOML text, without environment overrides.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let config: Config =
            Figment::new().merge(Toml::string(text)).extract().map_err(|e| ConfigError::Invalid(Box::new(e)))?;
        config.status_sync.validate()?;
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
