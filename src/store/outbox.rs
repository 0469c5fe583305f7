//! The outbox: claiming due rows under a lease, recording each delivery's outcome, dead
//! letters, and the per-second quota counters shared by every instance.
//!
//! A claim is one short statement (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so that instances
//! never wait on each other's rows; SQLite: its single writer makes the statement atomic). The
//! delivery then happens with no transaction open; its outcome is written by the claim's token,
//! so a row whose lease ran out and was claimed again is recorded once, by its new owner.

use gateway_domain::{IdempotencyKey, System};
use serde::Serialize;
use sqlx::Row;

use super::changes::{NewChange, TAKE_COUNTER, record_changes};
use super::placeholders::Placeholders;
use super::{Backend, Message, MessageKind, Store, StoreError, now_ms, on_pool, on_writer};

/// A claimed outbox row with its message.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub message: Message,
    pub key: IdempotencyKey,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// A row delivery gave up on.
#[derive(Debug, Clone, Serialize)]
pub struct DeadLetter {
    pub decision_ref: String,
    pub version: u32,
    pub partner: String,
    /// `rejected` (the partner refused it) or `attempts-exhausted`.
    pub reason: String,
    /// The last error's code, e.g. `rejected:http-400` or `unavailable`.
    pub last_error: Option<String>,
    pub attempts: u32,
    /// When, in Unix milliseconds.
    pub dead_at: i64,
}

/// Which dead letters an operator means.
#[derive(Debug, Clone, Default)]
pub struct DeadLetterFilter {
    pub partner: Option<System>,
    pub decision_ref: Option<String>,
}

/// One partner's outbox at a glance, for `/metrics` and the console: what waits, since when,
/// and what was given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OutboxGlance {
    pub partner: System,
    /// Messages pending (due now or later).
    pub pending: u64,
    /// When the oldest pending message was put in the outbox, in Unix milliseconds.
    pub oldest_pending_at: Option<i64>,
    pub dead_letters: u64,
}

/// Outbox rows of one partner by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxCounts {
    pub pending: u64,
    pub delivered: u64,
    pub superseded: u64,
    pub dead: u64,
}

const CLAIM_SELECT: &str = "SELECT decision_ref, version, partner FROM outbox \
     WHERE partner = $3 AND state = 'pending' AND next_attempt_at <= $4 \
     AND (lease_until IS NULL OR lease_until <= $4) \
     ORDER BY next_attempt_at, decision_ref, version LIMIT $5";

// The claim returns each row it took with its message from its kind's table, in the same
// statement: the rows are found by the due index, never by scanning for their new owner.
fn claim_sql(skip_locked: bool) -> String {
    format!(
        "UPDATE outbox SET lease_owner = $1, lease_until = $2 \
         WHERE (decision_ref, version, partner) IN ({CLAIM_SELECT}{}) \
         RETURNING decision_ref, version, attempts, kind, COALESCE(\
         (SELECT d.payload FROM status_decisions d WHERE outbox.kind = 'status_decision' \
         AND d.decision_ref = outbox.decision_ref AND d.version = outbox.version), \
         (SELECT r.payload FROM referrals r WHERE outbox.kind = 'referral' \
         AND r.referral_ref = outbox.decision_ref AND r.version = outbox.version))",
        if skip_locked { " FOR UPDATE SKIP LOCKED" } else { "" }
    )
}

/// Delivered rows one statement settles (4 parameters each).
const SETTLED_PER_STATEMENT: usize = 100;

/// Marks `rows` rows delivered if their lease still holds, and returns those it marked. The
/// parameters: the time, then (reference, version, owner, partner reference) per row, then
/// the partner.
fn mark_delivered_sql(rows: usize, placeholders: Placeholders) -> String {
    format!(
        "UPDATE outbox SET state = 'delivered', partner_ref = v.column4, delivered_at = {}, \
         attempts = attempts + 1, lease_owner = NULL, lease_until = NULL, last_error = NULL \
         FROM (VALUES {}) AS v \
         WHERE outbox.decision_ref = v.column1 AND outbox.version = v.column2 AND outbox.partner = {} \
         AND outbox.lease_owner = v.column3 \
         RETURNING outbox.decision_ref, outbox.version",
        placeholders.one(1),
        placeholders.rows(rows, 4, 2),
        placeholders.one(2 + rows * 4),
    )
}

