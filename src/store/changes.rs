//! Delivery receipts: where each decision version stands at each partner, and the feed of
//! delivery state changes in commit order.
//!
//! Every transaction that changes a delivery's state locks the one counter row first, then
//! takes the next position for each change it records. Positions are therefore handed out in
//! the order their transactions commit, even with several instances on one PostgreSQL: a reader
//! polling `position > cursor` never misses a change that commits later with a smaller
//! position, and never sees one twice. Locking the counter first also gives every such
//! transaction the same lock order (counter, then outbox rows), so they cannot deadlock.

use gateway_domain::StatusDecision;
use serde::Serialize;

use super::{Store, StoreError, on_pool, on_writer};

/// Taken first by every transaction that records a change, reading where the counter stands:
/// the position after which [`record_changes`] numbers that transaction's changes.
pub(crate) const TAKE_COUNTER: &str = "UPDATE delivery_change_counter SET last = last WHERE id = 1 RETURNING last";
pub(crate) const SET_COUNTER: &str = "UPDATE delivery_change_counter SET last = $1 WHERE id = 1";
/// Rows one INSERT of changes carries (7 parameters each).
pub(crate) const CHANGES_PER_INSERT: usize = 100;
const CHANGE_COLUMNS: &str = "position, decision_ref, version, partner, state, partner_ref, changed_at";

/// A change to record, in a transaction's order.
pub(crate) struct NewChange<'a> {
    pub reference: &'a str,
    pub version: i64,
    pub partner: &'a str,
    /// `delivered`, `dead`, `superseded` or `retried`.
    pub state: &'static str,
    pub partner_ref: Option<&'a str>,
}

/// `INSERT INTO delivery_changes (...) VALUES (...), ...` for `rows` rows.
pub(crate) fn insert_changes_sql(rows: usize, placeholders: super::placeholders::Placeholders) -> String {
    format!("INSERT INTO delivery_changes ({CHANGE_COLUMNS}) VALUES {}", placeholders.rows(rows, 7, 1))
}

/// Records `$changes` (a slice of [`NewChange`]) on `$conn` at the positions after `$last` (what
/// [`TAKE_COUNTER`] read at the start of the transaction, or what this macro last returned in
/// it), in statements of [`CHANGES_PER_INSERT`] rows, and moves the counter past them.
/// Evaluates to the last position taken.
macro_rules! record_changes {
    ($conn:expr, $placeholders:expr, $last:expr, $now:expr, $changes:expr) => {{
        let last: i64 = $last;
        let mut position = last;
        for chunk in $changes.chunks($crate::store::changes::CHANGES_PER_INSERT) {
            let sql = $crate::store::changes::insert_changes_sql(chunk.len(), $placeholders);
            let mut query = sqlx::query(&sql);
            for change in chunk {
                position += 1;
                query = query
                    .bind(position)
                    .bind(change.reference)
                    .bind(change.version)
                    .bind(change.partner)
                    .bind(change.state)
                    .bind(change.partner_ref)
                    .bind($now);
            }
            query.execute(&mut *$conn).await?;
        }
        if position != last {
            sqlx::query($crate::store::changes::SET_COUNTER).bind(position).execute(&mut *$conn).await?;
        }
        position
    }};
}
pub(crate) use record_changes;

/// A time of the store's (Unix milliseconds) as RFC 3339.
pub fn iso_time(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// One delivery state change. No personal data: references, versions and partners only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeliveryChange {
    /// The change's place in the feed; ask for `after` it to go on.
    pub position: i64,
    pub decision_ref: String,
    pub version: u32,
    pub partner: String,
    /// `delivered`, `dead`, `superseded` or `retried` (put back by an operator).
    pub state: String,
    /// The partner's receipt reference, for `delivered`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_ref: Option<String>,
    pub changed_at: String,
}

/// Where one version stands at one partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PartnerDelivery {
    pub partner: String,
    /// `pending`, `delivered`, `superseded` or `dead`.
    pub state: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// When the next attempt is due, while pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
    /// The last failed attempt's code, e.g. `unavailable` or `rejected:http-400`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Why delivery stopped, for `dead`: `rejected` or `attempts-exhausted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_letter_reason: Option<String>,
}

/// One stored version of a decision with its deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub version: u32,
    pub status: gateway_domain::HouseholdStatus,
    #[serde(with = "gateway_domain::iso_date")]
    #[schema(value_type = gateway_domain::openapi::DecisionDate)]
    pub valid_from: time::Date,
    #[serde(with = "gateway_domain::iso_date::option")]
    #[schema(value_type = Option<gateway_domain::openapi::DecisionDate>)]
    pub valid_to: Option<time::Date>,
    pub received_at: String,
    pub partners: Vec<PartnerDelivery>,
}

/// Every stored version of a decision and where each stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DecisionView {
    pub decision_ref: String,
    pub versions: Vec<VersionView>,
}

type DeliveryRow = (i64, String, String, i64, i64, Option<String>, Option<i64>, Option<String>, Option<String>);
type ChangeRow = (i64, String, i64, String, String, Option<String>, i64);

const VERSIONS: &str =
    "SELECT version, payload, received_at FROM status_decisions WHERE decision_ref = $1 ORDER BY version";
