//! The durable store: status decisions, their outbox (one row per partner per decision
//! version), dead letters and the partner quota shared by every gateway instance.
//!
//! SQLite by default (one file under the data directory, created and migrated on start);
//! PostgreSQL when `store.url` names one, so that several gateway instances share one outbox.
//! Both run the same migrations (`migrations/`) and, apart from the claim, the same SQL: only
//! TEXT and BIGINT columns, `$n` placeholders (SQLite reads them as positions), natural keys.
//! Times are Unix milliseconds from the gateway's clock.

mod config;
mod intake;
mod outbox;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use futures::future::BoxFuture;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub use config::{SQLITE_FILE, StoreConfig};
pub use intake::{Intake, IntakeOutcome};
pub use outbox::{Claimed, DeadLetter, DeadLetterFilter, OutboxCounts};

/// Why the store could not do what was asked. Messages name no person and no decision content.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store: {0}")]
    Open(String),
    #[error("the store's migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the store failed: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored decision could not be read back; the store was changed by hand or is damaged.
    #[error("a stored decision cannot be read: {0}")]
    Corrupt(String),
}

/// The database behind the store.
#[derive(Clone)]
pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same body against whichever pool the store has: sqlx queries are generic over the
/// database, so the text is the same and the types are checked for both.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.backend {
            $crate::store::Backend::Sqlite($pool) => $body,
            $crate::store::Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// The store; clones share one connection pool.
#[derive(Clone)]
pub struct Store {
    pub(crate) backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.backend {
            Backend::Sqlite(_) => "Store(sqlite)",
            Backend::Postgres(_) => "Store(postgres)",
        })
    }
}

/// The migrations, compiled in so that the binary needs no files beside it.
#[derive(Debug)]
struct Embedded;

const MIGRATIONS: &[(i64, &str, &str)] = &[(1, "status sync", include_str!("../../migrations/0001_status_sync.sql"))];

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, sqlx::error::BoxDynError>> {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

impl Store {
    /// Opens (creating the SQLite file and its folder if needed) and migrates the store.
    pub async fn open(config: &StoreConfig) -> Result<Store, StoreError> {
        let backend = match &config.url {
            Some(url) if url.starts_with("postgres:") || url.starts_with("postgresql:") => {
                let mut options = PgConnectOptions::from_str(url)
                    .map_err(|_| StoreError::Open("store.url is not a valid PostgreSQL URL".into()))?;
                if let Some(schema) = &config.schema {
                    options = options.options([("search_path", schema.as_str())]);
                }
                let pool = PgPoolOptions::new()
                    .max_connections(config.max_connections.max(2))
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(options)
                    .await?;
                Backend::Postgres(pool)
            }
            Some(url) if url.starts_with("sqlite:") => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|_| StoreError::Open("store.url is not a valid SQLite URL".into()))?
                    .create_if_missing(true)
                    .busy_timeout(Duration::from_secs(30));
                // An in-memory database lives in one connection: a pool of one keeps one database.
                let max = if url.contains(":memory:") { 1 } else { config.max_connections.clamp(1, 8) };
                // Nor may the pool retire that connection.
                let pool = SqlitePoolOptions::new()
                    .max_connections(max)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .connect_with(options)
                    .await?;
                Backend::Sqlite(pool)
            }
            Some(_) => return Err(StoreError::Open("store.url must be a postgres:// or sqlite: URL".into())),
            None => {
                std::fs::create_dir_all(&config.data_dir).map_err(|e| {
                    StoreError::Open(format!("cannot create the data directory {}: {e}", config.data_dir.display()))
                })?;
                let options = SqliteConnectOptions::new()
                    .filename(config.sqlite_path())
                    .create_if_missing(true)
                    // WAL lets readers go on while the one writer writes; NORMAL sync is durable
                    // across a process crash, which is what the outbox must survive.
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(30));
                let pool = SqlitePoolOptions::new()
                    .max_connections(config.max_connections.clamp(1, 8))
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(options)
                    .await?;
                Backend::Sqlite(pool)
            }
        };
        let store = Store { backend };
        let migrator = Migrator::new(Embedded).await?;
        on_pool!(store, pool => migrator.run(pool).await?);
        Ok(store)
    }

    /// Which database this is, for logs and reports.
    pub fn kind(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp_nanos().div_euclid(1_000_000) as i64
}
