//! The `[store]` section of the configuration.

use std::path::PathBuf;

use serde::Deserialize;

/// The SQLite file's name inside the data directory.
pub const SQLITE_FILE: &str = "gateway.sqlite3";

/// Where decisions and the outbox are kept.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// Directory of the SQLite file (default `data`); created on start.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// A `postgres://` URL: use PostgreSQL instead of SQLite (needed for several instances).
    /// A `sqlite:` URL (e.g. `sqlite::memory:`) names another SQLite database.
    #[serde(default)]
    pub url: Option<String>,
    /// The PostgreSQL schema the tables live in; it must exist (default: the search path).
    #[serde(default)]
    pub schema: Option<String>,
    /// Connections in the pool at most (default 8; SQLite uses at most 8).
    #[serde(default = "default_max_connections")]
    pub max_connections: u32,
}

impl StoreConfig {
    /// The SQLite store in `data_dir`.
    pub fn sqlite(data_dir: impl Into<PathBuf>) -> Self {
        Self { data_dir: data_dir.into(), ..Self::default() }
    }

    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir.join(SQLITE_FILE)
    }
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self { data_dir: default_data_dir(), url: None, schema: None, max_connections: default_max_connections() }
    }
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}

fn default_max_connections() -> u32 {
    8
}
