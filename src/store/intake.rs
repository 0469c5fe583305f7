//! Storing outgoing messages (status decisions, referrals): each version and its outbox rows
//! (one per partner) in the same transaction as the rest of its batch, so that a batch or a
//! file is stored whole or not at all.

use gateway_domain::{IdempotencyKey, System};
use sqlx::{Postgres, Sqlite, Transaction};

use super::changes::{NewChange, TAKE_COUNTER, record_changes};
use super::placeholders::Placeholders;
use super::{Backend, MessageKind, Outgoing, Store, StoreError, now_ms};

/// What storing one decision version did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntakeOutcome {
    /// New: stored with one outbox row per partner.
    Stored,
    /// The same version with the same content was stored before; nothing changed.
    Unchanged,
    /// The same version was stored before with different content; the batch must not commit.
    Conflict,
}

enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

/// An open intake transaction. Dropped without [`Intake::commit`], it stores nothing.
pub struct Intake {
    store: Store,
    /// This process's other writes wait until the intake is committed or dropped.
    _turn: super::WriteTurn,
    tx: Tx,
    partners: Vec<System>,
    outbox_insert: String,
    /// The statements of each kind added so far.
    kinds: Vec<(MessageKind, KindSql)>,
    now: i64,
    /// Where the delivery change counter stands once this transaction holds it (taken before
    /// the first supersession, so that the lock order is the same as in every other recording
    /// transaction).
    last_change: Option<i64>,
}

/// The statements of one kind of message, built once per intake.
struct KindSql {
    insert: String,
    select_payload: String,
    count_newer: String,
}

impl KindSql {
    fn of(kind: MessageKind) -> Self {
        let (table, column) = kind.table();
        Self {
            insert: format!(
                "INSERT INTO {table} ({column}, version, payload, received_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT ({column}, version) DO NOTHING"
            ),
            select_payload: format!("SELECT payload FROM {table} WHERE {column} = $1 AND version = $2"),
            count_newer: format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1 AND version > $2"),
        }
    }
}

// A newer version tells partners everything an older one would, so undelivered older rows stop.
// A row in flight keeps its lease: its delivery still completes and is recorded.
const SUPERSEDE_OLDER: &str = "UPDATE outbox SET state = 'superseded' \
     WHERE decision_ref = $1 AND version < $2 AND kind = $3 AND state = 'pending'";
const PENDING_OLDER: &str = "SELECT version, partner FROM outbox \
     WHERE decision_ref = $1 AND version < $2 AND kind = $3 AND state = 'pending' ORDER BY version, partner";

/// The outbox insert for `partners` rows: `$1` ref, `$2` version, `$3` state, `$4` now, `$5`
/// kind, then partner and key per row.
fn outbox_insert(partners: usize) -> String {
    let rows: Vec<String> =
        (0..partners).map(|i| format!("($1, $2, ${}, ${}, $3, 0, $4, $4, $5)", 6 + 2 * i, 7 + 2 * i)).collect();
    format!(
        "INSERT INTO outbox (decision_ref, version, partner, idempotency_key, state, attempts, \
         next_attempt_at, created_at, kind) VALUES {} ON CONFLICT (decision_ref, version, partner) DO NOTHING",
        rows.join(", ")
    )
}

impl Store {
    /// Starts storing messages for `partners`, every one of which gets an outbox row per message.
    pub async fn begin_intake(&self, partners: &[System]) -> Result<Intake, StoreError> {
        let turn = self.writing().await?;
        let tx = match (&self.backend, &self.intake_pool) {
            // An acknowledged decision must survive power loss, not only a crash: the intake
            // pool's commits wait for the WAL to reach the disk.
            (Backend::Sqlite(_), Some(durable)) => Tx::Sqlite(durable.begin().await?),
            (Backend::Sqlite(pool), None) => Tx::Sqlite(pool.begin().await?),
            (Backend::Postgres(pool), _) => Tx::Postgres(pool.begin().await?),
        };
        Ok(Intake {
            store: self.clone(),
            _turn: turn,
            tx,
            partners: partners.to_vec(),
            outbox_insert: outbox_insert(partners.len()),
            kinds: Vec::new(),
            now: now_ms(),
            last_change: None,
        })
    }

