//! `gateway audit`: verify the chain, print its head, prune old entries, and find every
//! question about one person.

use std::path::PathBuf;

use anyhow::Context;
use gateway_domain::PersonCode;

use super::chain::{self, AuditKey, Linked};
use crate::config::Config;
use crate::store::{Store, iso_time, now_ms};

/// Entries read at once while verifying.
const PAGE: i64 = 10_000;

#[derive(clap::Subcommand)]
pub enum AuditCommand {
    /// Check that no entry was edited, deleted or reordered; exits 1 and names the first that
    /// was. With --expect-head, also that the chain still holds that head (a kept copy of
    /// `audit head`), so that a truncated tail is caught too.
    Verify {
        #[arg(long, short, default_value = "config/gateway.toml", env = "GATEWAY_CONFIG")]
        config: PathBuf,
        #[arg(long)]
        expect_head: Option<String>,
    },
    /// Print the chain's head (seq and hash): keep it elsewhere for `verify --expect-head`.
    Head {
        #[arg(long, short, default_value = "config/gateway.toml", env = "GATEWAY_CONFIG")]
        config: PathBuf,
    },
    /// Remove entries older than DATE (YYYY-MM-DD), leaving a checkpoint the rest verifies
    /// from; refused for entries younger than `audit.retention_days`.
    Prune {
        #[arg(long, short, default_value = "config/gateway.toml", env = "GATEWAY_CONFIG")]
        config: PathBuf,
        #[arg(long, value_parser = date)]
        before: time::Date,
    },
    /// Every question about one person: when, by whom, for what purpose and case, which
    /// registry, and what came of it. Never the facts.
    Find {
        #[arg(long, short, default_value = "config/gateway.toml", env = "GATEWAY_CONFIG")]
        config: PathBuf,
        /// The personal code, in either format.
        #[arg(long)]
        person: String,
    },
}

impl AuditCommand {
    /// The configuration file the command reads.
    pub fn config_path(&self) -> &std::path::Path {
        match self {
            AuditCommand::Verify { config, .. }
            | AuditCommand::Head { config }
            | AuditCommand::Prune { config, .. }
            | AuditCommand::Find { config, .. } => config,
        }
    }
}

fn date(raw: &str) -> Result<time::Date, String> {
    gateway_domain::parse_iso_date(raw).ok_or_else(|| "write the date YYYY-MM-DD".to_owned())
}

async fn open(path: &std::path::Path) -> anyhow::Result<(Config, Store, AuditKey)> {
    let config = Config::load(path)?;
    let key = config.audit.configured_key().map_err(anyhow::Error::msg)?;
    let store = Store::open(&config.store).await?;
    Ok((config, store, key))
}

/// Runs the command; `Ok(false)` when the chain does not hold.
pub async fn run(command: AuditCommand) -> anyhow::Result<bool> {
    match command {
        AuditCommand::Verify { config, expect_head } => {
            let (_, store, key) = open(&config).await?;
            let start = store.audit_start().await?;
            let head = store.audit_head().await?;
            let mut rows: Vec<Linked> = Vec::new();
            let mut after = start.0;
            loop {
                let page = store.audit_entries(after, PAGE).await?;
                let Some(last) = page.last() else { break };
                after = last.seq;
                rows.extend(page);
            }
            match chain::verify(&key, start, rows, head, expect_head.as_deref()) {
                Ok(verified) => {
                    println!("{}", serde_json::to_string_pretty(&verified)?);
                    eprintln!("The audit chain holds: {} entries up to {}.", verified.entries, verified.head_seq);
                    Ok(true)
                }
                Err(broken) => {
                    eprintln!("The audit chain is broken: {broken}.");
                    Ok(false)
                }
            }
        }
        AuditCommand::Head { config } => {
            let (_, store, _) = open(&config).await?;
            let (seq, hash) = store.audit_head().await?;
            println!("{seq} {hash}");
            Ok(true)
        }
        AuditCommand::Prune { config, before } => {
            let (config, store, _) = open(&config).await?;
            let before_ms = before.midnight().assume_utc().unix_timestamp() * 1000;
            let youngest = now_ms() - i64::from(config.audit.retention_days) * 86_400_000;
            anyhow::ensure!(
                before_ms <= youngest,
                "entries younger than audit.retention_days ({} days) are kept",
                config.audit.retention_days
            );
            let removed = store.audit_prune(before_ms).await?;
            eprintln!("Removed {removed} entries older than {before}; the rest verifies from the checkpoint.");
            Ok(true)
        }
        AuditCommand::Find { config, person } => {
            let (_, store, key) = open(&config).await?;
            let code = PersonCode::parse(&person).context("--person is not a personal code")?;
            let found = store.audit_find(&key.person_hash(code.as_str()), 0, i64::MAX).await?;
            println!("{}", serde_json::to_string_pretty(&found.iter().map(access_record).collect::<Vec<_>>())?);
            eprintln!("{} entries.", found.len());
            Ok(true)
        }
    }
}

/// One question about a person, as the access log shows it: the entry with its time written
/// out, without the person's hash (it names nobody else, and says nothing of the facts).
pub fn access_record(row: &Linked) -> serde_json::Value {
    let mut value = serde_json::to_value(&row.entry).unwrap_or_default();
    if let Some(fields) = value.as_object_mut() {
        fields.remove("person_hash");
        fields.remove("at_ms");
        fields.insert("seq".into(), row.seq.into());
        fields.insert("at".into(), iso_time(row.entry.at_ms).into());
    }
    value
}
