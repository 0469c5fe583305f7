//! The audit log: who asked which registry about whom, for what purpose and on what legal
//! basis, and what came of it. Every question about a person is recorded before it is asked:
//! an income check whose entries cannot be written asks nothing more and is refused. (The
//! cadastre is asked by cadastral number, never by person; its questions are recorded with
//! the answers.) Entries from concurrent checks are written together, one transaction per
//! batch (a [`GroupCommit`]), so that auditing costs a check one commit's wait, not one per question.

pub mod chain;
pub mod cli;

use std::sync::Arc;

pub use chain::{AuditKey, Break, Entry, Linked, Verified};
use gateway_domain::{Membership, PersonCode, RequestContext, System};
use serde::Deserialize;

use crate::group_commit::GroupCommit;
use crate::store::{Store, now_ms};

/// Entries one transaction writes at most.
const MAX_BATCH: usize = 1_000;

/// The `[audit]` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// The key (at least 32 characters) personal codes are hashed and the chain is linked
    /// with; set it through `GATEWAY_AUDIT__KEY`. Without it, each process makes its own, and
    /// an earlier process's entries can no longer be found by person or verified.
    #[serde(default)]
    pub key: Option<secrecy::SecretString>,
    /// How long entries are kept, in days (default 1825): `gateway audit prune` removes none
    /// younger.
    #[serde(default = "default_retention_days")]
    pub retention_days: u32,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self { key: None, retention_days: default_retention_days() }
    }
}

fn default_retention_days() -> u32 {
    1825
}

/// The smallest audit key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

impl AuditConfig {
    /// The configured key; the commands that read the log need it.
    pub fn configured_key(&self) -> Result<AuditKey, String> {
        match &self.key {
            None => {
                Err("audit.key is not set (GATEWAY_AUDIT__KEY): entries cannot be found or verified without it".into())
            }
            Some(_) => self.key(),
        }
    }

    /// The configured key or, when none is set, the process's own random one (with a warning).
    pub fn key(&self) -> Result<AuditKey, String> {
        use secrecy::ExposeSecret;
        match &self.key {
            Some(key) if key.expose_secret().len() < MIN_KEY_BYTES => {
                Err(format!("audit.key must be at least {MIN_KEY_BYTES} characters"))
            }
            Some(key) => Ok(AuditKey::new(key.expose_secret().as_bytes())),
            None => {
                // One key for the whole process: the API's writer and the sync's extend one
                // chain, and find one person under one hash.
                static PROCESS_KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
                let bytes = PROCESS_KEY.get_or_init(|| {
                    tracing::warn!("No audit.key: this process hashes with a key of its own; set GATEWAY_AUDIT__KEY.");
                    rand::random()
                });
                Ok(AuditKey::new(bytes))
            }
        }
    }
}

/// The audit log could not be written; nothing was asked.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the audit log cannot be written")]
pub struct AuditUnavailable;

/// The handle every writer of entries shares; clones share one writer task.
#[derive(Clone)]
pub struct AuditLog {
    key: Arc<AuditKey>,
    /// Each entry's answer: whether the transaction it was in committed.
    writer: GroupCommit<Entry, bool>,
}

impl AuditLog {
    /// Starts the writer over `store`.
    pub fn start(store: Store, key: AuditKey) -> Self {
        let key = Arc::new(key);
        let chain_key = key.clone();
        let writer = GroupCommit::start(MAX_BATCH, move |entries: Vec<Entry>| {
            let (store, key) = (store.clone(), chain_key.clone());
            async move {
                let written = match store.append_audit(&key, &entries).await {
                    Ok(()) => true,
                    Err(error) => {
                        tracing::error!(error = %error, entries = entries.len(), "The audit log could not be written.");
                        false
                    }
                };
                vec![written; entries.len()]
            }
        });
        Self { key, writer }
    }

    pub fn key(&self) -> &AuditKey {
        &self.key
    }

    pub fn person_hash(&self, code: &PersonCode) -> String {
        self.key.person_hash(code.as_str())
    }

    /// Writes `entries`; returns once they are committed.
    pub async fn record(&self, entries: Vec<Entry>) -> Result<(), AuditUnavailable> {
        if entries.is_empty() {
            return Ok(());
        }
        let count = entries.len();
        match self.writer.submit(entries).await {
            Some(written) if written.len() == count && written.iter().all(|w| *w) => Ok(()),
            _ => Err(AuditUnavailable),
        }
    }
}

/// Who asks and why: what every entry of one request shares.
#[derive(Debug, Clone, Default)]
pub struct Asker {
    pub caller: String,
    pub institution: Option<String>,
    pub case_ref: Option<String>,
}

/// The entries of one request.
pub struct Scope<'a> {
    pub log: &'a AuditLog,
    pub asker: &'a Asker,
    pub ctx: &'a RequestContext,
    /// The person hashes made so far: a request names each person in many entries.
    hashes: std::sync::Mutex<Vec<(PersonCode, String)>>,
}

/// How a person stands to the applicant, as the audit log records it.
pub fn co_resident(membership: Membership) -> &'static str {
    match membership {
        Membership::Applicant => "applicant",
        Membership::DeclaredResident => "declared",
        Membership::Named => "named",
    }
}

impl<'a> Scope<'a> {
    pub fn new(log: &'a AuditLog, asker: &'a Asker, ctx: &'a RequestContext) -> Self {
        Self { log, asker, ctx, hashes: std::sync::Mutex::new(Vec::new()) }
    }

    fn person_hash(&self, person: &PersonCode) -> String {
        let mut hashes = self.hashes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, hash)) = hashes.iter().find(|(known, _)| known == person) {
            return hash.clone();
        }
        let hash = self.log.person_hash(person);
        hashes.push((person.clone(), hash.clone()));
        hash
    }

    /// One entry about `person`.
    pub fn entry(
        &self,
        system: System,
        topic: &str,
        event: &str,
        outcome: &str,
        person: &PersonCode,
        co_resident: &str,
    ) -> Entry {
        Entry {
            at_ms: now_ms(),
            request_id: self.ctx.request_id.to_string(),
            caller: self.asker.caller.clone(),
            institution: self.asker.institution.clone().unwrap_or_default(),
            officer: self.ctx.officer.clone(),
            purpose: self.ctx.purpose.code().to_owned(),
            legal_basis: self.ctx.legal_basis.clone(),
            case_ref: self.asker.case_ref.clone().unwrap_or_default(),
            system: system.key().to_owned(),
            topic: topic.to_owned(),
            event: event.to_owned(),
            outcome: outcome.to_owned(),
            person_hash: self.person_hash(person),
            co_resident: co_resident.to_owned(),
        }
    }

    pub async fn record(&self, entries: Vec<Entry>) -> Result<(), AuditUnavailable> {
        self.log.record(entries).await
    }
}
#[cfg(test)]
mod tests;
