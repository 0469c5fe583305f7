//! The `gateway` command: serve the API, run the self-contained demo, or start the registry
//! simulators on their own.

#[cfg(feature = "simulators")]
use std::collections::HashMap;
use std::io::IsTerminal;
#[cfg(feature = "simulators")]
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
#[cfg(feature = "simulators")]
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
#[cfg(feature = "simulators")]
use gateway_domain::System;
use registry_gateway::decisions::{self, ImportError};
use registry_gateway::status_sync::{self, Progress};
use registry_gateway::store::{DeadLetterFilter, Store};
use registry_gateway::telemetry::LogFormat;
use registry_gateway::{config::Config, startup, telemetry};

/// mimalloc rather than glibc's allocator: the answers, envelopes and statements of many
/// concurrent checks are allocated and freed across the runtime's threads, where glibc's arenas
/// contend (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The seed the demo and the simulators use unless told otherwise.
#[cfg(feature = "simulators")]
const DEFAULT_SEED: u64 = 0;

#[derive(Parser)]
#[command(
    name = "gateway",
    version,
    about = "Registry gateway between a social service's case system and the state registries"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct ConfigArg {
    /// The TOML configuration file (environment variables GATEWAY_<SECTION>__<KEY> override it).
    #[arg(long, short, default_value = "config/gateway.toml", env = "GATEWAY_CONFIG")]
    config: PathBuf,
}

