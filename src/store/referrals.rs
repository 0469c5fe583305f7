//! What the reconciliation of service providers' work rests on: the referrals sent, the
//! execution reports pulled from DigiSoc (every revision, each once, with the pull's cursor in
//! the same transaction as its page) and the providers' invoices.

use gateway_domain::{ExecutionReport, Month, PersonCode, Referral, ServiceType};
use serde::Serialize;

use super::{Store, StoreError, now_ms, on_pool, on_writer};

/// What storing one page of reports did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PulledPage {
    /// Revisions not stored before.
    pub stored: u64,
    /// Revisions stored before (a repeated report, or a page read again after a crash).
    pub repeated: u64,
}

/// A stored report revision; `superseded` when a higher revision of its report is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    pub report: ExecutionReport,
    pub superseded: bool,
}

/// One line of a provider's invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invoice {
    pub provider: String,
    pub month: Month,
    pub person: PersonCode,
    pub service: ServiceType,
    pub amount_cents: i64,
    /// The file it came from, and its line there.
    pub source: String,
    pub line: u64,
}

const INSERT_REPORT: &str = "INSERT INTO execution_reports (report_id, revision, month, provider, payload, received_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (report_id, revision) DO NOTHING";
const SAVE_CURSOR: &str = "INSERT INTO pull_cursors (source, position, updated_at) VALUES ($1, $2, $3) \
     ON CONFLICT (source) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at";
const UPSERT_INVOICE: &str = "INSERT INTO invoices (provider, month, person, service, amount_cents, source, line, imported_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (provider, month, person, service) DO UPDATE SET \
     amount_cents = excluded.amount_cents, source = excluded.source, line = excluded.line, imported_at = excluded.imported_at";

fn corrupt(what: &str) -> impl Fn(serde_json::Error) -> StoreError + '_ {
    move |_| StoreError::Corrupt(what.into())
}

impl Store {
    /// Where the pull from `source` goes on from; `None` before the first page.
    pub async fn pull_cursor(&self, source: &str) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar("SELECT position FROM pull_cursors WHERE source = $1")
            .bind(source)
            .fetch_optional(pool)
            .await?))
    }

    /// Stores a page of report revisions and the cursor after it in one transaction: a crash
    /// before the commit leaves neither, so the page is read again; after, both.
    pub async fn store_report_page(
        &self,
        source: &str,
        reports: &[ExecutionReport],
        next_cursor: &str,
    ) -> Result<PulledPage, StoreError> {
        let _turn = self.writing().await?;
        let now = now_ms();
        let mut page = PulledPage::default();
        on_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            for report in reports {
                let payload = serde_json::to_string(report).map_err(corrupt("report"))?;
                let inserted = sqlx::query(INSERT_REPORT)
                    .bind(&report.report_id)
                    .bind(i64::from(report.revision))
                    .bind(report.month.to_string())
                    .bind(&report.provider)
                    .bind(payload)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if inserted == 1 { page.stored += 1 } else { page.repeated += 1 }
            }
            sqlx::query(SAVE_CURSOR).bind(source).bind(next_cursor).bind(now).execute(&mut *tx).await?;
            self.ensure_same_file()?;
            tx.commit().await?;
        });
        Ok(page)
    }

    /// Every stored revision of reports for the months `from..=to`, oldest month first.
    pub async fn reports_between(&self, from: Month, to: Month) -> Result<Vec<StoredReport>, StoreError> {
        let rows: Vec<(String, i64, Option<i64>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT r.payload, r.revision, (SELECT MAX(n.revision) FROM execution_reports n \
             WHERE n.report_id = r.report_id) FROM execution_reports r \
             WHERE r.month >= $1 AND r.month <= $2 ORDER BY r.month, r.report_id, r.revision"
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(payload, revision, latest)| {
                let report: ExecutionReport = serde_json::from_str(&payload).map_err(corrupt("report"))?;
                Ok(StoredReport { report, superseded: latest.is_some_and(|latest| revision < latest) })
            })
            .collect()
    }

    /// How many report revisions are stored.
    pub async fn report_revisions(&self) -> Result<u64, StoreError> {
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM execution_reports")
            .fetch_one(pool)
            .await?);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The latest version of every referral.
    pub async fn latest_referrals(&self) -> Result<Vec<Referral>, StoreError> {
        let rows: Vec<(String,)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT payload FROM referrals r WHERE version = \
             (SELECT MAX(version) FROM referrals n WHERE n.referral_ref = r.referral_ref) ORDER BY referral_ref"
        )
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|(payload,)| serde_json::from_str(&payload).map_err(corrupt("referral"))).collect()
    }

    /// Stores invoice lines in one transaction; a line of a provider, month, person and service
    /// invoiced before replaces it. Returns how many lines were stored.
    pub async fn import_invoices(&self, invoices: &[Invoice]) -> Result<u64, StoreError> {
        let _turn = self.writing().await?;
        let now = now_ms();
        on_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            for invoice in invoices {
                sqlx::query(UPSERT_INVOICE)
                    .bind(&invoice.provider)
                    .bind(invoice.month.to_string())
                    .bind(invoice.person.as_str())
                    .bind(invoice.service.key())
                    .bind(invoice.amount_cents)
                    .bind(&invoice.source)
                    .bind(i64::try_from(invoice.line).unwrap_or(i64::MAX))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            self.ensure_same_file()?;
            tx.commit().await?;
        });
        Ok(invoices.len() as u64)
    }

    /// The invoice lines of `month`.
    pub async fn invoices(&self, month: Month) -> Result<Vec<Invoice>, StoreError> {
        type Row = (String, String, String, String, i64, String, i64);
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT provider, month, person, service, amount_cents, source, line FROM invoices \
             WHERE month = $1 ORDER BY provider, person, service"
        )
        .bind(month.to_string())
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(provider, month, person, service, amount_cents, source, line)| {
                let bad = |what: &str| StoreError::Corrupt(format!("invoice {what}"));
                Ok(Invoice {
                    provider,
                    month: Month::parse(&month).map_err(|_| bad("month"))?,
                    person: PersonCode::parse(&person).map_err(|_| bad("person"))?,
                    service: ServiceType::from_key(&service).ok_or_else(|| bad("service"))?,
                    amount_cents,
                    source,
                    line: u64::try_from(line).unwrap_or(0),
                })
            })
            .collect()
    }
}