const SCHEDULE_RETRY: &str = "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $5, last_error = $6, \
     lease_owner = NULL, lease_until = NULL \
     WHERE decision_ref = $1 AND version = $2 AND partner = $3 AND lease_owner = $4";

const RELEASE: &str = "UPDATE outbox SET next_attempt_at = $5, lease_owner = NULL, lease_until = NULL \
     WHERE decision_ref = $1 AND version = $2 AND partner = $3 AND lease_owner = $4";

const MARK_DEAD: &str = "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = $5, \
     lease_owner = NULL, lease_until = NULL \
     WHERE decision_ref = $1 AND version = $2 AND partner = $3 AND lease_owner = $4";

const INSERT_DEAD_LETTER: &str = "INSERT INTO dead_letters \
     (decision_ref, version, partner, reason, last_error, attempts, dead_at) \
     SELECT decision_ref, version, partner, $4, last_error, attempts, $5 FROM outbox \
     WHERE decision_ref = $1 AND version = $2 AND partner = $3 \
     ON CONFLICT (decision_ref, version, partner) DO UPDATE SET reason = excluded.reason, \
     last_error = excluded.last_error, attempts = excluded.attempts, dead_at = excluded.dead_at";

const NEXT_DUE: &str = "SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > next_attempt_at \
     THEN lease_until ELSE next_attempt_at END) FROM outbox WHERE partner = $1 AND state = 'pending'";

const COUNTS: &str = "SELECT state, COUNT(*) FROM outbox WHERE partner = $1 GROUP BY state";

// The counter of a second only grows while under the limit, in one statement: two instances
// asking at once can never both take the last permit.
const TAKE_QUOTA: &str = "INSERT INTO partner_quota_windows (partner, second, used) VALUES ($1, $2, $4) \
     ON CONFLICT (partner, second) DO UPDATE SET used = partner_quota_windows.used + $4 \
     WHERE partner_quota_windows.used + $4 <= $3 RETURNING used";

const PURGE_QUOTA: &str = "DELETE FROM partner_quota_windows WHERE second < $1";

/// How one attempt at a claimed row ended, as the store records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// The partner confirmed it.
    Delivered { partner_ref: String },
    /// It failed for now: due again at `next_attempt_at`.
    Retry { next_attempt_at: i64, error_code: String },
    /// Given back unsent, due at `next_attempt_at`, without spending an attempt.
    Release { next_attempt_at: i64 },
    /// Given up on: moved to the dead letters.
    Dead { reason: String, error_code: String },
}

/// A claimed row's outcome, recorded by the claim's token.
#[derive(Debug, Clone)]
pub struct Settle {
    pub reference: String,
    pub version: u32,
    /// The token of the claim that holds the row.
    pub owner: String,
    pub settlement: Settlement,
}

impl Settle {
    pub fn of(row: &Claimed, owner: &str, settlement: Settlement) -> Self {
        Self {
            reference: row.message.reference().to_owned(),
            version: row.message.version(),
            owner: owner.to_owned(),
            settlement,
        }
    }
}

/// A claimed row as read: ref, version, attempts, kind, payload.
type ClaimedRow = (String, i64, i64, String, Option<String>);

/// A dead letter's row as read: ref, version, partner, reason, last error, attempts, when.
type DeadLetterRow = (String, i64, String, String, Option<String>, i64, i64);

fn version_of(raw: i64) -> Result<u32, StoreError> {
    u32::try_from(raw).map_err(|_| StoreError::Corrupt("version out of range".into()))
}

