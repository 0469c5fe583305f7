//! Wires configuration into a running service; used by `main` and by the tests.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use gateway_adapters::transport::{OAuthConfig, TransportConfig};
use gateway_adapters::{Registries, RegistriesConfig, pmlp::PmlpConfig, vsaa::VsaaConfig};
use gateway_domain::{StatusSink, System};
use gateway_mocks::Simulators;
use secrecy::SecretString;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::api::{self, AppState, DecisionIntake};
use crate::config::{Config, IncomeCheckConfig, ServerConfig};
use crate::income_check::IncomeCheck;
use crate::status_sync::{JsonPartner, StatusSync, StatusSyncConfig};
use crate::store::{Store, StoreConfig};

/// Builds the API from the configuration, on an opened store.
pub fn build_app(config: &Config, store: Store) -> anyhow::Result<Router> {
    let registries = Registries::build(&config.registries)?;
    let state = AppState {
        breakers: registries.breakers.clone(),
        income_check: IncomeCheck::new(registries),
        deadline: config.income_check.deadline(),
        decisions: DecisionIntake { store, partners: config.status_sync.partner_systems() },
    };
    Ok(api::router(state).layer(TraceLayer::new_for_http()))
}

/// The partners' sinks: a JSON partner where `json_url` is set. Partners without one have no
/// sink yet; their decisions wait in the outbox and each run reports them.
pub fn status_sinks(config: &Config) -> anyhow::Result<Vec<Arc<dyn StatusSink>>> {
    let mut sinks: Vec<Arc<dyn StatusSink>> = Vec::new();
    for (partner, settings) in &config.status_sync.partners {
        if let Some(url) = &settings.json_url {
            sinks.push(Arc::new(JsonPartner::new(*partner, url, settings.per_second)?));
        }
    }
    Ok(sinks)
}

/// Opens the store and builds the sync over the configured partners.
pub async fn build_status_sync(config: &Config) -> anyhow::Result<StatusSync> {
    let store = Store::open(&config.store).await?;
    Ok(StatusSync::new(store, status_sinks(config)?, config.status_sync.clone()))
}

/// A running API server.
pub struct Server {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Opens the store and binds and serves the API in the background until the process ends.
pub async fn spawn_server(config: &Config) -> anyhow::Result<Server> {
    let store = Store::open(&config.store).await?;
    spawn_server_on(config, store).await
}

/// Binds and serves the API over `store` in the background until the process ends.
pub async fn spawn_server_on(config: &Config, store: Store) -> anyhow::Result<Server> {
    let router = build_app(config, store)?;
    let listener = TcpListener::bind(config.server.bind).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(Server { addr, task })
}

/// A configuration that points every registry at running simulators with their credentials.
pub fn simulator_config(simulators: &Simulators, bind: SocketAddr, income_check: IncomeCheckConfig) -> Config {
    let credentials = simulators.credentials();
    let registries = RegistriesConfig {
        pmlp: PmlpConfig {
            base_url: simulators.url(System::Pmlp),
            permission: credentials.dagr_permission.clone(),
            token_url: None,
            oauth: OAuthConfig {
                client_id: credentials.client_id.clone(),
                client_key_file: None,
                client_key_pem: Some(SecretString::from(credentials.client_key_pem.clone())),
                key_id: None,
                scope: None,
            },
            transport: TransportConfig::default(),
        },
        vsaa: VsaaConfig {
            base_url: simulators.url(System::Vsaa),
            institution: credentials.institution.clone(),
            username: credentials.vsaa_username.clone(),
            password: SecretString::from(credentials.vsaa_password.clone()),
            transport: TransportConfig::default(),
        },
    };
    Config {
        server: ServerConfig { bind },
        income_check,
        registries,
        // The demo and tests keep decisions in memory unless they say otherwise.
        store: StoreConfig { url: Some("sqlite::memory:".into()), ..StoreConfig::default() },
        status_sync: StatusSyncConfig::default(),
    }
}
