//! The sync report: what one run did per partner, as a table for people and JSON for machines.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use gateway_domain::System;
use serde::Serialize;

/// What one run did for one partner.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PartnerReport {
    pub partner: Option<System>,
    /// Confirmed by the partner in this run.
    pub delivered: u64,
    /// Of those, how many the partner said it had already accepted (a repeat after a crash).
    pub duplicates: u64,
    /// Attempts that failed for now and were scheduled again.
    pub retried: u64,
    /// Given back unsent, without spending an attempt, while the partner's breaker was open.
    pub shed: u64,
    /// Claimed but given back unsent, without spending an attempt, because the run was stopped
    /// (SIGTERM); the next run delivers them without waiting for a lease to end.
    pub released: u64,
    /// Moved to dead letters in this run.
    pub dead_lettered: u64,
    /// Still pending when the run ended (retries due later, or no adapter).
    pub left_for_later: u64,
    /// Why the partner's worker stopped early, if it did (no personal data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What one run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Start and end, RFC 3339.
    pub started_at: String,
    pub finished_at: String,
    pub elapsed_ms: u64,
    pub partners: Vec<PartnerReport>,
    /// The push of delivery changes to the case system, when configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_system: Option<super::case_system::PushReport>,
    /// The pull of providers' execution reports from DigiSoc, when it is configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_reports: Option<ReportPullOutcome>,
    /// The run was stopped (SIGTERM) before it ran out of due rows: what was in flight was
    /// finished, the rest released; the push to the case system and the pull of execution
    /// reports were left to the next run.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

/// What the run's pull of execution reports did, or why it stopped.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportPullOutcome {
    #[serde(flatten)]
    pub summary: crate::providers::pull::PullSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl SyncReport {
    /// Whether every partner's worker ran to its end.
    pub fn is_clean(&self) -> bool {
        self.partners.iter().all(|p| p.error.is_none())
            && self.case_system.as_ref().is_none_or(|c| c.error.is_none())
            && self.execution_reports.as_ref().is_none_or(|r| r.error.is_none())
    }

    pub fn total(&self) -> PartnerReport {
        self.partners.iter().fold(PartnerReport::default(), |mut sum, p| {
            sum.delivered += p.delivered;
            sum.duplicates += p.duplicates;
            sum.retried += p.retried;
            sum.dead_lettered += p.dead_lettered;
            sum.released += p.released;
            sum.left_for_later += p.left_for_later;
            sum
        })
    }

    /// The report as a table, one row per partner and a total.
    pub fn table(&self) -> Table {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_header([
            "partner",
            "delivered",
            "duplicates",
            "retried",
            "dead-lettered",
            "left for later",
            "error",
        ]);
        let row = |name: &str, p: &PartnerReport| {
            vec![
                name.to_owned(),
                p.delivered.to_string(),
                p.duplicates.to_string(),
                p.retried.to_string(),
                p.dead_lettered.to_string(),
                p.left_for_later.to_string(),
                p.error.clone().unwrap_or_default(),
            ]
        };
        for p in &self.partners {
            table.add_row(row(p.partner.map_or("?", System::key), p));
        }
        table.add_row(row("total", &self.total()));
        if let Some(push) = &self.case_system {
            table.add_row(vec![
                "case system (changes)".to_owned(),
                push.delivered.to_string(),
                String::new(),
                push.retried.to_string(),
                push.dead_lettered.to_string(),
                push.left_for_later.to_string(),
                push.error.clone().unwrap_or_default(),
            ]);
        }
        table
    }
}
