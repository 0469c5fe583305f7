//! The durable store: status decisions and referrals, the outbox that carries both (one row per
//! partner per message version), dead letters, the partner quota shared by every gateway
//! instance, execution reports pulled from DigiSoc and providers' invoices.
//!
//! SQLite by default (one file under the data directory, created and migrated on start);
//! PostgreSQL when `store.url` names one, so that several gateway instances share one outbox.
//! Both run the same migrations (`migrations/`) and, apart from the claim, the same SQL: only
//! TEXT and BIGINT columns, `$n` placeholders (SQLite reads them as positions), natural keys.
//! Times are Unix milliseconds from the gateway's clock.

mod audit;
mod changes;
mod config;
mod file;
mod intake;
mod message;
mod outbox;
mod placeholders;
mod referrals;

#[cfg(test)]
pub(crate) mod tests;

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use futures::future::BoxFuture;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Executor, PgPool, SqlitePool};
use std::sync::Arc;

use file::StoreFile;

pub use config::{SQLITE_FILE, StoreConfig};

pub use changes::{DecisionView, DeliveryChange, PartnerDelivery, VersionView, iso_time};
pub use intake::{Intake, IntakeOutcome};
pub use message::{Message, MessageKind, Outgoing};
pub use outbox::{Claimed, DeadLetter, DeadLetterFilter, OutboxCounts, OutboxGlance, Settle, Settlement};
pub use referrals::{Invoice, PulledPage, StoredReport};

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
    /// There is no store where the configuration points; only `serve` and `store init` create one.
    #[error("there is no store at {0}; `gateway store init` (or `gateway serve`) creates it")]
    Missing(String),
    /// The store file was deleted or replaced under the running process: writing on would go
    /// to a file nobody else sees.
    #[error("the store file {0} was deleted or replaced while open")]
    Gone(String),
    /// The audit log could not record what was about to be done, so it was not done.
    #[error("the audit log cannot be written")]
    Audit,
}

