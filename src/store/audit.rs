//! The audit log's rows: appended in batches that extend the chain under the head's lock,
//! read in order to verify, found by person hash, and pruned behind a checkpoint.

use crate::audit::chain::{AuditKey, Entry, GENESIS, Linked};

use super::placeholders::Placeholders;
use super::{Store, StoreError, on_pool, on_writer};

const LOCK_HEAD: &str = "UPDATE audit_head SET seq = seq WHERE id = 1";
/// Locks the head and reads it, in one statement.
const TAKE_HEAD: &str = "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash";
const READ_HEAD: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";
/// Rows one INSERT statement carries (17 parameters each, well under SQLite's and
/// PostgreSQL's parameter limits).
const ROWS_PER_INSERT: usize = 50;
const PARAMETERS_PER_ROW: usize = 17;
const COLUMNS: &str = "seq, at_ms, request_id, caller, institution, officer, purpose, legal_basis, case_ref, \
     system, topic, event, outcome, person_hash, co_resident, prev_hash, hash";

/// `INSERT INTO audit_log (...) VALUES ($1, ..., $17), ($18, ...), ...` for `rows` rows.
fn insert_sql(rows: usize, placeholders: Placeholders) -> String {
    format!("INSERT INTO audit_log ({COLUMNS}) VALUES {}", placeholders.rows(rows, PARAMETERS_PER_ROW, 1))
}

impl Store {
    /// Appends `entries` to the chain in one transaction: all of them or none.
    pub async fn append_audit(&self, key: &AuditKey, entries: &[Entry]) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let _turn = self.writing().await?;
        let placeholders = Placeholders::of(&self.backend);
        on_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let (mut seq, mut hash): (i64, String) = sqlx::query_as(TAKE_HEAD).fetch_one(&mut *tx).await?;
            // Rows go in statements of up to ROWS_PER_INSERT each: one round trip per chunk.
            for chunk in entries.chunks(ROWS_PER_INSERT) {
                let sql = insert_sql(chunk.len(), placeholders);
                let mut query = sqlx::query(&sql);
                for entry in chunk {
                    let prev = std::mem::take(&mut hash);
                    seq += 1;
                    hash = key.link(&prev, seq, entry);
                    query = query
                        .bind(seq)
                        .bind(entry.at_ms)
                        .bind(entry.request_id.as_str())
                        .bind(entry.caller.as_str())
                        .bind(entry.institution.as_str())
                        .bind(entry.officer.as_str())
                        .bind(entry.purpose.as_str())
                        .bind(entry.legal_basis.as_str())
                        .bind(entry.case_ref.as_str())
                        .bind(entry.system.as_str())
                        .bind(entry.topic.as_str())
                        .bind(entry.event.as_str())
                        .bind(entry.outcome.as_str())
                        .bind(entry.person_hash.as_str())
                        .bind(entry.co_resident.as_str())
                        .bind(prev)
                        .bind(hash.clone());
                }
                query.execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(seq)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The chain's end as the store records it.
    pub async fn audit_head(&self) -> Result<(i64, String), StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(READ_HEAD).fetch_one(pool).await?))
    }

    /// Where the chain starts: the last checkpoint pruning left, or the genesis.
    pub async fn audit_start(&self) -> Result<(i64, String), StoreError> {
        let checkpoint: Option<(i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT seq, hash FROM audit_checkpoints ORDER BY seq DESC LIMIT 1"
        )
        .fetch_optional(pool)
        .await?);
        Ok(checkpoint.unwrap_or((0, GENESIS.to_owned())))
    }

    /// Up to `limit` entries after `after`, in order.
    pub async fn audit_entries(&self, after: i64, limit: i64) -> Result<Vec<Linked>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(after).bind(limit).fetch_all(pool).await?))
    }

    /// Every entry about the person with `person_hash` from `from_ms` to `to_ms`, in order.
    pub async fn audit_find(&self, person_hash: &str, from_ms: i64, to_ms: i64) -> Result<Vec<Linked>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM audit_log WHERE person_hash = $1 AND at_ms >= $2 AND at_ms < $3 ORDER BY seq"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(person_hash).bind(from_ms).bind(to_ms).fetch_all(pool).await?),
        )
    }

    /// Removes the entries older than `before_ms` (whole, from the start of the chain), leaving
    /// a checkpoint at the last one removed so that the rest still verifies. Returns how many.
    pub async fn audit_prune(&self, before_ms: i64) -> Result<u64, StoreError> {
        let _turn = self.writing().await?;
        let now = super::now_ms();
        on_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(LOCK_HEAD).execute(&mut *tx).await?;
            // The last entry of the unbroken run of old entries at the chain's start.
            let first_kept: Option<i64> =
                sqlx::query_scalar("SELECT MIN(seq) FROM audit_log WHERE at_ms >= $1").bind(before_ms).fetch_one(&mut *tx).await?;
            let cut: Option<(i64, String)> = match first_kept {
                Some(kept) => sqlx::query_as("SELECT seq, hash FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT 1")
                    .bind(kept)
                    .fetch_optional(&mut *tx)
                    .await?,
                None => sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetch_optional(&mut *tx).await?,
            };
            let Some((seq, hash)) = cut else {
                tx.commit().await?;
                return Ok(0);
            };
            let removed = sqlx::query("DELETE FROM audit_log WHERE seq <= $1").bind(seq).execute(&mut *tx).await?.rows_affected();
            sqlx::query("INSERT INTO audit_checkpoints (seq, hash, pruned_before_ms, pruned_at_ms) VALUES ($1, $2, $3, $4)")
                .bind(seq)
                .bind(&hash)
                .bind(before_ms)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(removed)
        })
    }
}
