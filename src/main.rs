//! The `gateway` command: serve the API, run the self-contained demo, or start the registry
//! simulators on their own.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use gateway_domain::System;
use gateway_mocks::{Population, Simulators, TUKUMS_PERSONS};
use registry_gateway::{config::Config, demo, startup, telemetry};

/// The seed the demo and the simulators use unless told otherwise.
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

#[derive(Subcommand)]
enum Command {
    /// Serve the API with the registries named in the configuration.
    Serve {
        /// The TOML configuration file (environment variables GATEWAY_<SECTION>__<KEY> override it).
        #[arg(long, short, default_value = "config/gateway.toml", env = "GATEWAY_CONFIG")]
        config: PathBuf,
    },
    /// Start the simulators and the API in-process, run one income check and print it.
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
        #[arg(long, default_value_t = TUKUMS_PERSONS)]
        persons: usize,
    },
    /// Start every registry simulator and print their URLs; serve until Ctrl-C.
    Simulate {
        #[arg(long, default_value = "127.0.0.1")]
        ip: IpAddr,
        #[arg(long, default_value_t = 18081)]
        pmlp_port: u16,
        #[arg(long, default_value_t = 18082)]
        vsaa_port: u16,
        #[arg(long, default_value_t = 18083)]
        nva_port: u16,
        #[arg(long, default_value_t = 18084)]
        vdeavk_port: u16,
        #[arg(long, default_value_t = 18085)]
        land_registry_port: u16,
        #[arg(long, default_value_t = 18086)]
        cadastre_port: u16,
        #[arg(long, default_value_t = 18087)]
        spolis_port: u16,
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
        #[arg(long, default_value_t = TUKUMS_PERSONS)]
        persons: usize,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { config } => {
            telemetry::init("info");
            let config = Config::load(&config)?;
            let server = startup::spawn_server(&config).await?;
            tracing::info!(url = %server.url(), "Serving the API.");
            tokio::select! {
                result = server.task => result?.context("the server stopped")?,
                _ = tokio::signal::ctrl_c() => tracing::info!("Shutting down."),
            }
        }
        Command::Demo { once, bind, seed, persons } => {
            telemetry::init("warn");
            demo::run(demo::DemoOptions { seed, persons, bind }, once).await?;
        }
        Command::Simulate {
            ip,
            pmlp_port,
            vsaa_port,
            nva_port,
            vdeavk_port,
            land_registry_port,
            cadastre_port,
            spolis_port,
            seed,
            persons,
        } => {
            telemetry::init("info");
            let population = Arc::new(Population::generate(seed, persons));
            let ports = HashMap::from([
                (System::Pmlp, pmlp_port),
                (System::Vsaa, vsaa_port),
                (System::Nva, nva_port),
                (System::Vdeavk, vdeavk_port),
                (System::LandRegistry, land_registry_port),
                (System::Cadastre, cadastre_port),
                (System::Spolis, spolis_port),
            ]);
            let simulators =
                Simulators::start_all_on(population, ip, &ports).await.context("cannot start the simulators")?;
            for system in System::ALL {
                println!("{:<13} {}", system.key(), simulators.url(*system));
            }
            println!("Serving {persons} synthetic persons (seed {seed}) until Ctrl-C.");
            tokio::signal::ctrl_c().await?;
        }
    }
    Ok(())
}