impl StoreError {
    /// Whether the store may work again without anyone changing the data: a full disk, a lock,
    /// a lost connection, a store file to put back. The API answers these with 503.
    pub fn is_unavailable(&self) -> bool {
        !matches!(self, StoreError::Corrupt(_))
    }
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

/// [`on_pool!`] for a write, inside its [`WriteTurn`]: on a SQLite file store, `$pool` is the
/// writer's own connection, whose page cache stays warm with the pages writes touch.
macro_rules! on_writer {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.backend {
            $crate::store::Backend::Sqlite(main) => {
                let $pool = $store.writer_pool.as_ref().unwrap_or(main);
                $body
            }
            $crate::store::Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_writer;

/// The store; clones share one connection pool.
#[derive(Clone)]
pub struct Store {
    pub(crate) backend: Backend,
    /// The SQLite file as opened, to notice it being deleted or replaced.
    file: Option<Arc<StoreFile>>,
    /// SQLite file stores: connections whose commits wait for the disk (`synchronous = FULL`),
    /// for intake, which must survive power loss. The outbox's own writes use the main pool:
    /// one lost there is a delivery repeated under the same idempotency key.
    intake_pool: Option<SqlitePool>,
    /// SQLite file stores: the one connection every other write uses. Writes take turns at
    /// the gate anyway; one connection keeps their pages in one cache instead of in each
    /// connection's of the pool in turn.
    writer_pool: Option<SqlitePool>,
    /// SQLite stores: taken by every write of this process, so that its writers queue here
    /// in order instead of in SQLite's busy handler, which sleeps up to 100 ms between tries
    /// for a lock another connection of the same process holds.
    writes: Option<Arc<tokio::sync::Mutex<()>>>,
}

/// How long a write waits for this process's other writes (SQLite's busy timeout, too).
const WRITE_WAIT: Duration = Duration::from_secs(30);

/// A write's turn; the next one waits until it is dropped.
pub(crate) type WriteTurn = Option<tokio::sync::OwnedMutexGuard<()>>;

/// How long `/readyz` waits for the store (a lock held elsewhere would otherwise hold it for
/// the whole busy timeout).
pub const HEALTH_PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// Whether opening may create a store that is not there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Creation {
    Create,
    ExistingOnly,
}

/// What `/readyz` says of the store.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StoreHealth {
    pub kind: &'static str,
    /// A query answered.
    pub reachable: bool,
    /// A write transaction could be begun (no other holds the store, the file is the one opened).
    pub writable: bool,
    /// The file on disk is the one opened (always true for PostgreSQL and in-memory stores).
    pub same_file: bool,
}

impl StoreHealth {
    pub fn ready(&self) -> bool {
        self.reachable && self.writable && self.same_file
    }
}

/// Returns a connection to the pool only in autocommit mode. After `SQLITE_FULL` or an I/O
/// error the ROLLBACK can fail and leave the connection inside a transaction; every later write
/// on it would then "succeed" into a transaction never committed (sqlx issue 3932). `BEGIN`
/// fails inside a transaction, so a connection on which it fails is closed instead of reused.
fn sqlite_release_check(
    conn: &mut sqlx::SqliteConnection,
    _meta: sqlx::pool::PoolConnectionMetadata,
) -> BoxFuture<'_, Result<bool, sqlx::Error>> {
    Box::pin(async move {
        if conn.execute("BEGIN").await.is_err() {
            tracing::warn!("A store connection was left inside a transaction; it is closed, not reused.");
            return Ok(false);
        }
        Ok(conn.execute("ROLLBACK").await.is_ok())
    })
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

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "status sync", include_str!("../../migrations/0001_status_sync.sql")),
    (2, "delivery changes", include_str!("../../migrations/0002_delivery_changes.sql")),
    (3, "case system push", include_str!("../../migrations/0003_case_system_push.sql")),
    (4, "audit log", include_str!("../../migrations/0004_audit_log.sql")),
    (5, "referrals", include_str!("../../migrations/0005_referrals.sql")),
    (6, "outbox claim order", include_str!("../../migrations/0006_outbox_claim_order.sql")),
];

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
    /// Opens and migrates a store that exists; a missing one is [`StoreError::Missing`].
    pub async fn open(config: &StoreConfig) -> Result<Store, StoreError> {
        Self::open_with(config, Creation::ExistingOnly).await
    }

    /// Opens and migrates the store, creating it (the SQLite file and its folder, or the
    /// PostgreSQL tables) if it is not there: `serve` and `store init`.
    pub async fn create(config: &StoreConfig) -> Result<Store, StoreError> {
        Self::open_with(config, Creation::Create).await
    }

    async fn open_with(config: &StoreConfig, creation: Creation) -> Result<Store, StoreError> {
        let mut file = None;
        let mut intake_pool = None;
        let mut writer_pool = None;
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
                if creation == Creation::ExistingOnly && !postgres_initialised(&pool).await? {
                    return Err(StoreError::Missing("the PostgreSQL database of store.url".into()));
                }
                Backend::Postgres(pool)
            }
            Some(url) if url.starts_with("sqlite:") => {
                let in_memory = url.contains(":memory:") || url.contains("mode=memory");
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|_| StoreError::Open("store.url is not a valid SQLite URL".into()))?
                    .create_if_missing(in_memory || creation == Creation::Create)
                    .busy_timeout(WRITE_WAIT);
                // An in-memory database lives in one connection: a pool of one keeps one database.
                let max = if url.contains(":memory:") { 1 } else { config.max_connections.clamp(1, 8) };
                // Nor may the pool retire that connection.
                let pool = SqlitePoolOptions::new()
                    .max_connections(max)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .after_release(sqlite_release_check)
                    .connect_with(options)
                    .await
                    .map_err(|e| missing_or(e, creation, "the SQLite database of store.url"))?;
                Backend::Sqlite(pool)
            }
            Some(_) => return Err(StoreError::Open("store.url must be a postgres:// or sqlite: URL".into())),
            None => {
                let path = config.sqlite_path();
                if creation == Creation::ExistingOnly && !path.exists() {
                    return Err(StoreError::Missing(path.display().to_string()));
                }
                std::fs::create_dir_all(&config.data_dir).map_err(|e| {
                    StoreError::Open(format!("cannot create the data directory {}: {e}", config.data_dir.display()))
                })?;
                let options = SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(creation == Creation::Create)
                    // WAL lets readers go on while the one writer writes; NORMAL sync is durable
                    // across a process crash, which is what the outbox must survive (a delivery
                    // recorded twice is deduplicated by its idempotency key). Intake's own pool
                    // commits with FULL: an acknowledged decision survives power loss.
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    // The WAL is copied into the database every 4 000 pages (16 MiB) rather
                    // than every 1 000: fewer checkpoints write the same hot pages fewer times.
                    .pragma("wal_autocheckpoint", "4000")
                    .busy_timeout(WRITE_WAIT);
                let pool = SqlitePoolOptions::new()
                    .max_connections(config.max_connections.clamp(1, 8))
                    .acquire_timeout(Duration::from_secs(30))
                    .after_release(sqlite_release_check)
                    .connect_with(options.clone())
                    .await
                    .map_err(|e| missing_or(e, creation, &path.display().to_string()))?;
                // Writers keep up to 8 MiB of pages (SQLite's default is 2 MiB, which the audit
                // log's index outgrows within minutes, to be read back from the file on every
                // insert); readers keep the default. Intake's writers queue on the same gate:
                // two connections suffice.
                let writers = options.create_if_missing(false).pragma("cache_size", "-8192");
                writer_pool = Some(
                    SqlitePoolOptions::new()
                        .max_connections(1)
                        .acquire_timeout(WRITE_WAIT)
                        .after_release(sqlite_release_check)
                        .connect_with(writers.clone())
                        .await?,
                );
                intake_pool = Some(
                    SqlitePoolOptions::new()
                        .max_connections(2)
                        .acquire_timeout(Duration::from_secs(30))
                        .after_release(sqlite_release_check)
                        .connect_with(writers.synchronous(SqliteSynchronous::Full))
                        .await?,
                );
                file = Some(Arc::new(StoreFile::opened(path)?));
                Backend::Sqlite(pool)
            }
        };
        let writes = matches!(backend, Backend::Sqlite(_)).then(|| Arc::new(tokio::sync::Mutex::new(())));
        let store = Store { backend, file, intake_pool, writer_pool, writes };
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

    /// Fails with [`StoreError::Gone`] when the SQLite file on disk is no longer the one this
    /// store opened. Every write asks first, so that nothing is acknowledged into an unlinked file.
    pub(crate) fn ensure_same_file(&self) -> Result<(), StoreError> {
        match &self.file {
            Some(file) if !file.is_unchanged() => Err(StoreError::Gone(file.path_display())),
            _ => Ok(()),
        }
    }

    /// Waits for this write's turn, then checks that the file is still the one opened
    /// ([`ensure_same_file`](Self::ensure_same_file)). Every write method takes it first and
    /// holds it until its transaction has ended; none takes it twice.
    pub(crate) async fn writing(&self) -> Result<WriteTurn, StoreError> {
        let turn = match &self.writes {
            Some(gate) => Some(
                tokio::time::timeout(WRITE_WAIT, gate.clone().lock_owned())
                    .await
                    .map_err(|_| StoreError::Database(sqlx::Error::PoolTimedOut))?,
            ),
            None => None,
        };
        self.ensure_same_file()?;
        Ok(turn)
    }

    /// Whether the store answers, can begin a write and is still the file it opened; each
    /// probe gives up after [`HEALTH_PROBE_TIMEOUT`].
    pub async fn health(&self) -> StoreHealth {
        let probe = tokio::time::timeout(HEALTH_PROBE_TIMEOUT, self.probe()).await;
        probe.unwrap_or(StoreHealth {
            kind: self.kind(),
            reachable: false,
            writable: false,
            same_file: self.ensure_same_file().is_ok(),
        })
    }

    async fn probe(&self) -> StoreHealth {
        let same_file = self.ensure_same_file().is_ok();
        let reachable = on_pool!(self, pool => sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(pool).await.is_ok());
        let writable = same_file
            && reachable
            && match &self.backend {
                // BEGIN IMMEDIATE takes the write lock: it fails while another holds it for good.
                Backend::Sqlite(pool) => match pool.acquire().await {
                    Ok(mut conn) => {
                        conn.execute("BEGIN IMMEDIATE").await.is_ok() && conn.execute("ROLLBACK").await.is_ok()
                    }
                    Err(_) => false,
                },
                Backend::Postgres(pool) => {
                    sqlx::query("SELECT 1 FROM outbox LIMIT 1 FOR UPDATE SKIP LOCKED").execute(pool).await.is_ok()
                }
            };
        StoreHealth { kind: self.kind(), reachable, writable, same_file }
    }

    /// Closes the pools, waiting for connections to be returned.
    pub async fn close(&self) {
        for pool in [&self.intake_pool, &self.writer_pool].into_iter().flatten() {
            pool.close().await;
        }
        on_pool!(self, pool => pool.close().await);
    }
}

/// A SQLite file that is not there reads as [`StoreError::Missing`] when it may not be created.
fn missing_or(error: sqlx::Error, creation: Creation, what: &str) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if creation == Creation::ExistingOnly && db.code().as_deref() == Some("14") => {
            StoreError::Missing(what.to_owned())
        }
        _ => StoreError::Database(error),
    }
}

/// Whether the store's migrations have run on this PostgreSQL database (and schema).
async fn postgres_initialised(pool: &PgPool) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar::<_, Option<String>>("SELECT to_regclass('_sqlx_migrations')::text")
        .fetch_one(pool)
        .await?
        .is_some())
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp_nanos().div_euclid(1_000_000) as i64
}
