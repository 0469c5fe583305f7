//! Pushing the delivery feed to the case system (`[case_system] webhook_url`), so that polling
//! `GET /v1/deliveries` becomes optional. Each change is POSTed as JSON with an
//! `Idempotency-Key` (its feed position) and an `X-Gateway-Signature` header: `sha256=` and the
//! hex HMAC-SHA256 of the body under `webhook_secret`. The consumer's cursor moves past a change
//! only after the case system acknowledged it (2xx) or refused it for good (4xx other than 408
//! and 429, kept as a dead letter), so nothing is lost while the case system is down and a
//! crash between answer and cursor repeats one change under the same key. Transient failures
//! retry with the sync's backoff, `max_attempts` per run; the rest waits for the next run.
//!
//! The feed (`delivery_changes`) is this consumer's outbox: rows in commit order, written in
//! the same transactions as the state changes they describe, and the cursor is its claim.

use std::time::Duration;

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::StatusSyncConfig;
use super::worker::backoff;
use crate::store::{DeliveryChange, Store, StoreError};

/// The feed consumer name the case system's cursor is kept under.
pub const CONSUMER: &str = "case_system_webhook";

/// The header carrying the body's signature.
pub const SIGNATURE_HEADER: &str = "x-gateway-signature";

/// `[case_system]`: where to push delivery changes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseSystemConfig {
    /// The case system's endpoint for delivery changes (POST, JSON).
    pub webhook_url: String,
    /// The key of the HMAC-SHA256 signature over each body.
    pub webhook_secret: SecretString,
    /// Attempts per change in one run before it waits for the next run (default 5).
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// Longest time one push may take, in milliseconds (default 5000).
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
}

fn default_max_attempts() -> u32 {
    5
}

fn default_timeout_ms() -> u64 {
    5_000
}

/// What one push run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PushReport {
    pub delivered: u64,
    pub retried: u64,
    pub dead_lettered: u64,
    /// Changes still to push when the run ended.
    pub left_for_later: u64,
    /// Why the run stopped early (the case system kept failing, or the store did).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The signature header's value for `body`.
pub fn signature(secret: &SecretString, body: &[u8]) -> String {
    // HMAC takes a key of any length; this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// How one push ended.
enum Outcome {
    Acknowledged,
    Refused(String),
    Failed { code: String, retry_after: Option<Duration> },
}

/// Pushes the feed to the case system.
#[derive(Clone)]
pub struct CaseSystemPush {
    config: CaseSystemConfig,
    client: reqwest::Client,
}

impl CaseSystemPush {
    pub fn new(config: CaseSystemConfig) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(Duration::from_millis(config.timeout_ms))
            .user_agent(concat!("registry-gateway/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { config, client })
    }

    async fn push(&self, change: &DeliveryChange) -> Outcome {
        let body = match serde_json::to_vec(change) {
            Ok(body) => body,
            Err(_) => return Outcome::Refused("serialisation".into()),
        };
        let request = self
            .client
            .post(&self.config.webhook_url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", format!("delivery-change-{}", change.position))
            .header(SIGNATURE_HEADER, signature(&self.config.webhook_secret, &body))
            .body(body);
        match request.send().await {
            Ok(response) if response.status().is_success() => Outcome::Acknowledged,
            Ok(response) => {
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let code = format!("http-{}", status.as_u16());
                if status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429 {
                    Outcome::Failed { code, retry_after }
                } else {
                    Outcome::Refused(format!("rejected:{code}"))
                }
            }
            Err(error) => {
                let code = if error.is_timeout() { "timeout" } else { "unavailable" };
                Outcome::Failed { code: code.into(), retry_after: None }
            }
        }
    }

    /// Pushes every change after the saved cursor, in order.
    pub async fn run_once(&self, store: &Store, sync: &StatusSyncConfig) -> PushReport {
        let mut report = PushReport::default();
        if let Err(error) = self.drain(store, sync, &mut report).await {
            tracing::error!(error = %error, "Pushing delivery changes stopped: the store failed.");
            report.error = Some("the store failed".into());
        }
        if let Ok(cursor) = store.feed_cursor(CONSUMER).await {
            report.left_for_later = store.count_changes_after(cursor).await.unwrap_or(0);
        }
        report
    }

    async fn drain(&self, store: &Store, sync: &StatusSyncConfig, report: &mut PushReport) -> Result<(), StoreError> {
        let mut cursor = store.feed_cursor(CONSUMER).await?;
        loop {
            let page = store.changes_after(cursor, 100).await?;
            if page.is_empty() {
                return Ok(());
            }
            for change in page {
                let mut attempts = 0;
                loop {
                    attempts += 1;
                    match self.push(&change).await {
                        Outcome::Acknowledged => {
                            store.advance_feed_cursor(CONSUMER, change.position).await?;
                            report.delivered += 1;
                            break;
                        }
                        Outcome::Refused(reason) => {
                            tracing::warn!(position = change.position, reason = %reason, "The case system refused a delivery change.");
                            store.dead_letter_feed_change(CONSUMER, change.position, &reason).await?;
                            report.dead_lettered += 1;
                            break;
                        }
                        Outcome::Failed { code, .. } if attempts >= self.config.max_attempts.max(1) => {
                            tracing::warn!(position = change.position, code = %code, "The case system is not taking delivery changes; the rest waits for the next run.");
                            report.error = Some(format!("the case system failed: {code}"));
                            return Ok(());
                        }
                        Outcome::Failed { retry_after, .. } => {
                            report.retried += 1;
                            tokio::time::sleep(backoff(sync, attempts, retry_after)).await;
                        }
                    }
                }
                cursor = change.position;
            }
        }
    }
}