    /// Stores a batch whole or not at all: on a conflict nothing is committed. The outcomes are
    /// in the batch's order.
    pub async fn store_messages<M: Outgoing>(
        &self,
        messages: &[M],
        partners: &[System],
    ) -> Result<Vec<IntakeOutcome>, StoreError> {
        let mut intake = self.begin_intake(partners).await?;
        let mut outcomes = Vec::with_capacity(messages.len());
        for message in messages {
            outcomes.push(intake.add(message).await?);
        }
        if !outcomes.contains(&IntakeOutcome::Conflict) {
            intake.commit().await?;
        }
        Ok(outcomes)
    }
}

impl Intake {
    /// Stores one message version with its outbox rows. A repeated version changes nothing:
    /// the unique key turns the insert into a no-op, without reading first.
    pub async fn add<M: Outgoing>(&mut self, message: &M) -> Result<IntakeOutcome, StoreError> {
        let payload = serde_json::to_string(message).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let reference = message.reference();
        let version = i64::from(message.version());
        let kind = M::KIND.key();
        let now = self.now;
        if !self.kinds.iter().any(|(k, _)| *k == M::KIND) {
            self.kinds.push((M::KIND, KindSql::of(M::KIND)));
        }
        let sql = &self.kinds.iter().find(|(k, _)| *k == M::KIND).expect("added above").1;
        let inserted = on_tx!(&mut self.tx, conn => sqlx::query(&sql.insert)
            .bind(reference)
            .bind(version)
            .bind(&payload)
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected());
        if inserted == 0 {
            let stored: String = on_tx!(&mut self.tx, conn => sqlx::query_scalar(&sql.select_payload)
                .bind(reference)
                .bind(version)
                .fetch_one(conn)
                .await?);
            let stored: M = serde_json::from_str(&stored).map_err(|_| StoreError::Corrupt("message payload".into()))?;
            return Ok(if &stored == message { IntakeOutcome::Unchanged } else { IntakeOutcome::Conflict });
        }
        let newer: i64 = on_tx!(&mut self.tx, conn => sqlx::query_scalar(&sql.count_newer)
            .bind(reference)
            .bind(version)
            .fetch_one(conn)
            .await?);
        let state = if newer > 0 { "superseded" } else { "pending" };
        if !self.partners.is_empty() {
            let keys: Vec<(System, IdempotencyKey)> =
                self.partners.iter().map(|p| (*p, IdempotencyKey::derive(reference, message.version(), *p))).collect();
            on_tx!(&mut self.tx, conn => {
                let mut query =
                    sqlx::query(&self.outbox_insert).bind(reference).bind(version).bind(state).bind(now).bind(kind);
                for (partner, key) in &keys {
                    query = query.bind(partner.key()).bind(key.as_str());
                }
                query.execute(conn).await?;
            });
        }
        if message.version() > 1 {
            let last_change = self.last_change;
            let placeholders = Placeholders::of(&self.store.backend);
            let position = on_tx!(&mut self.tx, conn => {
                let last = match last_change {
                    Some(last) => last,
                    None => sqlx::query_scalar(TAKE_COUNTER).fetch_one(&mut *conn).await?,
                };
                let older: Vec<(i64, String)> = sqlx::query_as(PENDING_OLDER)
                    .bind(reference)
                    .bind(version)
                    .bind(kind)
                    .fetch_all(&mut *conn)
                    .await?;
                sqlx::query(SUPERSEDE_OLDER).bind(reference).bind(version).bind(kind).execute(&mut *conn).await?;
                let changes: Vec<NewChange<'_>> = older
                    .iter()
                    .map(|(older_version, partner)| NewChange {
                        reference,
                        version: *older_version,
                        partner,
                        state: "superseded",
                        partner_ref: None,
                    })
                    .collect();
                record_changes!(conn, placeholders, last, now, changes)
            });
            self.last_change = Some(position);
        }
        Ok(IntakeOutcome::Stored)
    }

    /// Commits everything added. `Ok` means the commit returned success, and only then may
    /// the decisions be acknowledged.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.store.ensure_same_file()?;
        match self.tx {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

impl Store {
    /// Every stored decision version, as `(reference, version)`, in order.
    pub async fn stored_versions(&self) -> Result<Vec<(String, u32)>, StoreError> {
        let rows: Vec<(String, i64)> = super::on_pool!(self, pool => sqlx::query_as(
            "SELECT decision_ref, version FROM status_decisions ORDER BY decision_ref, version"
        )
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(reference, version)| {
                let version = u32::try_from(version).map_err(|_| StoreError::Corrupt("version out of range".into()))?;
                Ok((reference, version))
            })
            .collect()
    }
}