const DELIVERIES: &str = "SELECT o.version, o.partner, o.state, o.attempts, o.next_attempt_at, o.partner_ref, \
     o.delivered_at, o.last_error, d.reason FROM outbox o LEFT JOIN dead_letters d \
     ON d.decision_ref = o.decision_ref AND d.version = o.version AND d.partner = o.partner \
     WHERE o.decision_ref = $1 AND o.kind = 'status_decision' ORDER BY o.version, o.partner";
/// Moves a consumer's cursor forward, never back.
const ADVANCE_CURSOR: &str = "INSERT INTO feed_cursors (consumer, position) VALUES ($1, $2) \
     ON CONFLICT (consumer) DO UPDATE SET position = excluded.position WHERE feed_cursors.position < excluded.position";
const COUNT_AFTER: &str = "SELECT COUNT(*) FROM delivery_changes WHERE position > $1";
const CHANGES: &str = "SELECT position, decision_ref, version, partner, state, partner_ref, changed_at \
     FROM delivery_changes WHERE position > $1 ORDER BY position LIMIT $2";

fn count(raw: i64) -> u32 {
    u32::try_from(raw).unwrap_or(u32::MAX)
}

impl Store {
    /// Every stored version of `decision_ref` with its deliveries; `None` when there is none.
    pub async fn decision_view(&self, decision_ref: &str) -> Result<Option<DecisionView>, StoreError> {
        let versions: Vec<(i64, String, i64)> =
            on_pool!(self, pool => sqlx::query_as(VERSIONS).bind(decision_ref).fetch_all(pool).await?);
        if versions.is_empty() {
            return Ok(None);
        }
        let deliveries: Vec<DeliveryRow> =
            on_pool!(self, pool => sqlx::query_as(DELIVERIES).bind(decision_ref).fetch_all(pool).await?);
        let versions = versions
            .into_iter()
            .map(|(version, payload, received_at)| {
                let decision: StatusDecision =
                    serde_json::from_str(&payload).map_err(|_| StoreError::Corrupt("decision payload".into()))?;
                let partners = deliveries
                    .iter()
                    .filter(|row| row.0 == version)
                    .map(|(_, partner, state, attempts, next, partner_ref, delivered_at, last_error, reason)| {
                        PartnerDelivery {
                            partner: partner.clone(),
                            state: state.clone(),
                            attempts: count(*attempts),
                            next_attempt_at: (state == "pending").then(|| iso_time(*next)),
                            partner_ref: partner_ref.clone(),
                            delivered_at: delivered_at.map(iso_time),
                            last_error: last_error.clone(),
                            dead_letter_reason: reason.clone(),
                        }
                    })
                    .collect();
                Ok(VersionView {
                    version: count(version),
                    status: decision.status,
                    valid_from: decision.valid_from,
                    valid_to: decision.valid_to,
                    received_at: iso_time(received_at),
                    partners,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(DecisionView { decision_ref: decision_ref.to_owned(), versions }))
    }

    /// How many changes there are after position `after`.
    pub async fn count_changes_after(&self, after: i64) -> Result<u64, StoreError> {
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(COUNT_AFTER).bind(after).fetch_one(pool).await?);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Up to `limit` changes after position `after`, in order.
    pub async fn changes_after(&self, after: i64, limit: u32) -> Result<Vec<DeliveryChange>, StoreError> {
        let rows: Vec<ChangeRow> = on_pool!(self, pool => sqlx::query_as(CHANGES)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(position, decision_ref, version, partner, state, partner_ref, changed_at)| DeliveryChange {
                position,
                decision_ref,
                version: count(version),
                partner,
                state,
                partner_ref,
                changed_at: iso_time(changed_at),
            })
            .collect())
    }
}

impl Store {
    /// The position of the last change `consumer` acknowledged (0 before the first).
    pub async fn feed_cursor(&self, consumer: &str) -> Result<i64, StoreError> {
        let position: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT position FROM feed_cursors WHERE consumer = $1"
        )
        .bind(consumer)
        .fetch_optional(pool)
        .await?);
        Ok(position.unwrap_or(0))
    }

    /// Moves `consumer`'s cursor forward to `position` (never back).
    pub async fn advance_feed_cursor(&self, consumer: &str, position: i64) -> Result<(), StoreError> {
        let _turn = self.writing().await?;
        on_writer!(self, pool => sqlx::query(
            ADVANCE_CURSOR
        )
        .bind(consumer)
        .bind(position)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Records that `consumer` refused the change at `position` for good, and moves past it,
    /// in one transaction.
    pub async fn dead_letter_feed_change(&self, consumer: &str, position: i64, reason: &str) -> Result<(), StoreError> {
        let _turn = self.writing().await?;
        let now = super::now_ms();
        on_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO feed_dead_letters (consumer, position, reason, dead_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (consumer, position) DO NOTHING",
            )
            .bind(consumer)
            .bind(position)
            .bind(reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                ADVANCE_CURSOR,
            )
            .bind(consumer)
            .bind(position)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Positions `consumer` refused for good, with the reason, oldest first.
    pub async fn feed_dead_letters(&self, consumer: &str) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT position, reason FROM feed_dead_letters WHERE consumer = $1 ORDER BY position"
        )
        .bind(consumer)
        .fetch_all(pool)
        .await?))
    }
}
