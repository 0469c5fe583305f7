//! `gateway reports pull`, `gateway invoices import FILE.csv` and `gateway report providers`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use gateway_domain::{Month, is_registration_number};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::invoices::{self, InvoiceImportError};
use super::{ProviderReport, ProviderRules, provider_report};
use crate::config::Config;
use crate::store::Store;

#[derive(clap::Args)]
pub struct ConfigPath {
    /// The TOML configuration file.
    #[arg(long, short, default_value = "config/gateway.toml", env = "GATEWAY_CONFIG")]
    pub config: PathBuf,
}

#[derive(clap::Subcommand)]
pub enum ReportsCommand {
    /// Fetch the execution reports DigiSoc recorded since the last pull and store them (each
    /// revision once); a pull stopped midway goes on from its last stored page.
    Pull {
        #[command(flatten)]
        config: ConfigPath,
    },
}

#[derive(clap::Subcommand)]
pub enum InvoicesCommand {
    /// Store a CSV file of invoice lines (provider,month,person,service,amount), all or none.
    Import {
        file: PathBuf,
        #[command(flatten)]
        config: ConfigPath,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(clap::Subcommand)]
pub enum ReportCommand {
    /// A month's reconciliation per provider and service: referred, reported, invoiced, and
    /// every finding.
    Providers {
        #[arg(long, value_parser = month)]
        month: Month,
        /// Only this provider (its registration number).
        #[arg(long)]
        provider: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        #[command(flatten)]
        config: ConfigPath,
    },
}

impl ReportsCommand {
    /// The configuration file the command reads.
    pub fn config_path(&self) -> &std::path::Path {
        match self {
            ReportsCommand::Pull { config } => &config.config,
        }
    }
}

impl InvoicesCommand {
    /// The configuration file the command reads.
    pub fn config_path(&self) -> &std::path::Path {
        match self {
            InvoicesCommand::Import { config, .. } => &config.config,
        }
    }
}

impl ReportCommand {
    /// The configuration file the command reads.
    pub fn config_path(&self) -> &std::path::Path {
        match self {
            ReportCommand::Providers { config, .. } => &config.config,
        }
    }
}

fn month(raw: &str) -> Result<Month, String> {
    Month::parse(raw).map_err(|_| "write the month YYYY-MM".to_owned())
}

async fn open(path: &std::path::Path) -> anyhow::Result<(Config, Store)> {
    let config = Config::load(path)?;
    let store = Store::open(&config.store).await.context("cannot open the store")?;
    Ok((config, store))
}

pub async fn reports(command: ReportsCommand) -> anyhow::Result<()> {
    let ReportsCommand::Pull { config } = command;
    let (config, store) = open(&config.config).await?;
    let partners = crate::startup::build_partners(&config)?;
    let channel = partners.referrals.context("no [partners.digisoc] section: there is no DigiSoc to pull from")?;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::no_length()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} report(s) read, {per_sec}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let outcome = super::pull::pull_reports(
        &store,
        channel.as_ref(),
        config.providers.page_size,
        Duration::from_millis(config.providers.page_timeout_ms),
        &bar,
    )
    .await;
    bar.finish_and_clear();
    store.close().await;
    let summary = outcome?;
    eprintln!(
        "Pulled {} page(s): {} report revision(s) stored, {} already stored.",
        summary.pages, summary.stored, summary.repeated
    );
    println!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(())
}

