//! The `[status_sync]` section: schedule, retries, leases and each partner's quota.

use std::collections::BTreeMap;
use std::time::Duration;

use gateway_domain::{Referral, System};
use serde::Deserialize;

/// The partners the outbox delivers to: the adapters' list of partners (DigiSoc takes referrals,
/// every other one status decisions).
pub const PARTNERS: &[System] = gateway_adapters::PartnersConfig::SYSTEMS;

/// How and when decisions are delivered. Every field has a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StatusSyncConfig {
    /// When `gateway serve` runs a sync: a cron expression with seconds
    /// (`sec min hour day month weekday`), default `0 0 2 * * *` (nightly at 02:00).
    pub schedule: String,
    /// The time zone of `schedule` (IANA name), default `Europe/Riga`.
    pub timezone: String,
    /// Attempts per decision and partner before it becomes a dead letter (default 8).
    pub max_attempts: u32,
    /// Wait before the first retry, in milliseconds (default 1000); doubles per attempt, jittered.
    pub base_backoff_ms: u64,
    /// Longest wait between attempts, in milliseconds (default 300000).
    pub max_backoff_ms: u64,
    /// How long a claimed row stays with the instance that claimed it, in seconds (default 60).
    /// A row of an instance that died is delivered by another once its lease ends.
    pub lease_secs: u64,
    /// Rows claimed at once (default 100).
    pub batch_size: u32,
    /// Deliveries in flight at once per partner. Default: what the partner's quota keeps busy
    /// at 25 ms a delivery (its `per_second` / 40), at least 8 and at most 256.
    pub concurrency: Option<usize>,
    /// Longest time one delivery may take, in milliseconds (default 10000).
    pub delivery_timeout_ms: u64,
    /// Within one run, retries that come due within this many seconds are waited for; later
    /// ones are left for the next run (default 30).
    pub linger_secs: u64,
    /// Requests are sent only between this many milliseconds after the start of a second and
    /// this many before its end (default 150), so that clock skew and transit time never move a
    /// request into a second the partner counts against another instance's quota.
    pub quota_margin_ms: u64,
    /// The partners the outbox delivers to, with their quotas (default: every partner of the
    /// adapters' list, [`PARTNERS`], at 20 requests per second).
    pub partners: BTreeMap<System, PartnerConfig>,
}

/// One partner's delivery settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerConfig {
    /// Requests per second the partner allows from all gateway instances together (default 20).
    #[serde(default = "default_per_second")]
    pub per_second: u32,
}

fn default_per_second() -> u32 {
    20
}

impl Default for PartnerConfig {
    fn default() -> Self {
        Self { per_second: default_per_second() }
    }
}

impl Default for StatusSyncConfig {
    fn default() -> Self {
        Self {
            schedule: "0 0 2 * * *".into(),
            timezone: "Europe/Riga".into(),
            max_attempts: 8,
            base_backoff_ms: 1_000,
            max_backoff_ms: 300_000,
            lease_secs: 60,
            batch_size: 100,
            concurrency: None,
            delivery_timeout_ms: 10_000,
            linger_secs: 30,
            quota_margin_ms: 150,
            partners: PARTNERS.iter().map(|p| (*p, PartnerConfig::default())).collect(),
        }
    }
}

/// Why the `[status_sync]` settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StatusSyncConfigError {
    #[error("status_sync.schedule is not a valid cron expression (sec min hour day month weekday)")]
    Schedule,
    #[error("status_sync.timezone is not a known time zone")]
    Timezone,
    #[error("status_sync.partners.{0} does not receive status decisions")]
    NotAPartner(System),
    #[error("status_sync.{0} must be at least 1")]
    Zero(&'static str),
    #[error("status_sync.quota_margin_ms must be under 500")]
    Margin,
}

impl StatusSyncConfig {
    /// The partners that get an outbox row per decision: every partner but the one referrals
    /// go to.
    pub fn partner_systems(&self) -> Vec<System> {
        self.partners.keys().copied().filter(|p| *p != Referral::RECIPIENT).collect()
    }

    /// Deliveries in flight at once to a partner allowing `per_second` requests.
    pub fn concurrency(&self, per_second: u32) -> usize {
        self.concurrency.unwrap_or_else(|| (per_second as usize / 40).clamp(8, 256))
    }

    pub fn lease(&self) -> Duration {
        Duration::from_secs(self.lease_secs.max(1))
    }

    /// Checks what types cannot.
    pub fn validate(&self) -> Result<(), StatusSyncConfigError> {
        self.cron()?;
        self.tz()?;
        if let Some(other) = self.partners.keys().find(|p| !PARTNERS.contains(p)) {
            return Err(StatusSyncConfigError::NotAPartner(*other));
        }
        if self.max_attempts == 0 {
            return Err(StatusSyncConfigError::Zero("max_attempts"));
        }
        if self.batch_size == 0 {
            return Err(StatusSyncConfigError::Zero("batch_size"));
        }
        if self.concurrency == Some(0) {
            return Err(StatusSyncConfigError::Zero("concurrency"));
        }
        if self.partners.values().any(|p| p.per_second == 0) {
            return Err(StatusSyncConfigError::Zero("partners.*.per_second"));
        }
        if self.quota_margin_ms >= 500 {
            return Err(StatusSyncConfigError::Margin);
        }
        Ok(())
    }

    pub fn cron(&self) -> Result<cron::Schedule, StatusSyncConfigError> {
        self.schedule.parse().map_err(|_| StatusSyncConfigError::Schedule)
    }

    pub fn tz(&self) -> Result<chrono_tz::Tz, StatusSyncConfigError> {
        self.timezone.parse().map_err(|_| StatusSyncConfigError::Timezone)
    }
}