#[derive(Subcommand)]
enum StatementCommand {
    /// Check a saved income-check answer against the gateway's published keys; exits 1 when
    /// it was changed or signed by another key.
    Verify {
        /// The answer as the API gave it (JSON).
        file: PathBuf,
        /// The gateway's keys: a JWKS file, or the URL of its /.well-known/jwks.json.
        #[arg(long)]
        jwks: String,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API with the registries named in the configuration, and run the status sync
    /// on its schedule.
    Serve {
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Deliver pending status decisions to the partners now; print the report as a table on
    /// stderr and as JSON on stdout. Exits 1 when a partner's worker stopped early. On SIGTERM
    /// it claims nothing more, finishes the deliveries in flight, releases the rest, reports
    /// and exits 0.
    Sync {
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Check a configuration file without starting anything (no store opened, no network):
    /// print `ok`, or every problem on its own line as `key: what is wrong` and exit 1.
    /// Environment overrides (GATEWAY_<SECTION>__<KEY>) apply, as for serve.
    CheckConfig {
        /// The TOML configuration file.
        file: PathBuf,
    },
    /// Status decisions in the store.
    Decisions {
        #[command(subcommand)]
        command: DecisionsCommand,
    },
    /// The store itself.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// The audit log: verify its chain, print its head, prune it, find a person's entries.
    Audit {
        #[command(subcommand)]
        command: registry_gateway::audit::cli::AuditCommand,
    },
    /// Signed income-check answers.
    Statement {
        #[command(subcommand)]
        command: StatementCommand,
    },
    /// Providers' execution reports from DigiSoc.
    Reports {
        #[command(subcommand)]
        command: registry_gateway::providers::cli::ReportsCommand,
    },
    /// Providers' invoices.
    Invoices {
        #[command(subcommand)]
        command: registry_gateway::providers::cli::InvoicesCommand,
    },
    /// Reports over the store: the providers' reconciliation.
    Report {
        #[command(subcommand)]
        command: registry_gateway::providers::cli::ReportCommand,
    },
    /// Print the API's OpenAPI 3.1 document (as served at /openapi.json and kept in
    /// schemas/api/openapi.json).
    Openapi,
    /// Deliveries the sync gave up on.
    Deadletters {
        #[command(subcommand)]
        command: DeadlettersCommand,
    },
    /// Start the simulators and the API in-process, run one income check and print it.
    #[cfg(feature = "simulators")]
    Demo {
        /// Exit after printing the record instead of serving until Ctrl-C.
        #[arg(long)]
        once: bool,
        /// Where the API listens (port 0: any free port).
        #[arg(long, default_value = "127.0.0.1:0")]
        bind: SocketAddr,
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
        /// Persons in the synthetic population (default: Tukums county's 45 959).
        #[arg(long, default_value_t = gateway_mocks::TUKUMS_PERSONS)]
        persons: usize,
    },
    /// Start every registry and partner simulator and print their URLs; serve until Ctrl-C.
    #[cfg(feature = "simulators")]
    Simulate {
        #[arg(long, default_value = "127.0.0.1")]
        ip: IpAddr,
        /// The first system's port; each system listens at its place in the list of systems
        /// after it (pmlp, vsaa, nva, vdeavk, land_registry, cadastre, spolis, baris, bridzis,
        /// nino). 0: any free ports.
        #[arg(long, default_value_t = 18081)]
        base_port: u16,
        /// One system's port instead, e.g. `--port nino=19000` (repeatable).
        #[arg(long = "port", value_name = "SYSTEM=PORT", value_parser = system_port)]
        ports: Vec<(System, u16)>,
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
        #[arg(long, default_value_t = gateway_mocks::TUKUMS_PERSONS)]
        persons: usize,
        /// Also write a configuration file pointing every registry and partner at these
        /// simulators (registries and partners only; store and schedule keep their defaults).
        #[arg(long)]
        write_config: Option<PathBuf>,
    },
}

/// Reads `SYSTEM=PORT`.
#[cfg(feature = "simulators")]
fn system_port(raw: &str) -> Result<(System, u16), String> {
    let (key, port) = raw.split_once('=').ok_or("write SYSTEM=PORT, e.g. nino=19000")?;
    let system: System = key.parse().map_err(|error: gateway_domain::UnknownSystem| error.to_string())?;
    let port = port.parse().map_err(|_| format!("{port} is not a port number"))?;
    Ok((system, port))
}

/// Each system's port: `base` plus its place in the list (all 0 when `base` is 0), then the
/// overrides.
#[cfg(feature = "simulators")]
fn simulator_ports(base: u16, overrides: &[(System, u16)]) -> anyhow::Result<HashMap<System, u16>> {
    let mut ports = HashMap::new();
    for (offset, system) in System::ALL.iter().enumerate() {
        let port = if base == 0 {
            0
        } else {
            u16::try_from(offset).ok().and_then(|o| base.checked_add(o)).context("--base-port is too high")?
        };
        ports.insert(*system, port);
    }
    ports.extend(overrides.iter().copied());
    Ok(ports)
}

#[derive(Subcommand)]
enum DecisionsCommand {
    /// Store the decisions of an NDJSON file (one decision per line), all or none.
    Import {
        file: PathBuf,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Where a decision stands: every stored version and, per partner, its delivery (a table,
    /// or JSON with --json).
    Show {
        decision_ref: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        config: ConfigArg,
    },
}

#[derive(Subcommand)]
enum StoreCommand {
    /// Create the store where the configuration points (and run its migrations); an existing
    /// store is only migrated.
    Init {
        #[command(flatten)]
        config: ConfigArg,
    },
}

#[derive(clap::Args)]
struct DeadLetterArgs {
    /// Only this partner's (baris, bridzis, nino, spolis, digisoc).
    #[arg(long)]
    partner: Option<String>,
    /// Only this decision's (or, for digisoc, this referral's) reference.
    #[arg(long)]
    decision: Option<String>,
    #[command(flatten)]
    config: ConfigArg,
}

#[derive(Subcommand)]
enum DeadlettersCommand {
    /// List dead letters with their reasons as a table, or as JSON with --json.
    List {
        #[command(flatten)]
        args: DeadLetterArgs,
        #[arg(long)]
        json: bool,
    },
    /// Put dead letters back in the outbox for the next sync (with --partner, --decision or --all).
    Retry {
        #[command(flatten)]
        args: DeadLetterArgs,
        /// Every dead letter.
        #[arg(long)]
        all: bool,
    },
}

fn dead_letter_filter(args: &DeadLetterArgs) -> anyhow::Result<DeadLetterFilter> {
    let partner = match &args.partner {
        None => None,
        Some(key) => Some(status_sync::PARTNERS.iter().copied().find(|p| p.key() == key).with_context(|| {
            let partners: Vec<&str> = status_sync::PARTNERS.iter().map(|p| p.key()).collect();
            format!("{key} is not a partner; partners are {}", partners.join(", "))
        })?),
    };
    Ok(DeadLetterFilter { partner, decision_ref: args.decision.clone() })
}

/// Opens a store that exists: only `serve` and `store init` create one, so that a command
/// pointed at the wrong place (or at a store deleted meanwhile) says so instead of working on
/// a fresh, empty one.
async fn open_store(config: &Config) -> anyhow::Result<Store> {
    Store::open(&config.store).await.context("cannot open the store")
}

/// `gateway sync`: one run, then the report.
async fn sync(config: &Config) -> anyhow::Result<bool> {
    let shutdown = registry_gateway::shutdown::on_signal()?;
    let store = open_store(config).await?;
    let sync = startup::build_status_sync(config, store, &startup::build_partners(config)?)?.with_shutdown(shutdown);
    let progress = if std::io::stderr().is_terminal() { Progress::Bars } else { Progress::Hidden };
    let report = sync.run_once(progress).await;
    eprintln!("{}", report.table());
    println!("{}", serde_json::to_string_pretty(&report)?);
    sync.store().close().await;
    Ok(report.is_clean())
}

async fn import(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let partners = config.status_sync.partner_systems();
    let result = decisions::import_file(&store, file, &partners, std::io::stderr().is_terminal()).await;
    store.close().await;
    match result {
        Ok(summary) => {
            eprintln!(
                "Imported {} line(s): {} decision version(s) stored, {} already stored.",
                summary.lines, summary.stored, summary.unchanged
            );
            Ok(())
        }
        Err(ImportError::Invalid { count, lines }) => {
            for (line, error) in &lines {
                eprintln!("line {line}: {}: {}", if error.field.is_empty() { "/" } else { &error.field }, error.detail);
            }
            if count > lines.len() {
                eprintln!("... and {} more.", count - lines.len());
            }
            anyhow::bail!("{count} line(s) are not valid decisions; nothing was stored")
        }
        Err(other) => Err(other.into()),
    }
}

/// `gateway decisions show`: the same view as `GET /v1/status-decisions/{decision_ref}`.
async fn show_decision(config: &Config, reference: &str, json: bool) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let view = store.decision_view(reference).await;
    store.close().await;
    let Some(view) = view? else { anyhow::bail!("no decision {reference} is stored") };
    if json {
        println!("{}", serde_json::to_string_pretty(&view)?);
        return Ok(());
    }
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED).set_header([
        "version",
        "status",
        "received",
        "partner",
        "state",
        "attempts",
        "receipt",
        "last error",
    ]);
    for version in &view.versions {
        for delivery in &version.partners {
            table.add_row(vec![
                version.version.to_string(),
                serde_json::to_value(version.status)?.as_str().unwrap_or_default().to_owned(),
                version.received_at.clone(),
                delivery.partner.clone(),
                delivery.state.clone(),
                delivery.attempts.to_string(),
                delivery.partner_ref.clone().unwrap_or_default(),
                delivery.dead_letter_reason.clone().or_else(|| delivery.last_error.clone()).unwrap_or_default(),
            ]);
        }
    }
    println!("{table}");
    Ok(())
}

async fn dead_letters(command: DeadlettersCommand) -> anyhow::Result<()> {
    match command {
        DeadlettersCommand::List { args, json } => {
            let config = Config::load(&args.config.config)?;
            let store = open_store(&config).await?;
            let letters = store.dead_letters(&dead_letter_filter(&args)?).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&letters)?);
            } else {
                let mut table = comfy_table::Table::new();
                table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED).set_header([
                    "partner",
                    "decision",
                    "version",
                    "reason",
                    "last error",
                    "attempts",
                    "since",
                ]);
                for letter in &letters {
                    let since = registry_gateway::store::iso_time(letter.dead_at);
                    table.add_row(vec![
                        letter.partner.clone(),
                        letter.decision_ref.clone(),
                        letter.version.to_string(),
                        letter.reason.clone(),
                        letter.last_error.clone().unwrap_or_default(),
                        letter.attempts.to_string(),
                        since,
                    ]);
                }
                println!("{table}");
                eprintln!("{} dead letter(s).", letters.len());
            }
            store.close().await;
        }
        DeadlettersCommand::Retry { args, all } => {
            let filter = dead_letter_filter(&args)?;
            if !all && filter.partner.is_none() && filter.decision_ref.is_none() {
                anyhow::bail!("name --partner, --decision or --all");
            }
            let config = Config::load(&args.config.config)?;
            let store = open_store(&config).await?;
            let revived = store.retry_dead_letters(&filter).await?;
            store.close().await;
            eprintln!("{revived} dead letter(s) put back in the outbox; the next sync delivers them.");
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { config } => {
            telemetry::init("info", LogFormat::of_file(&config.config));
            let config = Config::load(&config.config)?;
            let shutdown = registry_gateway::shutdown::on_signal()?;
            let partners = startup::build_partners(&config)?;
            let store = Store::create(&config.store).await.context("cannot open the store")?;
            let sync = startup::build_status_sync(&config, store, &partners)?.with_shutdown(shutdown.clone());
            let server = startup::spawn_server_on(&config, sync.store().clone(), &partners).await?;
            tracing::info!(url = %server.url(), store = sync.store().kind(), "Serving the API.");
            let store = sync.store().clone();
            // The console shows the schedule's runs, and /metrics counts them.
            let mut schedule = tokio::spawn(status_sync::run_on_schedule(server.observe(sync)));
            let mut serving = server.task;
            // SIGTERM or Ctrl-C: the server stops accepting and answers what it has; the
            // schedule's run in progress, if any, finishes its deliveries and releases the rest.
            let schedule_ended = tokio::select! {
                result = &mut serving => {
                    result?.context("the server stopped")?;
                    anyhow::bail!("the server stopped");
                }
                result = &mut schedule => {
                    result?.context("the status sync schedule stopped")?;
                    true
                }
                _ = shutdown.cancelled() => false,
            };
            if schedule_ended {
                // A schedule that names no future run: serve on until the signal.
                tokio::select! {
                    result = &mut serving => {
                        result?.context("the server stopped")?;
                        anyhow::bail!("the server stopped");
                    }
                    _ = shutdown.cancelled() => {}
                }
            }
            server.shutdown.cancel();
            serving.await?.context("the server stopped")?;
            if !schedule_ended {
                schedule.await?.context("the status sync schedule stopped")?;
            }
            store.close().await;
            tracing::info!("Stopped.");
        }
        Command::CheckConfig { file } => {
            let problems = registry_gateway::config_check::check_file(&file);
            if problems.is_empty() {
                println!("ok");
            } else {
                for problem in &problems {
                    println!("{problem}");
                }
                eprintln!("{} problem(s) in {}.", problems.len(), file.display());
                std::process::exit(1);
            }
        }
        Command::Audit { command } => {
            telemetry::init("warn", LogFormat::of_file(command.config_path()));
            if !registry_gateway::audit::cli::run(command).await? {
                std::process::exit(1);
            }
        }
        Command::Statement { command: StatementCommand::Verify { file, jwks } } => {
            telemetry::init("warn", LogFormat::default());
            if !registry_gateway::signing::verify_file(&file, &jwks).await? {
                std::process::exit(1);
            }
        }
        Command::Sync { config } => {
            telemetry::init("warn", LogFormat::of_file(&config.config));
            let config = Config::load(&config.config)?;
            if !sync(&config).await? {
                std::process::exit(1);
            }
        }
        Command::Decisions { command: DecisionsCommand::Import { file, config } } => {
            telemetry::init("warn", LogFormat::of_file(&config.config));
            let config = Config::load(&config.config)?;
            import(&config, &file).await?;
        }
        Command::Decisions { command: DecisionsCommand::Show { decision_ref, json, config } } => {
            telemetry::init("warn", LogFormat::of_file(&config.config));
            let config = Config::load(&config.config)?;
            show_decision(&config, &decision_ref, json).await?;
        }
        Command::Store { command: StoreCommand::Init { config } } => {
            telemetry::init("warn", LogFormat::of_file(&config.config));
            let config = Config::load(&config.config)?;
            let store = Store::create(&config.store).await.context("cannot create the store")?;
            eprintln!("The store ({}) is ready.", store.kind());
            store.close().await;
        }
        Command::Openapi => print!("{}", registry_gateway::api::openapi::to_pretty_json()),
        Command::Deadletters { command } => {
            let (DeadlettersCommand::List { args, .. } | DeadlettersCommand::Retry { args, .. }) = &command;
            telemetry::init("warn", LogFormat::of_file(&args.config.config));
            dead_letters(command).await?;
        }
        Command::Reports { command } => {
            telemetry::init("warn", LogFormat::of_file(command.config_path()));
            registry_gateway::providers::cli::reports(command).await?;
        }
        Command::Invoices { command } => {
            telemetry::init("warn", LogFormat::of_file(command.config_path()));
            registry_gateway::providers::cli::invoices(command).await?;
        }
        Command::Report { command } => {
            telemetry::init("warn", LogFormat::of_file(command.config_path()));
            registry_gateway::providers::cli::report(command).await?;
        }
        #[cfg(feature = "simulators")]
        Command::Demo { once, bind, seed, persons } => {
            telemetry::init("warn", LogFormat::default());
            registry_gateway::demo::run(registry_gateway::demo::DemoOptions { seed, persons, bind }, once).await?;
        }
        #[cfg(feature = "simulators")]
        Command::Simulate { ip, base_port, ports, seed, persons, write_config } => {
            telemetry::init("info", LogFormat::default());
            let population = Arc::new(gateway_mocks::Population::generate(seed, persons));
            let ports = simulator_ports(base_port, &ports)?;
            let simulators = gateway_mocks::Simulators::start_all_on(population, ip, &ports)
                .await
                .context("cannot start the simulators")?;
            for system in System::ALL {
                println!("{:<13} {}", system.key(), simulators.url(*system));
            }
            if let Some(path) = write_config {
                let issuer = registry_gateway::auth::issuer::DemoIssuer::generate();
                let text = format!("{}\n{}", startup::simulator_config_toml(&simulators), issuer.auth_toml());
                std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
                println!("Configuration for these simulators: {}", path.display());
                println!("Tokens its gateway accepts, one per role, valid for 8 hours:");
                print!("{}", issuer.token_exports(std::time::Duration::from_secs(8 * 3600)));
            }
            println!("Serving {persons} synthetic persons (seed {seed}) until Ctrl-C.");
            tokio::signal::ctrl_c().await?;
        }
    }
    Ok(())
}
