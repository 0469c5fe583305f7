//! Pulling execution reports from DigiSoc: page after page from the stored cursor, each page
//! stored with the cursor after it in one transaction, so that a crash mid-pull neither loses
//! nor doubles a report; the rerun goes on from the last page committed.

use std::time::{Duration, Instant};

use gateway_domain::{Purpose, ReferralChannel, RequestContext, RequestId, SourceError};
use indicatif::ProgressBar;
use serde::Serialize;

use crate::store::{Store, StoreError};

/// The cursor's name in the store.
pub const SOURCE: &str = "digisoc-execution-reports";

const LEGAL_BASIS: &str =
    "Social Services and Social Assistance Law, art. 9: supervising the social services a provider delivers";

/// What one pull did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PullSummary {
    pub pages: u64,
    /// Report revisions stored for the first time.
    pub stored: u64,
    /// Revisions read again (a repeated report, or a page read again after a crash).
    pub repeated: u64,
}

/// Why a pull stopped; what was committed before stays.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error("DigiSoc did not answer the reports: {0}")]
    Source(#[from] SourceError),
    /// A report of the page is not valid; the page is not stored and the pull stops there.
    #[error("DigiSoc sent a report that is not valid ({0}); the page was not stored")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Pulls every page DigiSoc has after the stored cursor, `page_size` reports at a time.
pub async fn pull_reports(
    store: &Store,
    channel: &dyn ReferralChannel,
    page_size: u32,
    timeout: Duration,
    progress: &ProgressBar,
) -> Result<PullSummary, PullError> {
    let mut summary = PullSummary::default();
    loop {
        let cursor = store.pull_cursor(SOURCE).await?;
        let ctx = RequestContext {
            request_id: RequestId::new(),
            purpose: Purpose::SocialAssistance,
            legal_basis: LEGAL_BASIS.into(),
            officer: "reports-pull".into(),
            deadline: Instant::now() + timeout,
        };
        let page = channel.reports(cursor.as_deref(), page_size, &ctx).await?;
        if let Some(error) = page.reports.iter().find_map(|r| r.validate().err()) {
            return Err(PullError::Invalid(error.field));
        }
        let stored = store.store_report_page(SOURCE, &page.reports, &page.next_cursor).await?;
        summary.pages += 1;
        summary.stored += stored.stored;
        summary.repeated += stored.repeated;
        progress.inc(page.reports.len() as u64);
        tracing::debug!(reports = page.reports.len(), stored = stored.stored, "Stored a page of execution reports.");
        if !page.more || page.reports.is_empty() {
            break;
        }
    }
    tracing::info!(
        pages = summary.pages,
        stored = summary.stored,
        repeated = summary.repeated,
        "Execution reports pulled."
    );
    Ok(summary)
}