impl Store {
    /// Claims up to `limit` due rows of `partner` for `owner` (a token unique to this claim)
    /// until `lease_until`.
    pub async fn claim(
        &self,
        partner: System,
        owner: &str,
        limit: u32,
        lease_until: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        let _turn = self.writing().await?;
        let now = now_ms();
        let sql = claim_sql(matches!(self.backend, Backend::Postgres(_)));
        let rows = on_writer!(self, pool => {
            let rows = sqlx::query(&sql)
                .bind(owner)
                .bind(lease_until)
                .bind(partner.key())
                .bind(now)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| -> Result<ClaimedRow, sqlx::Error> {
                    Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?, row.try_get(4)?))
                })
                .collect::<Result<Vec<_>, _>>()?
        });
        let mut out = Vec::with_capacity(rows.len());
        for (reference, version, attempts, kind, payload) in rows {
            let version = version_of(version)?;
            let kind = MessageKind::from_key(&kind).ok_or_else(|| StoreError::Corrupt("outbox kind".into()))?;
            let payload = payload.ok_or_else(|| StoreError::Corrupt("an outbox row without its message".into()))?;
            let message = Message::read(kind, &payload).map_err(|_| StoreError::Corrupt("message payload".into()))?;
            out.push(Claimed {
                key: IdempotencyKey::derive(&reference, version, partner),
                message,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
            });
        }
        // RETURNING keeps no order; restore a stable one.
        out.sort_by(|a, b| {
            (a.message.reference(), a.message.version()).cmp(&(b.message.reference(), b.message.version()))
        });
        Ok(out)
    }

    /// Records a delivery the partner confirmed. False when the lease was lost meanwhile (the
    /// new owner records it instead).
    pub async fn mark_delivered(
        &self,
        partner: System,
        row: &Claimed,
        owner: &str,
        partner_ref: &str,
    ) -> Result<bool, StoreError> {
        self.settle_one(partner, Settle::of(row, owner, Settlement::Delivered { partner_ref: partner_ref.to_owned() }))
            .await
    }

    /// Records a failed attempt and when to try again.
    pub async fn schedule_retry(
        &self,
        partner: System,
        row: &Claimed,
        owner: &str,
        next_attempt_at: i64,
        error_code: &str,
    ) -> Result<bool, StoreError> {
        let settlement = Settlement::Retry { next_attempt_at, error_code: error_code.to_owned() };
        self.settle_one(partner, Settle::of(row, owner, settlement)).await
    }

    /// Gives a claimed row back unsent, due again at `next_attempt_at`, without counting an
    /// attempt (its partner's circuit breaker was open).
    pub async fn release(
        &self,
        partner: System,
        row: &Claimed,
        owner: &str,
        next_attempt_at: i64,
    ) -> Result<bool, StoreError> {
        self.settle_one(partner, Settle::of(row, owner, Settlement::Release { next_attempt_at })).await
    }

    /// Moves a row to the dead letters with its reason, in one transaction.
    pub async fn dead_letter(
        &self,
        partner: System,
        row: &Claimed,
        owner: &str,
        reason: &str,
        error_code: &str,
    ) -> Result<bool, StoreError> {
        let settlement = Settlement::Dead { reason: reason.to_owned(), error_code: error_code.to_owned() };
        self.settle_one(partner, Settle::of(row, owner, settlement)).await
    }

    async fn settle_one(&self, partner: System, settle: Settle) -> Result<bool, StoreError> {
        Ok(self.settle(partner, std::slice::from_ref(&settle)).await?[0])
    }

    /// Records the outcomes of claimed rows of `partner` in one transaction, which takes the
    /// change counter first when any row is delivered or dead (and records those changes).
    /// Each answer is false when that row's lease was lost meanwhile.
    pub async fn settle(&self, partner: System, settles: &[Settle]) -> Result<Vec<bool>, StoreError> {
        let _turn = self.writing().await?;
        let now = now_ms();
        let placeholders = Placeholders::of(&self.backend);
        let records_changes =
            settles.iter().any(|s| matches!(s.settlement, Settlement::Delivered { .. } | Settlement::Dead { .. }));
        let delivered: Vec<(usize, &Settle, &str)> = settles
            .iter()
            .enumerate()
            .filter_map(|(i, settle)| match &settle.settlement {
                Settlement::Delivered { partner_ref } => Some((i, settle, partner_ref.as_str())),
                _ => None,
            })
            .collect();
        on_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let last: Option<i64> = if records_changes {
                Some(sqlx::query_scalar(TAKE_COUNTER).fetch_one(&mut *tx).await?)
            } else {
                None
            };
            let mut done = vec![false; settles.len()];
            // The delivered rows, many to a statement: those whose lease still held come back.
            for chunk in delivered.chunks(SETTLED_PER_STATEMENT) {
                let sql = mark_delivered_sql(chunk.len(), placeholders);
                let mut query = sqlx::query(&sql).bind(now);
                for &(_, settle, partner_ref) in chunk {
                    query = query
                        .bind(settle.reference.as_str())
                        .bind(i64::from(settle.version))
                        .bind(settle.owner.as_str())
                        .bind(partner_ref);
                }
                let rows = query.bind(partner.key()).fetch_all(&mut *tx).await?;
                let mut marked = std::collections::HashSet::with_capacity(rows.len());
                for row in &rows {
                    let key: (String, i64) = (row.try_get(0)?, row.try_get(1)?);
                    marked.insert(key);
                }
                for &(i, settle, _) in chunk {
                    // A row named twice counts once.
                    done[i] = marked.remove(&(settle.reference.clone(), i64::from(settle.version)));
                }
            }
            for (i, settle) in settles.iter().enumerate() {
                let reference = settle.reference.as_str();
                let version = i64::from(settle.version);
                let query = |sql| sqlx::query(sql).bind(reference).bind(version).bind(partner.key()).bind(settle.owner.as_str());
                let rows = match &settle.settlement {
                    Settlement::Delivered { .. } => continue,
                    Settlement::Retry { next_attempt_at, error_code } => {
                        query(SCHEDULE_RETRY).bind(next_attempt_at).bind(error_code.as_str()).execute(&mut *tx).await?
                    }
                    Settlement::Release { next_attempt_at } => {
                        query(RELEASE).bind(next_attempt_at).execute(&mut *tx).await?
                    }
                    Settlement::Dead { error_code, .. } => {
                        query(MARK_DEAD).bind(error_code.as_str()).execute(&mut *tx).await?
                    }
                }
                .rows_affected();
                if rows == 1
                    && let Settlement::Dead { reason, .. } = &settle.settlement
                {
                    sqlx::query(INSERT_DEAD_LETTER)
                        .bind(reference)
                        .bind(version)
                        .bind(partner.key())
                        .bind(reason.as_str())
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
                done[i] = rows == 1;
            }
            if let Some(last) = last {
                // The changes in the order of the settlements, numbered on from the counter.
                let changes: Vec<NewChange<'_>> = settles
                    .iter()
                    .zip(&done)
                    .filter(|(_, done)| **done)
                    .filter_map(|(settle, _)| {
                        let (state, partner_ref) = match &settle.settlement {
                            Settlement::Delivered { partner_ref } => ("delivered", Some(partner_ref.as_str())),
                            Settlement::Dead { .. } => ("dead", None),
                            Settlement::Retry { .. } | Settlement::Release { .. } => return None,
                        };
                        Some(NewChange {
                            reference: settle.reference.as_str(),
                            version: i64::from(settle.version),
                            partner: partner.key(),
                            state,
                            partner_ref,
                        })
                    })
                    .collect();
                record_changes!(tx, placeholders, last, now, changes);
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// When the next pending row of `partner` comes due (its retry time, or its lease's end);
    /// `None` when nothing is pending.
    pub async fn next_due(&self, partner: System) -> Result<Option<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar::<_, Option<i64>>(NEXT_DUE)
            .bind(partner.key())
            .fetch_one(pool)
            .await?))
    }

    /// The partner's outbox rows by state.
    pub async fn outbox_counts(&self, partner: System) -> Result<OutboxCounts, StoreError> {
        let rows: Vec<(String, i64)> =
            on_pool!(self, pool => sqlx::query_as(COUNTS).bind(partner.key()).fetch_all(pool).await?);
        let mut counts = OutboxCounts::default();
        for (state, n) in rows {
            let n = u64::try_from(n).unwrap_or(0);
            match state.as_str() {
                "pending" => counts.pending = n,
                "delivered" => counts.delivered = n,
                "superseded" => counts.superseded = n,
                "dead" => counts.dead = n,
                _ => {}
            }
        }
        Ok(counts)
    }

    /// Each of `partners`' outbox at a glance (zeros for a partner with nothing in it), in two
    /// grouped queries.
    pub async fn outbox_glance(&self, partners: &[System]) -> Result<Vec<OutboxGlance>, StoreError> {
        let pending = "SELECT partner, COUNT(*), MIN(created_at) FROM outbox WHERE state = 'pending' GROUP BY partner";
        let dead = "SELECT partner, COUNT(*) FROM dead_letters GROUP BY partner";
        let pending: Vec<(String, i64, Option<i64>)> =
            on_pool!(self, pool => sqlx::query_as(pending).fetch_all(pool).await?);
        let dead: Vec<(String, i64)> = on_pool!(self, pool => sqlx::query_as(dead).fetch_all(pool).await?);
        Ok(partners
            .iter()
            .map(|&partner| {
                let (count, oldest) = pending
                    .iter()
                    .find(|(key, ..)| key == partner.key())
                    .map_or((0, None), |(_, count, oldest)| (*count, *oldest));
                let dead = dead.iter().find(|(key, _)| key == partner.key()).map_or(0, |(_, n)| *n);
                OutboxGlance {
                    partner,
                    pending: u64::try_from(count).unwrap_or(0),
                    oldest_pending_at: oldest,
                    dead_letters: u64::try_from(dead).unwrap_or(0),
                }
            })
            .collect())
    }

    /// Takes `n` requests of `partner`'s quota in the Unix second `second`, if fewer than
    /// `limit` - `n` were taken in it already, by any instance.
    pub async fn take_quota(&self, partner: System, second: i64, limit: u32, n: u32) -> Result<bool, StoreError> {
        let _turn = self.writing().await?;
        let row: Option<i64> = on_writer!(self, pool => sqlx::query_scalar(TAKE_QUOTA)
            .bind(partner.key())
            .bind(second)
            .bind(i64::from(limit))
            .bind(i64::from(n))
            .fetch_optional(pool)
            .await?);
        Ok(row.is_some_and(|used| used <= i64::from(limit)))
    }

    /// Forgets quota counters of seconds before `before`.
    pub async fn purge_quota(&self, before: i64) -> Result<(), StoreError> {
        let _turn = self.writing().await?;
        on_writer!(self, pool => sqlx::query(PURGE_QUOTA).bind(before).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Dead letters matching `filter`, oldest first.
    pub async fn dead_letters(&self, filter: &DeadLetterFilter) -> Result<Vec<DeadLetter>, StoreError> {
        let sql = "SELECT decision_ref, version, partner, reason, last_error, attempts, dead_at \
                   FROM dead_letters WHERE ($1 IS NULL OR partner = $1) AND ($2 IS NULL OR decision_ref = $2) \
                   ORDER BY dead_at, decision_ref, version, partner";
        let partner = filter.partner.map(|p| p.key().to_owned());
        let rows: Vec<DeadLetterRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(partner)
            .bind(filter.decision_ref.clone())
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(|(decision_ref, version, partner, reason, last_error, attempts, dead_at)| {
                Ok(DeadLetter {
                    decision_ref,
                    version: version_of(version)?,
                    partner,
                    reason,
                    last_error,
                    attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                    dead_at,
                })
            })
            .collect()
    }

    /// Puts dead letters matching `filter` back in the outbox, due now with fresh attempts.
    /// Returns how many.
    pub async fn retry_dead_letters(&self, filter: &DeadLetterFilter) -> Result<u64, StoreError> {
        let _turn = self.writing().await?;
        let partner = filter.partner.map(|p| p.key().to_owned());
        let reference = filter.decision_ref.clone();
        let now = now_ms();
        let placeholders = Placeholders::of(&self.backend);
        let revive = "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $3, \
                      lease_owner = NULL, lease_until = NULL \
                      WHERE state = 'dead' AND ($1 IS NULL OR partner = $1) AND ($2 IS NULL OR decision_ref = $2)";
        let forget =
            "DELETE FROM dead_letters WHERE ($1 IS NULL OR partner = $1) AND ($2 IS NULL OR decision_ref = $2)";
        let dead = "SELECT decision_ref, version, partner FROM outbox \
                    WHERE state = 'dead' AND ($1 IS NULL OR partner = $1) AND ($2 IS NULL OR decision_ref = $2) \
                    ORDER BY decision_ref, version, partner";
        on_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let last: i64 = sqlx::query_scalar(TAKE_COUNTER).fetch_one(&mut *tx).await?;
            let rows: Vec<(String, i64, String)> = sqlx::query_as(dead)
                .bind(partner.clone())
                .bind(reference.clone())
                .fetch_all(&mut *tx)
                .await?;
            let changes: Vec<NewChange<'_>> = rows
                .iter()
                .map(|(reference, version, partner)| NewChange {
                    reference,
                    version: *version,
                    partner,
                    state: "retried",
                    partner_ref: None,
                })
                .collect();
            record_changes!(tx, placeholders, last, now, changes);
            let revived = sqlx::query(revive)
                .bind(partner.clone())
                .bind(reference.clone())
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query(forget).bind(partner).bind(reference).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(revived)
        })
    }
}