pub async fn invoices(command: InvoicesCommand) -> anyhow::Result<()> {
    let InvoicesCommand::Import { file, config } = command;
    let (_, store) = open(&config.config).await?;
    let result = invoices::import_file(&store, &file).await;
    store.close().await;
    match result {
        Ok(n) => {
            eprintln!("Imported {n} invoice line(s).");
            Ok(())
        }
        Err(InvoiceImportError::Invalid { count, errors }) => {
            for error in &errors {
                eprintln!("{error}");
            }
            if count > errors.len() {
                eprintln!("... and {} more.", count - errors.len());
            }
            anyhow::bail!("{count} problem(s) in {}; nothing was stored", file.display())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn report(command: ReportCommand) -> anyhow::Result<()> {
    let ReportCommand::Providers { month, provider, format, config } = command;
    if provider.as_deref().is_some_and(|p| !is_registration_number(p)) {
        anyhow::bail!("--provider is an 11-digit registration number");
    }
    let (config, store) = open(&config.config).await?;
    let rules = ProviderRules::load(config.providers.rules_file.as_deref())?;
    let report = provider_report(&store, &rules, month, provider.as_deref()).await;
    store.close().await;
    let report = report?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Csv => print!("{}", csv_text(&report)?),
        Format::Table => print_table(&report),
    }
    Ok(())
}

fn euro(cents: i64) -> String {
    gateway_domain::Money::from_cents(cents).to_decimal_string()
}

/// The totals per provider and service, then one line per finding.
fn csv_text(report: &ProviderReport) -> anyhow::Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "month",
        "provider",
        "service",
        "referred",
        "reported",
        "visits",
        "hours",
        "days",
        "reported_cents",
        "invoiced_cents",
        "findings",
    ])?;
    for row in &report.rows {
        out.write_record([
            report.month.to_string(),
            row.provider.clone(),
            row.service.map(|s| s.key().to_owned()).unwrap_or_default(),
            row.referred.to_string(),
            row.reported.to_string(),
            row.visits.to_string(),
            row.hours.to_string(),
            row.days.to_string(),
            row.reported_cents.to_string(),
            row.invoiced_cents.to_string(),
            row.findings.to_string(),
        ])?;
    }
    let mut text = String::from_utf8(out.into_inner()?)?;
    // The findings follow after an empty line, with their own header.
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "finding",
        "provider",
        "service",
        "rule",
        "limit",
        "actual",
        "referrals",
        "reports",
        "invoices",
    ])?;
    for f in &report.findings {
        out.write_record([
            serde_json::to_value(f.kind)?.as_str().unwrap_or_default().to_owned(),
            f.provider.clone(),
            f.service.key().to_owned(),
            f.rule.unwrap_or_default().to_owned(),
            f.limit.map(|n| n.to_string()).unwrap_or_default(),
            f.actual.map(|n| n.to_string()).unwrap_or_default(),
            f.referrals.join(" "),
            f.reports.iter().map(|r| format!("{}#{}", r.report_id, r.revision)).collect::<Vec<_>>().join(" "),
            f.invoices.iter().map(|i| format!("{}:{}", i.source, i.line)).collect::<Vec<_>>().join(" "),
        ])?;
    }
    text.push('\n');
    text.push_str(&String::from_utf8(out.into_inner()?)?);
    Ok(text)
}

fn print_table(report: &ProviderReport) {
    let mut rows = Table::new();
    rows.load_preset(UTF8_FULL_CONDENSED).set_header([
        "provider",
        "service",
        "referred",
        "reported",
        "visits",
        "hours",
        "days",
        "reported €",
        "invoiced €",
        "findings",
    ]);
    for row in &report.rows {
        rows.add_row(vec![
            row.provider.clone(),
            row.service.map(|s| s.key().to_owned()).unwrap_or_default(),
            row.referred.to_string(),
            row.reported.to_string(),
            row.visits.to_string(),
            row.hours.to_string(),
            row.days.to_string(),
            euro(row.reported_cents),
            euro(row.invoiced_cents),
            row.findings.to_string(),
        ]);
    }
    println!("Providers in {}:\n{rows}", report.month);
    let mut findings = Table::new();
    findings
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(["finding", "provider", "service", "rule", "limit", "actual", "rests on"]);
    for f in &report.findings {
        let rests_on: Vec<String> = f
            .referrals
            .iter()
            .map(|r| format!("referral {r}"))
            .chain(f.reports.iter().map(|r| format!("report {}#{}", r.report_id, r.revision)))
            .chain(f.invoices.iter().map(|i| format!("invoice {}:{}", i.source, i.line)))
            .collect();
        findings.add_row(vec![
            serde_json::to_value(f.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            f.provider.clone(),
            f.service.key().to_owned(),
            f.rule.unwrap_or_default().to_owned(),
            f.limit.map(|n| n.to_string()).unwrap_or_default(),
            f.actual.map(|n| n.to_string()).unwrap_or_default(),
            rests_on.join(", "),
        ]);
    }
    println!("{} finding(s):\n{findings}", report.findings.len());
}
