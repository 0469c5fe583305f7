//! DigiSoc service-provider reporting: referrals go out through the outbox, providers'
//! execution reports come back by a nightly pull, invoices are imported from files, and the
//! reconciliation holds the three against each other and against the rules.

pub mod cli;
pub mod invoices;
pub mod pull;
pub mod reconcile;
pub mod referrals;
pub mod rules;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

use serde::Deserialize;

pub use reconcile::{Finding, FindingKind, ProviderReport, ProviderRow, reconcile};
pub use rules::{ProviderRules, ProviderRulesError};

use crate::store::{Store, StoreError};

/// The `[providers]` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProvidersConfig {
    /// A rules file replacing the shipped `config/provider-rules.toml` whole.
    pub rules_file: Option<PathBuf>,
    /// Reports asked for per page of the pull (default 200, at most 500).
    pub page_size: u32,
    /// Longest time one page may take, in milliseconds (default 30000).
    pub page_timeout_ms: u64,
}

impl Default for ProvidersConfig {
    fn default() -> Self {
        Self { rules_file: None, page_size: 200, page_timeout_ms: 30_000 }
    }
}

/// The month's reconciliation from what the store holds, optionally of one provider only.
pub async fn provider_report(
    store: &Store,
    rules: &ProviderRules,
    month: gateway_domain::Month,
    provider: Option<&str>,
) -> Result<ProviderReport, StoreError> {
    let (from, to) = reconcile::window(month);
    let referrals = store.latest_referrals().await?;
    let reports = store.reports_between(from, to).await?;
    let invoices = store.invoices(month).await?;
    // Limits per client and household count every provider's reports; one provider's view is
    // cut from the whole.
    let mut report = reconcile(month, &referrals, &reports, &invoices, rules);
    if let Some(provider) = provider {
        report.rows.retain(|r| r.provider == provider);
        report.findings.retain(|f| f.provider == provider);
    }
    Ok(report)
}
